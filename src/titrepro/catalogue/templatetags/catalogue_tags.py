"""Template helpers of the catalogue pages: durations, version intro, provenance, badges."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from titrepro.catalogue.models import Confidence, Source, Sourced, TitleVersion, VersionStatus

register = template.Library()

# Feminine forms: the number counts "activités types".
NUMBER_WORDS = {
    1: pgettext_lazy("number of activity types", "one"),
    2: pgettext_lazy("number of activity types", "two"),
    3: pgettext_lazy("number of activity types", "three"),
    4: pgettext_lazy("number of activity types", "four"),
    5: pgettext_lazy("number of activity types", "five"),
    6: pgettext_lazy("number of activity types", "six"),
    7: pgettext_lazy("number of activity types", "seven"),
    8: pgettext_lazy("number of activity types", "eight"),
    9: pgettext_lazy("number of activity types", "nine"),
    10: pgettext_lazy("number of activity types", "ten"),
}

CONFIDENCE_BADGE_CLASSES: dict[str, str] = {
    Confidence.CORROBORATED: "fr-badge--info",
    Confidence.REPORTED: "fr-badge--new",
    Confidence.UNCONFIRMED: "fr-badge--warning",
}

STATUS_BADGE_CLASSES: dict[str, str] = {
    VersionStatus.IN_FORCE: "fr-badge--success",
    VersionStatus.REVISED: "fr-badge--info",
    VersionStatus.EXTENDED: "fr-badge--new",
    VersionStatus.CLOSED: "",
}


def format_duration(value: timedelta | None) -> str:
    """A duration as French exam papers write it: "2 h 30", "2 h", "45 min"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    if not minutes:
        return f"{hours} h"
    return f"{hours} h {minutes:02d}"


@register.filter
def duration(value: timedelta | None) -> str:
    return format_duration(value)


def number_in_words(count: int) -> str:
    word = NUMBER_WORDS.get(count)
    return str(word) if word is not None else str(count)


def version_intro_text(version: TitleVersion) -> str:
    """The first sentence of the official description, generated from the data.

    "Le titre professionnel X niveau 5 (code NSF : 326p,326r,326u) se compose de
    deux activités types, ..."
    """
    title = version.title
    count = len(version.ccps.all())
    nsf = ""
    if title.nsf_codes:
        nsf = " " + _("(NSF code: %(codes)s)") % {"codes": ",".join(title.nsf_codes)}
    return ngettext(
        "The professional title %(title)s level %(level)s%(nsf)s consists of one activity type, "
        "comprising the competences needed to carry it out. A certificate of professional "
        "competences (CCP) corresponds to this activity type.",
        "The professional title %(title)s level %(level)s%(nsf)s consists of %(count)s activity types, "
        "each activity type comprising the competences needed to carry it out. A certificate of "
        "professional competences (CCP) corresponds to each activity type.",
        count,
    ) % {"title": title.label, "level": title.level, "nsf": nsf, "count": number_in_words(count)}


@register.simple_tag
def version_intro(version: TitleVersion) -> str:
    return version_intro_text(version)


@register.inclusion_tag("catalogue/includes/provenance.html")
def provenance(
    row: Sourced,
    sources: dict[str, Source],
    show_sources: bool = True,
    parent: Sourced | None = None,
    show_notes: bool = True,
) -> dict[str, object]:
    """The confidence badge (when not confirmed), the source keys and the notes of a row.

    With ``parent`` (the row that contains this one, shown nearby), the badge and
    the sources are left out when they are the parent's: a row inherits them.
    """
    inherited_confidence = parent is not None and parent.confidence == row.confidence
    inherited_sources = parent is not None and list(parent.sources) == list(row.sources)
    refs = []
    if show_sources and not inherited_sources:
        refs = [{"key": key, "known": key in sources} for key in row.sources]
    return {
        "show_badge": row.confidence != Confidence.CONFIRMED and not inherited_confidence,
        "confidence_label": row.get_confidence_display(),
        "badge_class": CONFIDENCE_BADGE_CLASSES.get(row.confidence, "fr-badge--warning"),
        "refs": refs,
        "notes": row.notes if show_notes else "",
    }


@register.filter
def status_badge_class(version: TitleVersion) -> str:
    return " ".join(filter(None, ["fr-badge--sm", STATUS_BADGE_CLASSES.get(version.status, "")]))


@register.filter
def is_web_url(value: str) -> bool:
    """Only http(s) addresses become links (a stored address is never trusted as a scheme)."""
    return isinstance(value, str) and value.lower().startswith(("https://", "http://"))
