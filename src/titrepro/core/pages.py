"""Small helpers every app's pages share."""

from __future__ import annotations

from typing import Any


def crumbs(*links: tuple[Any, str]) -> dict[str, Any]:
    """The DSFR breadcrumb (``dsfr_breadcrumb``): (title, url) pairs from the root, the last one the current page."""
    *parents, (current, _url) = links
    return {
        "root_dir": "/",
        "links": [{"url": url, "title": str(title)} for title, url in parents],
        "current": str(current),
    }
