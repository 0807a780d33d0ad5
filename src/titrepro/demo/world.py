"""A believable demonstration world, built through the services (so the audit log tells its story).

Two authorities, three approved centres, a dozen habilitated jury members, a hundred
candidates on every route, and one account per role. Deterministic (a fixed random seed),
and idempotent: run twice, it changes nothing the second time.

It is built relative to the day it runs (``today``, the server's day by default), so it stays
alive on any date the catalogue covers: every approval and habilitation in force covers the
title version in force that day, history is written on the day it happened
(``core.dating.replaying``) and never after today, and no CCP is assessed outside its version.
Every dashboard has work to show: an approval and a habilitation that ended about three months
ago and one of each ending within three months; VAE files waiting for a decision, one accepted
by silence (``titrepro settle`` has run), some decided; accommodation requests pending and
decided; candidates without a route; three homonyms (Chloé MOREAU); and candidat001, whose
record holds some CCPs of the version in force and misses others.

Staff accounts get their authenticator's secret in advance (the command prints it), and
``titrepro demo codes`` prints their current codes (development only, like the password).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from titrepro.accounts.models import STAFF_KINDS, Role, RoleKind, TotpDevice
from titrepro.accounts.otp import provisioning_uri
from titrepro.candidates import services as candidate_services
from titrepro.candidates.models import AccommodationKind, Candidate, Pathway, Route
from titrepro.catalogue.models import CCP, Title, TitleVersion
from titrepro.catalogue.queries import is_valid_on
from titrepro.catalogue.services import load_builtin
from titrepro.core.dating import replaying
from titrepro.credentials import keys
from titrepro.demo import sessions as demo_sessions
from titrepro.directory import services as directory_services
from titrepro.directory.models import ApprovedCentre, Authority, JuryMember, ProfessionalExperience

PASSWORD = "demo-titrepro-2026"  # noqa: S105 - public demo password; build() refuses to run in production
DOMAIN = "demo.titrepro.fr"
SEED = 2026

AUTHORITIES = [
    (
        "75",
        "DDETS de Paris",
        "21 rue Madeleine Vionnet, 93300 Aubervilliers",
        "Claire Martin",
        "Directrice départementale",
    ),
    ("69", "DDETS du Rhône", "8-10 rue du Nord, 69100 Villeurbanne", "Julien Roux", "Directeur départemental"),
]
CENTRES = [
    ("CA-75-001", "Centre numérique de Paris", "75", "12 rue de la Roquette, 75011 Paris", "11111111100011"),
    ("CA-75-002", "Institut des réseaux d'Île-de-France", "75", "40 avenue d'Italie, 75013 Paris", "22222222200022"),
    ("CA-69-001", "Campus des métiers du numérique de Lyon", "69", "3 quai Perrache, 69002 Lyon", "33333333300033"),
]
GIVEN = [
    "Camille",
    "Léa",
    "Hugo",
    "Inès",
    "Lucas",
    "Manon",
    "Nathan",
    "Chloé",
    "Yanis",
    "Sarah",
    "Louis",
    "Jade",
    "Adam",
    "Emma",
    "Noah",
    "Lina",
    "Ethan",
    "Zoé",
    "Rayan",
    "Alice",
]
NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
]
PLACES = ["Paris", "Lyon", "Marseille", "Lille", "Nantes", "Rennes", "Toulouse", "Bordeaux", "Grenoble", "Dijon"]


REASON = "Données de démonstration"
SOON = timedelta(days=60)  # "ends within three months"
AGO = timedelta(days=90)  # "ended about three months ago"
# The extra sites: one approval there ends within three months, the other ended three months ago.
ENDING_SITE = ("CA-75-002", "Antenne de Saint-Denis, 5 rue du Landy, 93200 Saint-Denis")
EXPIRED_SITE = ("CA-69-001", "Antenne de Vénissieux, 20 avenue Jean Jaurès, 69200 Vénissieux")
ENDING_MEMBER, EXPIRED_MEMBER = 10, 11  # indexes of the jury members whose habilitation ends soon / ended
WITHOUT_ROUTE = {24, 49, 74, 99}  # candidates registered at a centre, no route yet
ACCOMMODATED = (5, 15, 25, 35)  # two requests pending, one granted, one refused


@dataclass(frozen=True)
class Account:
    role: str
    email: str
    scope: str
    totp_secret: str = ""  # staff accounts: their authenticator's secret (development only)
    otpauth: str = ""


def require_development() -> None:
    if not settings.DEVELOPMENT:
        raise ImproperlyConfigured("The demonstration world is for development only (TITREPRO_ENV=development).")


def _user(email: str, first: str, last: str) -> Any:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first, "last_name": last}
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


def _role(user: Any, kind: RoleKind, **scope: Any) -> None:
    Role.objects.get_or_create(user=user, kind=kind, **scope)


def _authenticator(user: Any) -> TotpDevice:
    """The staff account's authenticator, its secret chosen in advance: the first login's set-up page
    shows this secret and confirms it with a first code (``demo codes`` prints it), as for anyone."""
    device, _created = TotpDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    return device


def version_on(versions: list[TitleVersion], day: date) -> TitleVersion | None:
    """The latest version in force on ``day``, or None (never a version that has not started)."""
    in_force = [v for v in versions if is_valid_on(v, day)]
    return max(in_force, key=lambda v: (v.valid_from or date.min, v.label)) if in_force else None


def _start(version: TitleVersion, day: date) -> date:
    """``day``, or the version's first day if ``day`` comes before it."""
    return max(day, version.valid_from) if version.valid_from else day


def build(today: date | None = None) -> list[Account]:
    """Build the world as of ``today`` (the server's day by default); the accounts to log in with."""
    require_development()
    today = today or timezone.localdate()
    rnd = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    load_builtin()
    tssr = Title.objects.get(code="TP-01351")
    versions = sorted(tssr.versions.all(), key=lambda v: (v.valid_from or date.min, v.label))
    current = [v for v in versions if is_valid_on(v, today)]
    if not current:
        raise ImproperlyConfigured(f"No version of {tssr.code} is in force on {today}: the demo needs one.")
    staff_kinds = {str(kind) for kind in STAFF_KINDS}
    accounts: list[tuple[str, Any, str, bool]] = []
    with transaction.atomic(), replaying(today):
        admin = _user(f"admin@{DOMAIN}", "Anne", "Dupré")
        admin.is_staff = admin.is_superuser = True
        admin.save()
        _role(admin, RoleKind.NATIONAL_ADMIN)
        accounts.append(("national administrator", admin, "France", True))

        authorities, agents = {}, {}
        for code, name, address, signatory, signatory_title in AUTHORITIES:
            authority, _ = Authority.objects.get_or_create(
                departement=code,
                defaults={
                    "name": name,
                    "address": address,
                    "signatory_name": signatory,
                    "signatory_title": signatory_title,
                },
            )
            authorities[code] = authority
            # Its development signing key (titrepro.credentials.keys), for the documents the worker issues.
            keys.init_keys([(authority.departement, authority.name)])
            agent = _user(f"agent{code}@{DOMAIN}", "Agent", name)
            _role(agent, RoleKind.AUTHORITY_AGENT, authority=authority)
            agents[authority.pk] = agent
            accounts.append(("authority agent", agent, name, RoleKind.AUTHORITY_AGENT in staff_kinds))

        centres, staff = [], {}
        for code, name, departement, address, siret in CENTRES:
            centre, created = ApprovedCentre.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "authority": authorities[departement],
                    "address": address,
                    "siret": siret,
                    "email": f"{code.lower()}@{DOMAIN}",
                },
            )
            centres.append(centre)
            if created:
                _approvals(admin, centre, versions, current, today)
            user = _user(f"centre-{code.lower()}@{DOMAIN}", "Responsable", name)
            _role(user, RoleKind.CENTRE_STAFF, centre=centre)
            staff[centre.pk] = user
            accounts.append(("centre staff", user, name, RoleKind.CENTRE_STAFF in staff_kinds))

        members = []
        for index in range(12):
            authority = authorities["75" if index % 2 == 0 else "69"]
            first, last = GIVEN[(index * 3) % len(GIVEN)], NAMES[(index * 7 + 3) % len(NAMES)]
            member, created = JuryMember.objects.get_or_create(
                email=f"jure{index + 1:02d}@{DOMAIN}",
                defaults={"first_name": first, "last_name": last, "authority": authority},
            )
            members.append(member)
            if created:
                _habilitate(rnd, admin, member, tssr, index, versions, current[-1], today)
        jury_user = _user(members[0].email, members[0].first_name, members[0].last_name)
        if members[0].user_id is None:
            members[0].user = jury_user
            members[0].save(update_fields=["user"])
        _role(jury_user, RoleKind.JURY_MEMBER, jury_member=members[0])
        accounts.append(("jury member", jury_user, str(members[0]), False))

        if not Candidate.objects.filter(email__endswith=f"@{DOMAIN}").exists():
            _candidates(rnd, admin, centres, staff, agents, tssr, versions, current[-1], today)
        shown = Candidate.objects.filter(email=f"candidat001@{DOMAIN}").first()
        if shown is not None:
            candidate_user = _user(shown.email, shown.given_names, shown.birth_name)
            _role(candidate_user, RoleKind.CANDIDATE, candidate=shown)
            accounts.append(("candidate", candidate_user, str(shown), False))

        home = shown.centre if shown is not None else centres[0]
        demo_sessions.build(
            today,
            tssr=tssr,
            version=current[-1],
            centre=home,
            staff=staff[home.pk],
            agent=agents[home.authority_id],
            members=members,
            shown=shown,
        )
        # The members of the deliberated session sign in their own name: their accounts are listed too.
        listed = {user.pk for _kind, user, _scope, _staff in accounts}
        for jury_role in Role.objects.filter(kind=RoleKind.JURY_MEMBER).select_related("user", "jury_member"):
            if jury_role.user_id not in listed:
                accounts.append(("jury member", jury_role.user, str(jury_role.jury_member), False))
                listed.add(jury_role.user_id)

        # What `titrepro settle` does every day: approvals past their end expire, files unanswered
        # two months are accepted by silence.
        directory_services.expire_approvals(today)
        candidate_services.settle_vae_applications(today)

        result = []
        for role, user, scope, is_staff in accounts:
            device = _authenticator(user) if is_staff else None
            result.append(
                Account(
                    role,
                    user.username,
                    scope,
                    totp_secret=device.secret if device else "",
                    otpauth=provisioning_uri(device) if device else "",
                )
            )
    return result


def codes(now: datetime | None = None) -> Iterator[tuple[str, str]]:
    """The current second-factor code of every demonstration staff account (development only)."""
    require_development()
    devices = TotpDevice.objects.filter(user__username__endswith=f"@{DOMAIN}")
    for device in devices.select_related("user").order_by("user__username"):
        totp = pyotp.TOTP(device.secret)
        yield device.user.username, totp.at(now) if now else totp.now()


def _approvals(
    admin: Any, centre: ApprovedCentre, versions: list[TitleVersion], current: list[TitleVersion], today: date
) -> None:
    """An approval for every version in force on the centre's main site; the extra sites' ones."""
    for version in current:
        _grant_approval(admin, centre, version, centre.address, _start(version, today - timedelta(days=400)))
    if centre.code == ENDING_SITE[0]:
        version = current[-1]
        granted = _start(version, today - timedelta(days=300))
        _grant_approval(admin, centre, version, ENDING_SITE[1], granted, valid_until=today + SOON)
    if centre.code == EXPIRED_SITE[0]:
        # The version that ended about three months ago if there is one, else the one in force then.
        ended = [v for v in versions if v.valid_until and today - 2 * AGO < v.valid_until <= today - AGO / 2]
        lapsed = ended[-1] if ended else version_on(versions, today - AGO)
        if lapsed is None:
            return
        end = lapsed.valid_until if ended and lapsed.valid_until else today - AGO
        granted = _start(lapsed, end - timedelta(days=3 * 365))
        _grant_approval(admin, centre, lapsed, EXPIRED_SITE[1], granted, valid_until=end)
        with replaying(end + timedelta(days=1)):  # the daily settle expired it the day after its end
            directory_services.expire_approvals(end + timedelta(days=1))


def _grant_approval(
    admin: Any,
    centre: ApprovedCentre,
    version: TitleVersion,
    site: str,
    granted: date,
    valid_until: date | None = None,
) -> None:
    with replaying(granted):  # history: recorded on the day it was granted
        directory_services.grant_approval(
            admin,
            centre=centre,
            version=version,
            site_address=site,
            granted_on=granted,
            valid_until=valid_until,
            reason=REASON,
        )


def _habilitate(
    rnd: random.Random,
    admin: Any,
    member: JuryMember,
    tssr: Title,
    index: int,
    versions: list[TitleVersion],
    version: TitleVersion,
    today: date,
) -> None:
    years = 6 + rnd.randrange(10)  # three years in the job before any habilitation of the demo
    ProfessionalExperience.objects.create(
        member=member,
        title=tssr,
        job="Technicien systèmes et réseaux",
        employer=rnd.choice(["Orange Business", "Capgemini", "Mairie de Lyon", "AP-HP", "Sopra Steria"]),
        start=today - timedelta(days=365 * years),
        end=None,
    )
    valid_until = None
    granted = _start(version, today - timedelta(days=rnd.randrange(30, 300)))
    if index == ENDING_MEMBER:
        valid_until = today + SOON
    elif index == EXPIRED_MEMBER:
        valid_until = today - AGO
        then = version_on(versions, valid_until)
        if then is None:
            return
        granted = _start(then, valid_until - timedelta(days=365))
    with replaying(granted):
        directory_services.grant_habilitation(
            admin, member=member, title=tssr, granted_on=granted, valid_until=valid_until, reason=REASON
        )


def _candidates(
    rnd: random.Random,
    admin: Any,
    centres: list[ApprovedCentre],
    staff: dict[int, Any],
    agents: dict[int, Any],
    tssr: Title,
    versions: list[TitleVersion],
    version: TitleVersion,
    today: date,
) -> None:
    routes = [Route.TRAINING] * 5 + [Route.APPRENTICESHIP] * 2 + [Route.VAE] * 2 + [Route.ACCUMULATION]
    ccps: dict[int, dict[int, CCP]] = {v.pk: {c.number: c for c in v.ccps.all()} for v in versions}
    vae_files = 0
    for index in range(100):
        centre = centres[index % len(centres)]
        clerk, agent = staff[centre.pk], agents[centre.authority_id]
        given, name = GIVEN[index % len(GIVEN)], NAMES[(index * 7) % len(NAMES)]
        candidate, _warnings = candidate_services.create_candidate(
            admin,
            centre,
            birth_name=name.upper(),
            given_names=given,
            birth_date=date(1975, 1, 1) + timedelta(days=rnd.randrange(365 * 30)),
            birth_place=rnd.choice(PLACES),
            email=f"candidat{index + 1:03d}@{DOMAIN}",
            phone=f"06 {rnd.randrange(10, 99)} {rnd.randrange(10, 99)} {rnd.randrange(10, 99)} {rnd.randrange(10, 99)}",
        )
        route = routes[index % len(routes)]
        started = today - timedelta(days=rnd.randrange(30, 500))
        if index in ACCOMMODATED:
            _accommodation(admin, agent, candidate, ACCOMMODATED.index(index), today)
        if index in WITHOUT_ROUTE:
            continue
        pathway = Pathway.objects.create(
            candidate=candidate,
            title=tssr,
            route=route,
            provider_name="" if route == Route.VAE else rnd.choice(["AFPA", "Greta", "CNAM", "Simplon"]),
            started_on=None if route == Route.VAE else started,
        )
        if index == 0:
            # candidat001: CCPs 1 and 2 of the version in force passed, the last one failed.
            numbers = sorted(ccps[version.pk])
            for position, number in enumerate(numbers):
                day = _start(version, today - timedelta(days=50 - 15 * position))
                result = "failed" if number == numbers[-1] else "passed"
                _assess(clerk, pathway, ccps[version.pk][number], result, min(day, today))
        elif route in (Route.TRAINING, Route.APPRENTICESHIP) and started < today - timedelta(days=120):
            for number in (1, 2, 3):
                passed = rnd.random() < 0.85
                if rnd.random() >= 0.7:
                    continue
                day = started + timedelta(days=30 * number)
                then = version_on(versions, day)
                ccp = ccps[then.pk].get(number) if then else None
                if ccp is not None and day <= today:
                    _assess(clerk, pathway, ccp, "passed" if passed else "failed", day)
        if route == Route.VAE:
            _vae(rnd, clerk, agent, candidate, tssr, vae_files, today)
            vae_files += 1


def _assess(clerk: Any, pathway: Pathway, ccp: CCP, result: str, day: date) -> None:
    with replaying(day):
        candidate_services.record_assessment(clerk, pathway, ccp, result, day)


def _vae(rnd: random.Random, clerk: Any, agent: Any, candidate: Candidate, tssr: Title, rank: int, today: date) -> None:
    """The first file is left unanswered past two months (accepted by silence), the next two are
    decided (admissible, refused), the others wait for a decision (filed less than two months ago)."""
    if rank == 0:
        filed = today - timedelta(days=75)
    elif rank in (1, 2):
        filed = today - timedelta(days=150 + 40 * rank)
    else:
        filed = today - timedelta(days=rnd.randrange(3, 50))
    with replaying(filed):
        application = candidate_services.file_vae_application(clerk, candidate, tssr, filed)
    if rank in (1, 2):
        decided = filed + timedelta(days=20)
        with replaying(decided):
            candidate_services.decide_vae(
                agent,
                application,
                admissible=rank == 1,
                on=decided,
                reason="" if rank == 1 else "L’expérience décrite ne correspond pas aux activités du titre visé.",
            )


def _accommodation(admin: Any, agent: Any, candidate: Candidate, rank: int, today: date) -> None:
    """Two requests pending (one still without its medical opinion), one granted, one refused."""
    requested = today - timedelta(days=(10, 3, 70, 120)[rank])
    opinion = None if rank == 1 else requested - timedelta(days=10)
    with replaying(requested):
        accommodation = candidate_services.request_accommodation(
            admin,
            candidate,
            requested_on=requested,
            kinds=[AccommodationKind.EXTRA_TIME] if rank % 2 == 0 else [AccommodationKind.ADAPTED_ROOM],
            details="Tiers temps demandé pour les épreuves écrites."
            if rank % 2 == 0
            else "Salle accessible en fauteuil.",
            medical_opinion_on=opinion,
        )
    if rank >= 2:
        decided = requested + timedelta(days=20)
        with replaying(decided):
            candidate_services.decide_accommodation(
                agent,
                accommodation,
                granted=rank == 2,
                on=decided,
                reason="" if rank == 2 else "L’avis médical ne recommande pas cet aménagement.",
            )
