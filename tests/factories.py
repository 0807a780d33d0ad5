"""Every factory of the test suite (factory_boy, with traits) and the typed ``make_*`` helpers tests call.

factory_boy's declarations carry no annotations, so tests use the typed
``make_*`` functions at the end; their keyword-only flags are the factories'
traits (``make_approval(expired=True)`` = ``ApprovalFactory.create(expired=True)``).
Dates that matter for a trait are relative to ``timezone.localdate()``: an
expired approval stays expired whatever the day the suite runs.

Users get Django's mark of an unusable password (no slow Argon2 hashing); the
few tests that log in with a password ask for ``with_password=True``, which
reuses one hash of ``PASSWORD`` computed once.
"""

# factory_boy's declarations and ``Factory.create`` carry no annotations.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import datetime
from typing import Any

import factory.django
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory, Trait

from titrepro.accounts.models import Role, RoleKind
from titrepro.candidates.models import (
    Accommodation,
    Candidate,
    DecisionStatus,
    Pathway,
    VaeApplication,
    VaeStatusChoice,
)
from titrepro.catalogue.models import Title, TitleVersion
from titrepro.directory.models import (
    Approval,
    ApprovalStatus,
    ApprovedCentre,
    Authority,
    DeclaredLink,
    Habilitation,
    JuryMember,
    ProfessionalExperience,
    TrainingProvider,
)
from titrepro.rules.dates import add_months, add_years

# The fictional title TP-99901 has two versions: 2020 (ends 31 December 2024) and 2025 (ends 31 December 2029).
FICTIONAL_CODE = "TP-99901"
V1_END = datetime.date(2024, 12, 31)
V2_START = datetime.date(2025, 1, 1)
V2_END = datetime.date(2029, 12, 31)

PASSWORD = "correct horse battery staple"
_hashed: list[str] = []


def today() -> datetime.date:
    return timezone.localdate()


def make_title(code: str = FICTIONAL_CODE) -> Title:
    """The fictional title (created once per test database state, then reused)."""
    existing = Title.objects.filter(code=code).first()
    if existing is not None:
        return existing
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


def current_fictional_version() -> TitleVersion:
    return make_title().versions.get(label="2025")


def hashed_password() -> str:
    """One Argon2 hash of PASSWORD for the whole run (Argon2 is slow on purpose)."""
    if not _hashed:
        _hashed.append(make_password(PASSWORD))
    return _hashed[0]


# Départements drawn by the sequence: never the ones tests name explicitly (13, 69, 75), so no clash.
_DEPARTEMENTS = [f"{n:02d}" for n in range(1, 96) if n not in (13, 20, 69, 75)]


# Directory ----------------------------------------------------------------------------------------


class AuthorityFactory(factory.django.DjangoModelFactory[Authority]):
    class Meta:
        model = Authority

    name = Sequence(lambda n: f"DDETS {n}")
    departement = Sequence(lambda n: _DEPARTEMENTS[n % len(_DEPARTEMENTS)])


class CentreFactory(factory.django.DjangoModelFactory[ApprovedCentre]):
    class Meta:
        model = ApprovedCentre

    code = Sequence(lambda n: f"C{n:04d}")
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
    """An active approval of the fictional title's 2025 version; traits: expired, suspended, withdrawn."""

    class Meta:
        model = Approval

    class Params:
        # Granted three years ago, ended yesterday.
        expired = Trait(
            granted_on=LazyFunction(lambda: add_years(today(), -3)),
            valid_until=LazyFunction(lambda: today() - datetime.timedelta(days=1)),
        )
        suspended = Trait(status=ApprovalStatus.SUSPENDED)
        # Withdrawn ten days ago, with a ban on re-applying for a year (R-33: at most two).
        withdrawn = Trait(
            status=ApprovalStatus.WITHDRAWN,
            withdrawn_on=LazyFunction(lambda: today() - datetime.timedelta(days=10)),
            reapply_banned_until=LazyAttribute(lambda o: add_years(o.withdrawn_on, 1)),
        )

    centre = SubFactory(CentreFactory)
    version = LazyFunction(current_fictional_version)
    site_address = "1 rue de l’Exemple, 69000 Lyon"
    granted_on = datetime.date(2025, 3, 1)
    valid_until = V2_END
    authority = LazyAttribute(lambda o: o.centre.authority)


class HabilitationFactory(factory.django.DjangoModelFactory[Habilitation]):
    """A jury member's habilitation for the fictional title; traits: ending_next_month, ended."""

    class Meta:
        model = Habilitation

    class Params:
        ending_next_month = Trait(
            granted_on=LazyFunction(lambda: add_years(today(), -1)),
            valid_until=LazyFunction(lambda: add_months(today(), 1)),
        )
        ended = Trait(ended_on=LazyAttribute(lambda o: o.granted_on), end_reason="À sa demande")

    member = SubFactory(JuryMemberFactory)
    title = LazyFunction(make_title)
    authority = LazyAttribute(lambda o: o.member.authority)
    granted_on = datetime.date(2025, 3, 1)
    valid_until = V2_END


class LinkFactory(factory.django.DjangoModelFactory[DeclaredLink]):
    """A link a jury member declared (employer by default)."""

    class Meta:
        model = DeclaredLink

    member = SubFactory(JuryMemberFactory)
    kind = "employer"
    label = "Société exemple"


# Candidates ---------------------------------------------------------------------------------------


class CandidateFactory(factory.django.DjangoModelFactory[Candidate]):
    class Meta:
        model = Candidate

    birth_name = Sequence(lambda n: f"Martin{n}")
    given_names = "Léa Marie"
    birth_date = datetime.date(1995, 4, 12)
    birth_place = "Lyon"
    email = Sequence(lambda n: f"lea{n}@example.org")
    centre = SubFactory(CentreFactory)


class PathwayFactory(factory.django.DjangoModelFactory[Pathway]):
    class Meta:
        model = Pathway

    candidate = SubFactory(CandidateFactory)
    title = LazyFunction(make_title)
    route = "training"
    started_on = datetime.date(2026, 1, 5)


def _decided_by(o: Any) -> Authority:
    authority: Authority = o.candidate.centre.authority
    return authority


class VaeApplicationFactory(factory.django.DjangoModelFactory[VaeApplication]):
    """A pending VAE application; traits: accepted_by_silence, admissible, refused.

    Silence two months after the complete file is an acceptance (R-21): a file
    received three months ago and still pending is accepted by silence.
    """

    class Meta:
        model = VaeApplication

    class Params:
        accepted_by_silence = Trait(filed_on=LazyFunction(lambda: add_months(today(), -3)))
        admissible = Trait(
            status=VaeStatusChoice.ADMISSIBLE,
            decided_on=LazyAttribute(lambda o: o.filed_on + datetime.timedelta(days=20)),
            decided_by=LazyAttribute(_decided_by),
        )
        refused = Trait(
            status=VaeStatusChoice.REFUSED,
            decided_on=LazyAttribute(lambda o: o.filed_on + datetime.timedelta(days=20)),
            decided_by=LazyAttribute(_decided_by),
            reason="Expérience sans rapport avec le titre",
        )

    candidate = SubFactory(CandidateFactory)
    title = LazyFunction(make_title)
    filed_on = datetime.date(2026, 1, 15)


class AccommodationFactory(factory.django.DjangoModelFactory[Accommodation]):
    """A requested accommodation; traits: granted, refused."""

    class Meta:
        model = Accommodation

    class Params:
        granted = Trait(
            status=DecisionStatus.GRANTED,
            decided_on=LazyAttribute(lambda o: o.requested_on + datetime.timedelta(days=10)),
            decided_by=LazyAttribute(_decided_by),
        )
        refused = Trait(
            status=DecisionStatus.REFUSED,
            decided_on=LazyAttribute(lambda o: o.requested_on + datetime.timedelta(days=10)),
            decided_by=LazyAttribute(_decided_by),
            reason="Avis médical insuffisant",
        )

    candidate = SubFactory(CandidateFactory)
    requested_on = datetime.date(2026, 2, 1)
    kinds = LazyFunction(lambda: ["extra_time"])
    medical_opinion_on = datetime.date(2026, 1, 20)


# Users --------------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory[Any]):
    """A user with an unusable password; trait with_password: PASSWORD (hashed once for the run)."""

    class Meta:
        model = get_user_model()

    class Params:
        with_password = Trait(password=LazyFunction(hashed_password))

    username = Sequence(lambda n: f"user{n}")
    email = LazyAttribute(lambda o: f"{o.username}@example.org")
    password = "!unusable"  # Django's mark of an unusable password


# Typed helpers ------------------------------------------------------------------------------------


def make_authority(**fields: Any) -> Authority:
    authority: Authority = AuthorityFactory.create(**fields)
    return authority


def make_centre(**fields: Any) -> ApprovedCentre:
    centre: ApprovedCentre = CentreFactory.create(**fields)
    return centre


def make_provider(**fields: Any) -> TrainingProvider:
    provider: TrainingProvider = ProviderFactory.create(**fields)
    return provider


def make_jury_member(**fields: Any) -> JuryMember:
    member: JuryMember = JuryMemberFactory.create(**fields)
    return member


def make_experience(**fields: Any) -> ProfessionalExperience:
    experience: ProfessionalExperience = ExperienceFactory.create(**fields)
    return experience


def make_approval(
    *, expired: bool = False, suspended: bool = False, withdrawn: bool = False, **fields: Any
) -> Approval:
    approval: Approval = ApprovalFactory.create(expired=expired, suspended=suspended, withdrawn=withdrawn, **fields)
    return approval


def make_habilitation(*, ending_next_month: bool = False, ended: bool = False, **fields: Any) -> Habilitation:
    habilitation: Habilitation = HabilitationFactory.create(ending_next_month=ending_next_month, ended=ended, **fields)
    return habilitation


def make_link(**fields: Any) -> DeclaredLink:
    link: DeclaredLink = LinkFactory.create(**fields)
    return link


def make_candidate(**fields: Any) -> Candidate:
    candidate: Candidate = CandidateFactory.create(**fields)
    return candidate


def make_pathway(**fields: Any) -> Pathway:
    pathway: Pathway = PathwayFactory.create(**fields)
    return pathway


def make_vae_application(
    *, accepted_by_silence: bool = False, admissible: bool = False, refused: bool = False, **fields: Any
) -> VaeApplication:
    application: VaeApplication = VaeApplicationFactory.create(
        accepted_by_silence=accepted_by_silence, admissible=admissible, refused=refused, **fields
    )
    return application


def make_accommodation(*, granted: bool = False, refused: bool = False, **fields: Any) -> Accommodation:
    accommodation: Accommodation = AccommodationFactory.create(granted=granted, refused=refused, **fields)
    return accommodation


def make_user(*, with_password: bool = False, **fields: Any) -> Any:
    """A user without a role (``username=`` and the other fields of Django's user may be given)."""
    return UserFactory.create(with_password=with_password, **fields)


def user_with_role(kind: str, *, with_password: bool = False, **scope: Any) -> Any:
    """A user with one role, e.g. ``user_with_role(RoleKind.CENTRE_STAFF, centre=centre)``.

    ``scope`` is the role's organisation (authority=, centre=, jury_member= or candidate=);
    a ``username=`` is passed to the user.
    """
    fields = {name: scope.pop(name) for name in ("username", "email") if name in scope}
    user = make_user(with_password=with_password, **fields)
    Role.objects.create(user=user, kind=kind, **scope)
    return user


def agent_of(authority: Authority) -> Any:
    return user_with_role(RoleKind.AUTHORITY_AGENT, authority=authority)


def centre_staff(centre: ApprovedCentre) -> Any:
    return user_with_role(RoleKind.CENTRE_STAFF, centre=centre)


def member_user(member: JuryMember) -> Any:
    return user_with_role(RoleKind.JURY_MEMBER, jury_member=member)


def national_admin() -> Any:
    return user_with_role(RoleKind.NATIONAL_ADMIN)
