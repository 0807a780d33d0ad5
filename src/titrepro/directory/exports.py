"""The exports of the DREETS work lists (issue 9, item 5): what the list shows, one row per approval
(per habilitation), one per centre (member) without any; through ``core.spreadsheets`` so that no
cell is ever a formula."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from titrepro.directory.models import ApprovedCentre, JuryMember
from titrepro.directory.statuses import approval_status, habilitation_status

CHUNK = 500


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def centre_header() -> list[str]:
    return [_("Centre"), _("SIRET"), _("Town"), _("Title"), _("Version"), _("Status"), _("End date")]


def centre_rows(centres: QuerySet[ApprovedCentre], today: date) -> Iterator[list[str]]:
    """``centres`` as ``queries.centre_work_list`` gives them (approvals prefetched), in their order."""
    for centre in centres.iterator(chunk_size=CHUNK):
        identity = [centre.name, centre.siret, centre.town]
        approvals = list(centre.approvals.all())
        if not approvals:
            yield [*identity, "", "", "", ""]
        for approval in approvals:
            shown = approval_status(approval, today)
            title = approval.version.title
            yield [
                *identity,
                f"{title.code} {title.label}",
                approval.version.label,
                str(shown.label),
                _day(approval.valid_until),
            ]


def member_header() -> list[str]:
    return [_("Last name"), _("First name"), _("E-mail"), _("Title"), _("Status"), _("End date")]


def member_rows(members: QuerySet[JuryMember], today: date) -> Iterator[list[str]]:
    """``members`` as ``queries.jury_member_work_list`` gives them (habilitations prefetched), in their order."""
    for member in members.iterator(chunk_size=CHUNK):
        identity = [member.last_name, member.first_name, member.email]
        habilitations = list(member.habilitations.all())
        if not habilitations:
            yield [*identity, "", "", ""]
        for habilitation in habilitations:
            shown = habilitation_status(habilitation, today)
            end = (
                habilitation.ended_on
                if habilitation.ended_on and habilitation.ended_on <= today
                else habilitation.valid_until
            )
            yield [*identity, habilitation.title.code, str(shown.label), _day(end)]
