"""The demonstration world is built relative to the day it runs (issue 9, item 10).

Built on fixed days, it must be consistent that day: what is in force covers the version in
force, nothing is dated after the day, no CCP before its version started, and every dashboard
has work to show (an expired and an ending approval and habilitation, VAE files waiting, one
accepted by silence, decided ones, accommodations, candidates without a route, homonyms).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from titrepro.audit.services import verify
from titrepro.candidates.models import (
    Accommodation,
    Candidate,
    InTrainingAssessment,
    Pathway,
    VaeApplication,
    VaeStatusChoice,
)
from titrepro.candidates.queries import vae_status
from titrepro.catalogue.models import TitleVersion
from titrepro.demo.world import build
from titrepro.directory.models import Approval, ApprovalStatus, ApprovedCentre, Habilitation, JuryMember

pytestmark = pytest.mark.django_db

DAYS = [date(2026, 12, 2), date(2027, 6, 15), date(2029, 3, 1)]
QUARTER = timedelta(days=92)


def in_force(version: TitleVersion, day: date) -> bool:
    return (version.valid_from is None or version.valid_from <= day) and (
        version.valid_until is None or day <= version.valid_until
    )


def check_approvals_in_force_cover_the_version_in_force(day: date) -> None:
    tssr_in_force = [v for v in TitleVersion.objects.filter(title__code="TP-01351") if in_force(v, day)]
    assert tssr_in_force, "the catalogue has a TSSR version in force on the test days"
    live = Approval.objects.filter(status=ApprovalStatus.ACTIVE, valid_until__gte=day).select_related("version")
    for approval in live:
        assert in_force(approval.version, day), approval
        assert approval.granted_on <= day
        assert approval.version.valid_from is None or approval.granted_on >= approval.version.valid_from
    for centre in ApprovedCentre.objects.all():
        for version in tssr_in_force:
            assert live.filter(centre=centre, version=version).exists(), (centre, version)
    # Nothing past its end is left active: the system expired it.
    assert not Approval.objects.filter(status=ApprovalStatus.ACTIVE, valid_until__lt=day).exists()


def check_one_approval_expired_about_three_months_ago_and_one_ends_within_three_months(day: date) -> None:
    expired = Approval.objects.filter(status=ApprovalStatus.EXPIRED)
    assert expired.filter(
        valid_until__gte=day - timedelta(days=150), valid_until__lte=day - timedelta(days=45)
    ).exists()
    assert Approval.objects.filter(
        status=ApprovalStatus.ACTIVE, valid_until__gte=day, valid_until__lte=day + QUARTER
    ).exists()


def check_habilitations_in_force_for_most_members_one_expired_one_ending(day: date) -> None:
    habilitations = list(Habilitation.objects.select_related("title"))
    live = [h for h in habilitations if h.ended_on is None and h.granted_on <= day <= h.valid_until]
    assert len({h.member_id for h in live}) >= JuryMember.objects.count() - 2
    for habilitation in live:
        versions = [v for v in TitleVersion.objects.filter(title=habilitation.title) if in_force(v, day)]
        assert versions, habilitation
        assert any(v.valid_until is None or habilitation.valid_until <= v.valid_until for v in versions), habilitation
    assert any(day - timedelta(days=150) <= h.valid_until < day for h in habilitations)
    assert any(day <= h.valid_until <= day + QUARTER for h in live)


def check_nothing_is_dated_after_the_day_nor_a_ccp_before_its_version(day: date) -> None:
    dated: list[date | None] = [
        *Approval.objects.values_list("granted_on", flat=True),
        *Habilitation.objects.values_list("granted_on", flat=True),
        *Pathway.objects.exclude(started_on=None).values_list("started_on", flat=True),
        *InTrainingAssessment.objects.values_list("assessed_on", flat=True),
        *VaeApplication.objects.values_list("filed_on", flat=True),
        *VaeApplication.objects.exclude(decided_on=None).values_list("decided_on", flat=True),
        *Accommodation.objects.values_list("requested_on", flat=True),
        *Accommodation.objects.exclude(decided_on=None).values_list("decided_on", flat=True),
    ]
    assert dated
    assert all(d is not None and d <= day for d in dated)
    assessments = InTrainingAssessment.objects.select_related("ccp__version")
    assert assessments.exists()
    for assessment in assessments:
        version = assessment.ccp.version
        assert in_force(version, assessment.assessed_on), (assessment, version)


def check_vae_files_waiting_accepted_by_silence_and_decided(day: date) -> None:
    applications = list(VaeApplication.objects.select_related("title"))
    waiting = [a for a in applications if a.status == VaeStatusChoice.PENDING]
    assert len(waiting) >= 2
    for application in waiting:
        assert day - application.filed_on < timedelta(days=59)
        assert not vae_status(application, day).tacit
    tacit = [a for a in applications if a.tacit]
    assert len(tacit) == 1
    assert day - tacit[0].filed_on > timedelta(days=62)
    decided = [a for a in applications if a.status != VaeStatusChoice.PENDING and not a.tacit]
    assert {a.status for a in decided} == {VaeStatusChoice.ADMISSIBLE, VaeStatusChoice.REFUSED}


def check_accommodations_candidates_without_route_homonyms_and_a_shown_candidate(day: date) -> None:
    statuses = set(Accommodation.objects.values_list("status", flat=True))
    assert "requested" in statuses
    assert statuses - {"requested"}
    assert Candidate.objects.filter(pathways=None).exists()
    moreau = Candidate.objects.filter(birth_name="MOREAU", given_names="Chloé")
    assert moreau.count() >= 3
    assert len(set(moreau.values_list("birth_date", flat=True))) == moreau.count()

    shown = Candidate.objects.get(email="candidat001@demo.titrepro.fr")
    pathway = shown.pathways.get()
    version = next(v for v in TitleVersion.objects.filter(title=pathway.title) if in_force(v, day))
    passed = set(
        pathway.assessments.filter(result="passed", ccp__version=version).values_list("ccp__number", flat=True)
    )
    numbers = set(version.ccps.values_list("number", flat=True))
    assert passed, "some CCPs passed"
    assert passed < numbers, "some CCPs missing"
    assert verify() is None


@pytest.mark.parametrize("day", DAYS, ids=[d.isoformat() for d in DAYS])
def test_the_world_built_on_a_day_is_consistent_that_day(day: date) -> None:
    build(today=day)  # once per day: each check reads the same world
    check_approvals_in_force_cover_the_version_in_force(day)
    check_one_approval_expired_about_three_months_ago_and_one_ends_within_three_months(day)
    check_habilitations_in_force_for_most_members_one_expired_one_ending(day)
    check_nothing_is_dated_after_the_day_nor_a_ccp_before_its_version(day)
    check_vae_files_waiting_accepted_by_silence_and_decided(day)
    check_accommodations_candidates_without_route_homonyms_and_a_shown_candidate(day)
