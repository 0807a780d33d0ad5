"""The demo world's deliberation: the session held ten days ago is evaluated, decided, signed, submitted and
validated, through the services on the days each step would have happened, so that results, statistics and
documents have something to show.

    the day itself   the members present recorded; one title awarded, one partial success, one failure
                     (the fraud report's candidate), the absent candidate recorded absent; every member signs
    three days later the centre submits the PV, the authority validates it: holdings written, documents queued

The members of that session get a demo account (``jury-<pk>@demo.titrepro.fr`` is not used: their own e-mail
address, the demo's password) so that they sign in their own name, as the rules want.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model

from titrepro.accounts.models import Role, RoleKind
from titrepro.candidates.models import InTrainingAssessment, Route
from titrepro.catalogue.models import CCP
from titrepro.core.dating import replaying
from titrepro.deliberation import services
from titrepro.sessions.lifecycles import jury_check_of
from titrepro.sessions.models import Attendance, ExamSession, JuryAssignment, JuryStatus, Registration

DAY_OF_VALIDATION = timedelta(days=3)


def member_account(assignment: JuryAssignment, password: str) -> Any:
    """The jury member's account (made once, with the jury member role)."""
    member = assignment.member
    if member.user_id is not None:
        user = member.user
    else:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=member.email,
            defaults={"email": member.email, "first_name": member.first_name, "last_name": member.last_name},
        )
        if created:
            user.set_password(password)
            user.save()
        member.user = user
        member.save(update_fields=["user"])
    Role.objects.get_or_create(user=user, kind=RoleKind.JURY_MEMBER, jury_member=member)
    return user


def _ecf(registration: Registration, on: date) -> None:
    """The training provider's ECF results, one per CCP (R-53), for a candidate from training."""
    for pathway in registration.candidate.pathways.filter(
        title=registration.session.version.title_id, route__in=(Route.TRAINING, Route.APPRENTICESHIP)
    ):
        for ccp in CCP.objects.filter(version=registration.session.version_id):
            InTrainingAssessment.objects.get_or_create(
                pathway=pathway, ccp=ccp, defaults={"result": "passed", "assessed_on": on}
            )


def deliberate(staff: Any, agent: Any, session: ExamSession, password: str) -> None:
    """Deliberate and validate the held session (see the module's docstring)."""
    first = session.first_day
    jury = list(session.jury.filter(status=JuryStatus.ACCEPTED).select_related("member").order_by("pk"))
    users = {a.pk: member_account(a, password) for a in jury}
    ccps = sorted(CCP.objects.filter(version=session.version_id).values_list("number", flat=True))
    with replaying(first):
        services.record_presence(staff, session, jury)
        free = jury_check_of(session).free_members
        present = [r for r in session.registrations.order_by("pk") if r.attendance != Attendance.ABSENT]
        for registration in session.registrations.order_by("pk"):
            deciding = next((a for a in jury if a.member_id in free.get(registration.candidate_id, ())), None)
            if deciding is None:
                continue
            user = users[deciding.pk]
            if registration.attendance == Attendance.ABSENT:
                services.decide(user, registration, result="absent")
                continue
            _ecf(registration, first - timedelta(days=30))
            rank = present.index(registration)
            if rank == 0:
                services.decide(
                    user,
                    registration,
                    result="partial_success",
                    ccps=ccps[:1],
                    reason="Les CCP suivants ne sont pas démontrés : procédures de sauvegarde incomplètes.",
                    final_interview_held=True,
                )
            elif rank == 1:
                services.decide(
                    user,
                    registration,
                    result="failure",
                    reason="Compétences non démontrées ; un signalement de fraude est joint au PV.",
                    final_interview_held=True,
                )
            else:
                services.decide(user, registration, result="title_awarded", ccps=ccps, final_interview_held=True)
        minutes = services.current_minutes(session)
        for assignment in jury:
            services.sign(users[assignment.pk], minutes)
    with replaying(first + DAY_OF_VALIDATION):
        minutes = services.submit(staff, minutes)
        services.validate(agent, minutes)
