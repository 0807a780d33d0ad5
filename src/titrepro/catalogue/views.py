"""Public pages of the catalogue: the list of titles, a title, a version of a title.

Thin views: reads go through ``queries``, presentation through the templates.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.catalogue import queries
from titrepro.catalogue.models import Title

MAX_QUERY_LENGTH = 100


def home(request: HttpRequest) -> HttpResponse:
    return redirect("catalogue:title_list")


def _breadcrumb(current: str, *links: tuple[str, str]) -> dict[str, object]:
    return {"root_dir": "/", "links": [{"url": url, "title": label} for url, label in links], "current": current}


def _title_list_link() -> tuple[str, str]:
    return reverse("catalogue:title_list"), _("Professional titles")


def _rome_codes(title: Title) -> list[dict[str, str]]:
    """ROME codes as {code, label}, whether stored as objects or as bare codes."""
    codes = []
    for item in title.rome_codes:
        if isinstance(item, dict):
            codes.append({"code": str(item.get("code", "")), "label": str(item.get("label", ""))})
        else:
            codes.append({"code": str(item), "label": ""})
    return codes


def title_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    today = timezone.localdate()
    rows = [{"title": title, "current": queries.current_version(title, on=today)} for title in queries.search_titles(q)]
    context = {"q": q, "rows": rows, "breadcrumb": _breadcrumb(_("Professional titles"))}
    return render(request, "catalogue/title_list.html", context)


def title_detail(request: HttpRequest, code: str) -> HttpResponse:
    title = queries.get_title(code)
    today = timezone.localdate()
    current = queries.current_version(title, on=today)
    in_force = current is not None and queries.is_valid_on(current, today)
    context = {
        "title": title,
        "versions": list(title.versions.all()),
        "current": current,
        "current_in_force": in_force,
        "sessions": queries.modality_sessions(current) if current else [],
        "sources": queries.sources_by_key(title),
        "rome_codes": _rome_codes(title),
        "breadcrumb": _breadcrumb(title.label, _title_list_link()),
    }
    return render(request, "catalogue/title_detail.html", context)


def version_detail(request: HttpRequest, code: str, label: str) -> HttpResponse:
    version = queries.get_version(code, label)
    title = version.title
    context = {
        "title": title,
        "version": version,
        "predecessor": version.predecessor,
        "successor": queries.successor(version),
        "sessions": queries.modality_sessions(version),
        "correspondence_tables": queries.correspondences_in(version) + queries.correspondences_out(version),
        "sources": queries.sources_by_key(title),
        "breadcrumb": _breadcrumb(
            _("Version %(label)s") % {"label": version.label},
            _title_list_link(),
            (reverse("catalogue:title_detail", kwargs={"code": title.code}), title.label),
        ),
    }
    return render(request, "catalogue/version_detail.html", context)
