"""Background work of the deliberation, run by the task worker: the result notice to each candidate once
their session's PV is validated (R-72, R-74) — the day it is sent is the day the result is notified: the
appeal's two months run from it (R-82) — and the authority's answer to an appeal."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from titrepro.core import dating
from titrepro.core.templatetags.french_dates import french_date
from titrepro.deliberation.models import Appeal, AppealStatus, Decision, MinutesStatus
from titrepro.rules import appeals


@task()
def send_result_notices(minutes_id: int) -> dict[str, int]:
    """The result notices of a validated PV, one e-mail per candidate (one task for the PV: the validation
    queues one row, not one per candidate); how many were sent, had no address, were skipped."""
    counts: dict[str, int] = {}
    decisions = Decision.objects.filter(registration__session__minutes=minutes_id).exclude(result="")
    for pk in decisions.order_by("pk").values_list("pk", flat=True):
        outcome = notify(pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


@task()
def send_result_notice(decision_id: int) -> str:
    """One candidate's notice (sent again by hand, or after an appeal)."""
    return notify(decision_id)


def notify(decision_id: int) -> str:
    """E-mail the candidate their result with the way to appeal; marks the day of notification."""
    decision = (
        Decision.objects.select_related("registration__candidate", "registration__session__version__title")
        .select_related("registration__session__centre__authority")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None or decision.notified_on is not None:
        return "skipped"
    session = decision.registration.session
    if not session.minutes.filter(status=MinutesStatus.VALIDATED).exists():
        return "skipped"
    candidate = decision.registration.candidate
    with translation.override(settings.LANGUAGE_CODE):
        today = dating.today()
        last_day = appeals.appeal_last_day(today, session.centre.authority.departement)
        if candidate.email:
            body = "\n\n".join(
                [
                    _("Hello %(name)s,") % {"name": candidate.given_names},
                    _("The jury's decision for exam session %(number)s (%(title)s) is validated: %(result)s.")
                    % {
                        "number": session.number,
                        "title": session.version.title.label,
                        "result": decision.get_result_display(),
                    },
                    _("Your result, its reasons and your provisional result statement are in your candidate space."),
                    _(
                        "You may file a gracious appeal against this decision with the authority until %(day)s "
                        "(two months, R-82), from your space."
                    )
                    % {"day": french_date(last_day)},
                ]
            )
            EmailMessage(
                _("Your result — session %(number)s") % {"number": session.number},
                body,
                to=[candidate.email],
            ).send()
        with transaction.atomic():
            Decision.objects.filter(pk=decision.pk, notified_on=None).update(notified_on=today)
    return "sent" if candidate.email else "no_address"


@task()
def send_appeal_answer(appeal_id: int) -> str:
    """E-mail the candidate the authority's answer to their appeal (R-82): dismissed, or upheld with the new
    result and the corrective PV; and the way to go further (the administrative court, two months)."""
    appeal = (
        Appeal.objects.select_related("registration__candidate", "registration__session__version__title")
        .select_related("corrective")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None or appeal.status == AppealStatus.FILED:
        return "skipped"
    registration = appeal.registration
    candidate = registration.candidate
    if not candidate.email:
        return "no_address"
    session = registration.session
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Hello %(name)s,") % {"name": candidate.given_names},
            _(
                "The authority answered the appeal you filed on %(filed)s against the result of session %(number)s (%(title)s)."
            )
            % {"filed": french_date(appeal.filed_on), "number": session.number, "title": session.version.title.label},
        ]
        if appeal.status == AppealStatus.UPHELD:
            decision = Decision.objects.filter(registration=registration).first()
            lines.append(
                _("Your appeal is upheld: the result is now %(result)s (corrective PV %(number)s).")
                % {
                    "result": decision.get_result_display() if decision is not None else "—",
                    "number": appeal.corrective.number if appeal.corrective is not None else "—",
                }
            )
        else:
            lines.append(_("Your appeal is dismissed: the jury's decision stands."))
        lines += [
            _("The authority's answer:") + "\n" + appeal.answer,
            _("The answer and your result are in your candidate space."),
            _("You may contest this decision before the administrative court within two months of receiving it."),
        ]
        EmailMessage(
            _("Answer to your appeal — session %(number)s") % {"number": session.number},
            "\n\n".join(lines),
            to=[candidate.email],
        ).send()
    return "sent"
