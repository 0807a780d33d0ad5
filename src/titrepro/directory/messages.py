"""Messages for the directory's reason codes: the codes stay English (API, logs), the messages are translated."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from titrepro.core.refusals import Refused
from titrepro.core.templatetags.french_dates import french_date
from titrepro.rules.directory import EXPERIENCE_TOO_SHORT, OUT_OF_JOB_TOO_LONG, HabilitationReason
from titrepro.rules.parameters import DEFAULT


def _date(value: Any) -> str:
    return french_date(value)


def habilitation_reason_message(reason: HabilitationReason) -> str:
    """The sentence shown to the authority agent for one refusal of R-61."""
    if reason.code == EXPERIENCE_TOO_SHORT:
        days = reason.days or 0
        years, rest = divmod(days, 365)
        months = rest // 30
        held = (
            ngettext("%(years)d year", "%(years)d years", years) % {"years": years}
            + " "
            + ngettext("and %(months)d month", "and %(months)d months", months) % {"months": months}
        )
        return _(
            "At least %(required)d years of experience in the job are required (R-61); "
            "the declared experience covers about %(held)s."
        ) % {"required": DEFAULT.habilitation_min_experience_years, "held": held}
    if reason.code == OUT_OF_JOB_TOO_LONG:
        return _(
            "The member left the job on %(on)s, more than %(years)d years ago: "
            "one may not be out of the job for more than %(years)d years (R-61)."
        ) % {"on": _date(reason.on), "years": DEFAULT.habilitation_max_years_out_of_job}
    return reason.code


def refusal_message(code: str, **values: Any) -> str:
    """The sentence for a refusal of a directory service (other than R-61's, above)."""
    values = {key: _date(value) if hasattr(value, "isoformat") else value for key, value in values.items()}
    messages = {
        "approval_end_needed": _("Give the end of the approval: the title version has no end of validity."),
        "approval_version_ended": _("The title version ended on %(end)s, before the approval would start (R-30)."),
        "approval_reapply_banned": _("This centre may not apply again for this title until %(end)s (R-33)."),
        "approval_already_open": _("This centre already holds an approval for this title version on this site."),
        "approval_ended": _("This approval ended on %(end)s: it can no longer be changed, only expire (R-30)."),
        "approval_not_ended": _("This approval runs until %(end)s: it has not expired."),
        "approval_ban_too_long": _(
            "A ban on re-applying lasts at most %(years)d years after the withdrawal (R-33), that is until %(end)s."
        ),
        "habilitation_end_needed": _("Give the end of the habilitation: the title version has no end of validity."),
        "habilitation_version_ended": _(
            "The title's version ended on %(end)s: a habilitation cannot outlive its title version (R-62)."
        ),
        "habilitation_already_held": _("This jury member already holds a habilitation for this title."),
        "habilitation_already_ended": _("This habilitation has already ended."),
        "habilitation_end_before_grant": _("A habilitation cannot be ended before it is granted."),
        "title_has_no_version": _("This title has no version in the catalogue."),
        "period_end_before_start": _("A period cannot end before it starts."),
        "link_needs_provider": _("Choose the training provider you teach for."),
    }
    message = messages.get(code, code)
    return message % values if values else message


def refusal(code: str, field: str | None = None, **values: Any) -> Refused:
    """The refusal of a directory service, with its sentence."""
    return Refused(code, refusal_message(code, **values), field)
