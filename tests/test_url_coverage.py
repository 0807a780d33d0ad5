"""Meta-test: every page and API endpoint is named in a permission test (STYLE.md, habit 10).

A test module lists the URL names it covers in ``PROTECTED_URLS`` (tested for
the anonymous user, the wrong role and the wrong organisation) or
``PUBLIC_URLS`` (open to anyone, tested as such). A new URL that no list
names fails here, so nobody adds a page or an endpoint without its
permission test.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).parent
LISTS = {"PROTECTED_URLS", "PUBLIC_URLS"}


def url_names(patterns: list[URLPattern | URLResolver] | None = None, namespace: str = "") -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, prefix)
        elif pattern.name:
            yield namespace + pattern.name
        else:
            yield f"{namespace}<unnamed {pattern.pattern}>"


def listed_names() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {name: set() for name in LISTS}
    for path in TESTS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                targets.append(node.target.id)
            value = getattr(node, "value", None)
            for target in targets:
                if target in LISTS and value is not None:
                    found[target] |= {str(v) for v in ast.literal_eval(value)}
    return found


def test_every_url_is_covered_by_a_permission_test() -> None:
    listed = listed_names()
    covered = listed["PROTECTED_URLS"] | listed["PUBLIC_URLS"]
    # Django's admin has its own permission system; tests/catalogue/test_admin.py covers ours.
    names = {name for name in url_names() if not name.startswith("admin:")}
    missing = sorted(names - covered)
    assert not missing, f"URLs without a permission test (add them to a PROTECTED_URLS or PUBLIC_URLS list): {missing}"


def test_the_lists_name_only_real_urls() -> None:
    listed = listed_names()
    names = set(url_names())
    stale = sorted((listed["PROTECTED_URLS"] | listed["PUBLIC_URLS"]) - names)
    assert not stale, f"listed but no such URL: {stale}"


def test_nothing_is_both_public_and_protected() -> None:
    listed = listed_names()
    assert not listed["PROTECTED_URLS"] & listed["PUBLIC_URLS"]
