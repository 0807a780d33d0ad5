"""Template helpers of the catalogue pages: durations, version intro, provenance, badges."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from titrepro.catalogue.models import Confidence, Source, Sourced, Title, TitleVersion, VersionStatus

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


def provenance_context(
    row: Sourced,
    sources: dict[str, Source],
    show_sources: bool = True,
    parent: Sourced | None = None,
    show_notes: bool = True,
) -> dict[str, object]:
    """The confidence badge (when not confirmed), the source keys and the notes of a row.

    With ``parent`` (the row that contains this one, listed nearby), the badge and
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


@register.inclusion_tag("catalogue/includes/provenance.html")
def provenance(
    row: Sourced,
    sources: dict[str, Source],
    show_sources: bool = True,
    parent: Sourced | None = None,
    show_notes: bool = True,
) -> dict[str, object]:
    return provenance_context(row, sources, show_sources, parent, show_notes)


@dataclass
class ProvenanceItem:
    """One fact of a page in the section "Sources and reliability of the data"."""

    label: str
    row: Sourced
    parent: Sourced | None


def _version_contents(version: TitleVersion) -> Iterator[ProvenanceItem]:
    """The rows of a version's CCPs, competences, CCS and modalities (prefetched data only)."""
    for ccp in version.ccps.all():
        yield ProvenanceItem(f"CCP {ccp.number} – {ccp.label}", ccp, version)
        for competence in ccp.competences.all():
            yield ProvenanceItem(competence.label, competence, ccp)
    for transversal in version.transversal_competences.all():
        yield ProvenanceItem(transversal.label, transversal, version)
    for ccs in version.ccs_list.all():
        yield ProvenanceItem(f"CCS – {ccs.label}", ccs, version)
        for competence in ccs.competences.all():
            yield ProvenanceItem(competence.label, competence, ccs)
    for modality in sorted(version.modalities.all(), key=lambda m: (m.session_kind, m.position)):
        where = modality.ccp.label if modality.ccp else modality.ccs.label if modality.ccs else ""
        label = f"{modality.get_kind_display()} – {where}" if where else str(modality.get_kind_display())
        yield ProvenanceItem(label, modality, version)
        for part in modality.parts.all():
            yield ProvenanceItem(part.label, part, modality)


def _has_something_to_say(item: ProvenanceItem) -> bool:
    context = provenance_context(item.row, {}, parent=item.parent)
    return bool(context["show_badge"] or context["refs"] or context["notes"])


def provenance_items(
    title: Title, version: TitleVersion | None, versions: Iterable[TitleVersion] = ()
) -> list[ProvenanceItem]:
    """What the provenance section lists: the title, the versions named, then ``version`` in full.

    A row that says nothing of its own (confirmed, or its parent's confidence and
    sources, and no note) is left out.
    """
    items = [ProvenanceItem(title.label, title, None)]
    items += [ProvenanceItem(_("Version %(label)s") % {"label": v.label}, v, title) for v in versions]
    if version is not None:
        if version not in versions:
            items.append(ProvenanceItem(_("Version %(label)s") % {"label": version.label}, version, title))
        items += _version_contents(version)
        for line in version.correspondences_out.all():
            label = _("Correspondence towards CCP %(number)s of version %(label)s") % {
                "number": line.to_ccp.number,
                "label": line.to_ccp.version.label,
            }
            items.append(ProvenanceItem(label, line, version))
        for ccp in version.ccps.all():
            for line in ccp.correspondences_in.all():
                label = _("Correspondence towards CCP %(number)s of version %(label)s") % {
                    "number": ccp.number,
                    "label": version.label,
                }
                items.append(ProvenanceItem(label, line, version))
        items += [ProvenanceItem(e.certification_label, e, version) for e in version.equivalences.all()]
    return [item for item in items if item.parent is None or _has_something_to_say(item)]


@register.inclusion_tag("catalogue/includes/provenance_section.html")
def provenance_section(
    title: Title, sources: dict[str, Source], version: TitleVersion | None = None, versions: Any = ()
) -> dict[str, object]:
    """The collapsed section "Sources and reliability of the data" of a public page."""
    return {
        "title": title,
        "sources": sources,
        "items": provenance_items(title, version, list(versions)),
    }


@register.filter
def status_badge_class(version: TitleVersion) -> str:
    return " ".join(filter(None, ["fr-badge--sm", STATUS_BADGE_CLASSES.get(version.status, "")]))


@register.filter
def is_web_url(value: str) -> bool:
    """Only http(s) addresses become links (a stored address is never trusted as a scheme)."""
    return isinstance(value, str) and value.lower().startswith(("https://", "http://"))
