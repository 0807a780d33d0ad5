"""The demonstration world of the quick start."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from titrepro.accounts.models import Role, RoleKind
from titrepro.audit.services import verify
from titrepro.candidates.models import Candidate, Pathway
from titrepro.demo.world import PASSWORD, build
from titrepro.directory.models import Approval, ApprovedCentre, Authority, Habilitation, JuryMember

pytestmark = pytest.mark.django_db


def test_the_world_is_believable_and_its_accounts_work() -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert Authority.objects.count() == 2
    assert ApprovedCentre.objects.count() == 3
    assert set(Approval.objects.values_list("version__label", flat=True)) == {"2023", "2026"}
    assert JuryMember.objects.count() == 12
    assert Habilitation.objects.filter(ended_on=None).count() == 12
    assert Candidate.objects.count() == 100
    assert set(Pathway.objects.values_list("route", flat=True)) == {"training", "apprenticeship", "vae", "accumulation"}
    assert {r.kind for r in Role.objects.all()} == set(RoleKind)
    printed = out.getvalue()
    for role in Role.objects.select_related("user"):
        assert role.user.username in printed
        assert authenticate(username=role.user.username, password=PASSWORD) == role.user
    assert verify() is None


def test_running_it_twice_changes_nothing() -> None:
    build()
    counts = (Candidate.objects.count(), Habilitation.objects.count(), Approval.objects.count(), Role.objects.count())
    build()
    assert (
        Candidate.objects.count(),
        Habilitation.objects.count(),
        Approval.objects.count(),
        Role.objects.count(),
    ) == counts


def test_refused_outside_development() -> None:
    with override_settings(DEVELOPMENT=False), pytest.raises(ImproperlyConfigured):
        build()
    assert not Authority.objects.exists()
