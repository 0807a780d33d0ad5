"""factory_boy factories for candidates and the organisations around them.

factory_boy is not typed: the tests call the typed ``make_*`` functions at the end.
"""
# mypy: ignore-errors

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.contrib.auth import get_user_model

from titrepro.accounts.models import Role, RoleKind
from titrepro.candidates.models import Accommodation, Candidate, Pathway, VaeApplication
from titrepro.directory.models import ApprovedCentre, Authority


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority

    name = factory.Sequence(lambda n: f"DDETS {n}")
    departement = factory.Sequence(lambda n: f"{10 + n % 80:02d}")


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovedCentre

    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"Centre {n}")
    authority = factory.SubFactory(AuthorityFactory)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    birth_name = factory.Sequence(lambda n: f"Martin{n}")
    given_names = "Léa Marie"
    birth_date = datetime.date(1995, 4, 12)
    birth_place = "Lyon"
    email = factory.Sequence(lambda n: f"lea{n}@example.org")
    centre = factory.SubFactory(CentreFactory)


class PathwayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pathway

    candidate = factory.SubFactory(CandidateFactory)
    route = "training"
    started_on = datetime.date(2026, 1, 5)


class VaeApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VaeApplication

    candidate = factory.SubFactory(CandidateFactory)
    filed_on = datetime.date(2026, 1, 15)


class AccommodationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accommodation

    candidate = factory.SubFactory(CandidateFactory)
    requested_on = datetime.date(2026, 2, 1)
    kinds = factory.LazyFunction(lambda: ["extra_time"])
    medical_opinion_on = datetime.date(2026, 1, 20)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = "!unusable"  # Django's mark of an unusable password: no slow hashing in tests


def user_with_role(kind: RoleKind, **scope: Any) -> Any:
    """A user with one role, e.g. ``user_with_role(RoleKind.CENTRE_STAFF, centre=centre)``."""
    user = UserFactory()
    Role.objects.create(user=user, kind=kind, **scope)
    return user


def make_centre(**fields: Any) -> ApprovedCentre:
    return CentreFactory(**fields)


def make_candidate(**fields: Any) -> Candidate:
    return CandidateFactory(**fields)


def make_pathway(**fields: Any) -> Pathway:
    return PathwayFactory(**fields)


def make_vae_application(**fields: Any) -> VaeApplication:
    return VaeApplicationFactory(**fields)


def make_accommodation(**fields: Any) -> Accommodation:
    return AccommodationFactory(**fields)
