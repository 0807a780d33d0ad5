"""Background work of sessions, run by the task worker (``titrepro db_worker``, django-tasks-db).

A convocation is rendered and sent here; a failure is retried (``SEND_ATTEMPTS`` in all, a little
later each time) and then marked failed with its error. The queue lives in the database, so a
worker stopped and started again picks up what was left: nothing is lost.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.sessions import convocations, leave
from titrepro.sessions.lifecycles import CONVOCATION
from titrepro.sessions.models import Convocation, DeliveryStatus, ExamSession, JuryStatus, RegistrationStatus

SEND_ATTEMPTS = 3
RETRY_DELAY = timedelta(minutes=2)


@task()
def send_convocation(convocation_id: int) -> str:
    """Render one convocation, keep its PDF, e-mail it with its .ics; retried, then marked failed."""
    convocation = (
        Convocation.objects.select_related(
            "session__version__title", "session__centre__authority", "registration__candidate", "assignment__member"
        )
        .filter(pk=convocation_id)
        .first()
    )
    if convocation is None or convocation.status != DeliveryStatus.QUEUED:
        return "skipped"
    attempts = convocation.attempts + 1
    try:
        issued = timezone.now()
        pdf_bytes = convocations.render_pdf(convocation, issued=issued)
        if convocation.pdf:
            convocation.pdf.delete(save=False)
        convocation.pdf.save(f"{convocation.reference}.pdf", ContentFile(pdf_bytes), save=False)
        Convocation.objects.filter(pk=convocation.pk).update(pdf=convocation.pdf.name)
        if not convocation.email:
            raise ValueError(_("No e-mail address: print the convocation and send it by post."))
        message = convocations.email(convocation, pdf_bytes)
        if convocation.assignment is not None and leave.current_employer(convocation.assignment):
            # An employed member: the leave request for their employer goes with the convocation.
            letter = leave.render_pdf(convocation.assignment, issued=issued)
            message.attach(leave.filename(convocation.assignment), letter, "application/pdf")
            message.body += (
                "\n" + _("The request for leave of absence to hand to your employer is attached too.") + "\n"
            )
        message.send()
    except Exception as error:  # any failure: keep its message for the centre, retry, then give up
        text = str(error)[:1000] or error.__class__.__name__
        no_address = not convocation.email
        if attempts < SEND_ATTEMPTS and not no_address:
            Convocation.objects.filter(pk=convocation.pk).update(attempts=attempts, error=text)
            send_convocation.using(run_after=timezone.now() + RETRY_DELAY * attempts).enqueue(convocation.pk)
            return "retry"
        CONVOCATION.apply("fail", None, convocation, changes={"attempts": attempts, "error": text})
        return "failed"
    CONVOCATION.apply(
        "deliver", None, convocation, changes={"attempts": attempts, "error": "", "sent_at": timezone.now()}
    )
    return "sent"


@task()
def send_session_notice(session_id: int, what: str) -> int:
    """Tell the centre, the convened candidates and the jury that the session is cancelled or annulled (R-81)."""
    session = ExamSession.objects.select_related("version__title", "centre").get(pk=session_id)
    if what == "annulled":
        subject = _("Exam session %(number)s is annulled") % {"number": session.number}
        lead = _("The authority annulled exam session %(number)s (%(title)s), %(days)s, for this reason:")
    else:
        subject = _("Exam session %(number)s is cancelled") % {"number": session.number}
        lead = _("The centre cancelled exam session %(number)s (%(title)s), %(days)s, for this reason:")
    body = (
        lead
        % {"number": session.number, "title": session.version.title.label, "days": convocations.days_label(session)}
        + f"\n\n{session.end_reason}\n\n{session.centre.name}\n"
    )
    recipients = {session.centre.email} if session.centre.email else set()
    recipients |= set(
        session.registrations.filter(status=RegistrationStatus.REGISTERED)
        .exclude(candidate__email="")
        .values_list("candidate__email", flat=True)
    )
    recipients |= set(
        session.jury.filter(status__in=[JuryStatus.ACCEPTED, JuryStatus.PROPOSED]).values_list(
            "member__email", flat=True
        )
    )
    for address in sorted(recipients):
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]).send()
    return len(recipients)
