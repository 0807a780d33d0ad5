"""French messages for the session rules' reason codes (the codes stay English: API, logs)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from titrepro.core.refusals import Refused
from titrepro.core.templatetags.french_dates import french_date
from titrepro.rules.sessions import SessionReason


def message(code: str, **values: Any) -> str:
    """The sentence for one reason code; dates in ``values`` are written in French."""
    values = {key: french_date(value) if hasattr(value, "isoformat") else value for key, value in values.items()}
    messages = {
        # Dates and coverage of a session.
        "session_dates_reversed": _("The last day of the session cannot be before its first day."),
        "session_in_the_past": _("A session cannot start before today."),
        "version_not_started": _("This title version only applies from %(on)s."),
        "approval_missing": _("The centre holds no approval for this title version (R-30)."),
        "approval_not_yet_valid": _("The centre's approval only starts on %(on)s (R-30)."),
        "approval_ends_before_session": _(
            "The centre's approval ends on %(on)s, before the last day of the session (R-30)."
        ),
        "approval_suspended": _("The centre's approval for this title is suspended (R-33)."),
        "approval_withdrawn": _("The centre's approval for this title was withdrawn (R-33)."),
        "version_closed": _(
            "This title version has ended: its sessions could run until %(on)s at the latest, "
            "in the year after its end of validity (R-08)."
        ),
        "extension_declared_too_late": _(
            "A session in the year after the end of validity must be declared by %(on)s, the version's last day (R-08)."
        ),
        "extension_without_approval": _(
            "An extension-year session runs under the approval that was active on %(on)s, "
            "the version's last day: the centre had none, or it was suspended or withdrawn since (R-08, R-30)."
        ),
        "ccs_needs_title_approval": _("A CCS session needs the centre's approval for the title (R-30)."),
        # Convocations.
        "convocation_too_late": _(
            "The convocations of this session had to be sent by %(on)s at the latest (R-43): it is too late."
        ),
        # Jury.
        "habilitation_missing": _("%(person)s holds no habilitation for this title (R-62)."),
        "habilitation_not_yet_valid": _("The habilitation of %(person)s only starts on %(on)s (R-62)."),
        "habilitation_ends_before_session": _(
            "The habilitation of %(person)s ends on %(on)s, before the last day of the session (R-62)."
        ),
        "habilitation_ended": _("The habilitation of %(person)s ended on %(on)s (R-62)."),
        "jury_too_small": _("The session needs at least two jury members who accepted (R-63)."),
        "jury_conflicted_for_candidate": _(
            "%(person)s has fewer than two jury members free of any link with them (R-63, R-64)."
        ),
    }
    values.setdefault("person", "")
    values.setdefault("on", "")
    text = messages.get(code)
    return text % values if text else code


def refusal(reason: SessionReason, *, field: str | None = None, person: str = "") -> Refused:
    return Refused(reason.code, message(reason.code, on=reason.on, person=person), field)
