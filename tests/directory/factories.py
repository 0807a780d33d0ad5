"""factory_boy factories for the directory, and users holding each role."""

# factory_boy's declarations carry no annotations.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import datetime
from typing import Any

import factory.django
from django.contrib.auth import get_user_model
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory

from titrepro.accounts.models import Role, RoleKind
from titrepro.catalogue.models import Title, TitleVersion
from titrepro.directory.models import (
    Approval,
    ApprovedCentre,
    Authority,
    DeclaredLink,
    Habilitation,
    JuryMember,
    ProfessionalExperience,
    TrainingProvider,
)

# A fictional title with two versions: 2020 (ends 31 December 2024) and 2025 (ends 31 December 2029).
V1_END = datetime.date(2024, 12, 31)
V2_START = datetime.date(2025, 1, 1)
V2_END = datetime.date(2029, 12, 31)


def make_title(code: str = "TP-99901") -> Title:
    title = Title.objects.create(code=code, label="Technicien fictif", level=5)
    first = TitleVersion.objects.create(
        title=title,
        label="2020",
        rncp_code=f"RNCP{code[-5:]}0",
        valid_from=datetime.date(2020, 1, 1),
        valid_until=V1_END,
        status="revised",
    )
    TitleVersion.objects.create(
        title=title,
        label="2025",
        rncp_code=f"RNCP{code[-5:]}1",
        valid_from=V2_START,
        valid_until=V2_END,
        status="in_force",
        predecessor=first,
    )
    return title


class AuthorityFactory(factory.django.DjangoModelFactory[Authority]):
    class Meta:
        model = Authority
        django_get_or_create = ("departement",)

    name = Sequence(lambda n: f"DDETS {n}")
    departement = Sequence(lambda n: f"{10 + n % 80:02d}")


class CentreFactory(factory.django.DjangoModelFactory[ApprovedCentre]):
    class Meta:
        model = ApprovedCentre

    code = Sequence(lambda n: f"D{n:04d}")
    name = Sequence(lambda n: f"Centre {n}")
    authority = SubFactory(AuthorityFactory)


class ProviderFactory(factory.django.DjangoModelFactory[TrainingProvider]):
    class Meta:
        model = TrainingProvider

    name = Sequence(lambda n: f"Organisme {n}")
    siret = Sequence(lambda n: f"{n:014d}")


class JuryMemberFactory(factory.django.DjangoModelFactory[JuryMember]):
    class Meta:
        model = JuryMember

    last_name = Sequence(lambda n: f"Durand{n}")
    first_name = "Camille"
    email = Sequence(lambda n: f"jure{n}@example.org")
    authority = SubFactory(AuthorityFactory)


class ExperienceFactory(factory.django.DjangoModelFactory[ProfessionalExperience]):
    class Meta:
        model = ProfessionalExperience

    member = SubFactory(JuryMemberFactory)
    job = "Administratrice systèmes"
    employer = "Société exemple"
    start = datetime.date(2015, 1, 1)
    end = None


class ApprovalFactory(factory.django.DjangoModelFactory[Approval]):
    class Meta:
        model = Approval

    centre = SubFactory(CentreFactory)
    version = LazyFunction(lambda: TitleVersion.objects.get(label="2025", title__code="TP-99901"))
    site_address = "1 rue de l’Exemple, 69000 Lyon"
    granted_on = datetime.date(2025, 3, 1)
    valid_until = V2_END
    authority = LazyAttribute(lambda o: o.centre.authority)


class HabilitationFactory(factory.django.DjangoModelFactory[Habilitation]):
    class Meta:
        model = Habilitation

    member = SubFactory(JuryMemberFactory)
    title = LazyFunction(lambda: Title.objects.get(code="TP-99901"))
    authority = LazyAttribute(lambda o: o.member.authority)
    granted_on = datetime.date(2025, 3, 1)
    valid_until = V2_END


class LinkFactory(factory.django.DjangoModelFactory[DeclaredLink]):
    class Meta:
        model = DeclaredLink

    member = SubFactory(JuryMemberFactory)
    kind = "employer"
    label = "Société exemple"


_users = iter(range(1, 1_000_000))


def user_with(kind: str, **scope: Any) -> Any:
    """A user holding one role (``scope``: authority=, centre=, jury_member= or candidate=)."""
    user = get_user_model().objects.create_user(username=f"user{next(_users)}", password=None)
    Role.objects.create(user=user, kind=kind, **scope)
    return user


def agent_of(authority: Authority) -> Any:
    return user_with(RoleKind.AUTHORITY_AGENT, authority=authority)


def national_admin() -> Any:
    return user_with(RoleKind.NATIONAL_ADMIN)


def member_user(member: JuryMember) -> Any:
    return user_with(RoleKind.JURY_MEMBER, jury_member=member)


def centre_staff(centre: ApprovedCentre) -> Any:
    return user_with(RoleKind.CENTRE_STAFF, centre=centre)
