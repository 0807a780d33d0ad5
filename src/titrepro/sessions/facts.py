"""What the session rules (``titrepro.rules.sessions``, ``rules.eligibility``) are told, read from the database.

Each function turns rows into the rules' frozen facts; nothing here decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from titrepro.candidates.models import Candidate, ExamOutcome, Holding, HoldingKind, VaeApplication
from titrepro.candidates.queries import vae_events
from titrepro.catalogue.models import TitleVersion
from titrepro.directory.models import Approval, Habilitation, JuryMember, LinkKind
from titrepro.rules import sessions as rules
from titrepro.rules import standing
from titrepro.sessions.models import ConflictDeclaration, ExamSession, JuryAssignment, Registration


def version_period(version: TitleVersion) -> rules.VersionPeriod:
    return rules.VersionPeriod(valid_from=version.valid_from or date.min, valid_until=version.valid_until)


def approval_facts(approvals: Iterable[Approval]) -> tuple[rules.ApprovalFacts, ...]:
    return tuple(
        rules.ApprovalFacts(
            id=a.pk,
            granted_on=a.granted_on,
            valid_until=a.valid_until,
            status=a.status,
            withdrawn_on=a.withdrawn_on,
        )
        for a in approvals
    )


def habilitation_facts(habilitations: Iterable[Habilitation]) -> tuple[rules.HabilitationFacts, ...]:
    return tuple(
        rules.HabilitationFacts(id=h.pk, granted_on=h.granted_on, valid_until=h.valid_until, ended_on=h.ended_on)
        for h in habilitations
    )


def holdings_of(candidate: Candidate, title_code: str) -> tuple[standing.Holding, ...]:
    """What the candidate holds of the title (not withdrawn), as the standing engine reads it."""
    held: list[standing.Holding] = []
    rows = (
        Holding.objects.filter(candidate=candidate, version__title__code=title_code, withdrawn_on=None)
        .select_related("version", "ccp", "ccs")
        .order_by("obtained_on", "pk")
    )
    for row in rows:
        if row.kind == HoldingKind.CCP and row.ccp is not None:
            held.append(standing.CcpHolding(title_code, row.version.label, row.ccp.number, row.obtained_on))
        elif row.kind == HoldingKind.CCS and row.ccs is not None:
            held.append(standing.CcsHolding(title_code, row.version.label, row.ccs.code, row.obtained_on))
        elif row.kind == HoldingKind.TITLE:
            held.append(standing.TitleHolding(title_code, row.version.label, row.obtained_on))
    return tuple(held)


def outcomes_of(candidate: Candidate, title_code: str) -> tuple[standing.SessionOutcome, ...]:
    """The failures and absences at sessions of the title (validated minutes, not voided)."""
    rows = ExamOutcome.objects.filter(candidate=candidate, version__title__code=title_code, voided_on=None)
    return tuple(
        standing.SessionOutcome(row.kind, standing.SessionKind(row.session_kind), title_code, row.version.label, row.on)
        for row in rows.select_related("version").order_by("on", "pk")
    )


def situation(candidate: Candidate, title_code: str, on: date) -> standing.Situation:
    """The candidate's situation for a title on ``on``: route and training start from the pathway, what they
    hold and their past failures and absences (validated minutes, R-72), the VAE file's events."""
    pathways = [p for p in candidate.pathways.all() if p.title.code == title_code]
    pathway = pathways[0] if pathways else None
    events: list[standing.Event] = list(outcomes_of(candidate, title_code))
    applications: Sequence[VaeApplication] = [a for a in candidate.vae_applications.all() if a.title.code == title_code]
    for application in applications:
        events.extend(vae_events(application))
    started = None
    if pathway is not None and pathway.route in ("training", "apprenticeship"):
        started = pathway.started_on
    return standing.Situation(
        title=title_code,
        on=on,
        route=standing.Route(pathway.route) if pathway is not None else None,
        training_started_on=started,
        holdings=holdings_of(candidate, title_code),
        events=tuple(events),
    )


def candidate_ties(candidate: Candidate) -> rules.CandidateTies:
    pathways = list(candidate.pathways.all())
    return rules.CandidateTies(
        candidate=candidate.pk,
        centre=candidate.centre_id,
        providers=frozenset(p.provider_name for p in pathways if p.provider_name),
        employers=frozenset(p.employer for p in pathways if p.employer),
    )


def member_ties(member: JuryMember, declared: Iterable[int] = ()) -> rules.MemberTies:
    """A member's links (R-64), present or past: declared links, trainer activities, employers of their
    experience, and the candidates of the session they declared a personal link with (``declared``)."""
    links = list(member.declared_links.all())
    return rules.MemberTies(
        member=member.pk,
        centres=frozenset(link.centre_id for link in links if link.centre_id),
        providers=frozenset(
            [t.provider.name for t in member.trainer_activities.all()]
            + [
                link.provider.name if link.provider is not None else link.label
                for link in links
                if link.kind == LinkKind.TRAINING_PROVIDER
            ]
        ),
        employers=frozenset(
            [e.employer for e in member.experiences.all() if e.employer]
            + [link.label for link in links if link.kind == LinkKind.EMPLOYER]
        ),
        candidates=frozenset(declared),
    )


MEMBER_PREFETCH = (
    "member__declared_links__provider",
    "member__trainer_activities__provider",
    "member__experiences",
)


def jury_facts(
    session: ExamSession, assignments: Sequence[JuryAssignment], registrations: Sequence[Registration]
) -> tuple[tuple[rules.MemberTies, ...], tuple[rules.CandidateTies, ...]]:
    """The ties of the session's jury members and candidates, for ``rules.sessions.jury_check``."""
    declared: dict[int, set[int]] = {}
    for assignment_id, candidate_id in ConflictDeclaration.objects.filter(assignment__session=session).values_list(
        "assignment_id", "registration__candidate_id"
    ):
        declared.setdefault(assignment_id, set()).add(candidate_id)
    members = tuple(member_ties(a.member, declared.get(a.pk, ())) for a in assignments)
    candidates = tuple(candidate_ties(r.candidate) for r in registrations)
    return members, candidates
