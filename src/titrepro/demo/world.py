"""A believable demonstration world, built through the services (so the audit log tells its story).

Two authorities, three approved centres with approvals for TSSR 2023 and 2026,
a dozen habilitated jury members, a hundred candidates on every route, and one
account per role. Deterministic (a fixed random seed), and idempotent: run
twice, it changes nothing the second time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from titrepro.accounts.models import Role, RoleKind
from titrepro.candidates import services as candidate_services
from titrepro.candidates.models import Candidate, InTrainingAssessment, Pathway, Route, VaeApplication
from titrepro.catalogue.models import Title
from titrepro.catalogue.services import load_builtin
from titrepro.core.dating import replaying
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


@dataclass(frozen=True)
class Account:
    role: str
    email: str
    scope: str


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


def build(today: date | None = None) -> list[Account]:
    if not settings.DEVELOPMENT:
        raise ImproperlyConfigured("The demonstration world is for development only (TITREPRO_ENV=development).")
    today = today or timezone.localdate()
    rnd = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    load_builtin()
    tssr = Title.objects.get(code="TP-01351")
    versions = {v.label: v for v in tssr.versions.all()}
    accounts: list[Account] = []
    with transaction.atomic():
        admin = _user(f"admin@{DOMAIN}", "Anne", "Dupré")
        admin.is_staff = admin.is_superuser = True
        admin.save()
        _role(admin, RoleKind.NATIONAL_ADMIN)
        accounts.append(Account("national administrator", admin.username, "France"))

        authorities = {}
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
            agent = _user(f"agent{code}@{DOMAIN}", "Agent", name)
            _role(agent, RoleKind.AUTHORITY_AGENT, authority=authority)
            accounts.append(Account("authority agent", agent.username, name))

        centres = []
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
                for label in ("2023", "2026"):
                    version = versions[label]
                    granted = (
                        max(version.valid_from or today, today - timedelta(days=400))
                        if label == "2023"
                        else (version.valid_from or today)
                    )
                    granted = min(granted, version.valid_until or granted)
                    with replaying(granted):  # history: recorded on the day it was granted
                        directory_services.grant_approval(
                            admin,
                            centre=centre,
                            version=version,
                            site_address=address,
                            granted_on=granted,
                            reason="Données de démonstration",
                        )
            staff = _user(f"centre-{code.lower()}@{DOMAIN}", "Responsable", name)
            _role(staff, RoleKind.CENTRE_STAFF, centre=centre)
            accounts.append(Account("centre staff", staff.username, name))

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
                years = 4 + rnd.randrange(12)
                ProfessionalExperience.objects.create(
                    member=member,
                    title=tssr,
                    job="Technicien systèmes et réseaux",
                    employer=rnd.choice(["Orange Business", "Capgemini", "Mairie de Lyon", "AP-HP", "Sopra Steria"]),
                    start=today - timedelta(days=365 * years),
                    end=None,
                )
                habilitated = today - timedelta(days=rnd.randrange(30, 300))
                with replaying(habilitated):
                    directory_services.grant_habilitation(
                        admin, member=member, title=tssr, granted_on=habilitated, reason="Données de démonstration"
                    )
        jury_user = _user(members[0].email, members[0].first_name, members[0].last_name)
        if members[0].user_id is None:
            members[0].user = jury_user
            members[0].save(update_fields=["user"])
        _role(jury_user, RoleKind.JURY_MEMBER, jury_member=members[0])
        accounts.append(Account("jury member", jury_user.username, str(members[0])))

        if not Candidate.objects.filter(email__endswith=f"@{DOMAIN}").exists():
            _candidates(rnd, admin, centres, tssr, today)
        shown = Candidate.objects.filter(email__endswith=f"@{DOMAIN}").order_by("pk").first()
        if shown is not None:
            candidate_user = _user(shown.email, shown.given_names, shown.birth_name)
            _role(candidate_user, RoleKind.CANDIDATE, candidate=shown)
            accounts.append(Account("candidate", candidate_user.username, str(shown)))
    return accounts


def _candidates(rnd: random.Random, admin: Any, centres: list[ApprovedCentre], tssr: Title, today: date) -> None:
    routes = [Route.TRAINING] * 5 + [Route.APPRENTICESHIP] * 2 + [Route.VAE] * 2 + [Route.ACCUMULATION]
    ccps = {c.number: c for c in tssr.versions.get(label="2026").ccps.all()}
    for index in range(100):
        centre = centres[index % len(centres)]
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
        pathway = Pathway.objects.create(
            candidate=candidate,
            title=tssr,
            route=route,
            provider_name="" if route == Route.VAE else rnd.choice(["AFPA", "Greta", "CNAM", "Simplon"]),
            started_on=None if route == Route.VAE else started,
        )
        if route in (Route.TRAINING, Route.APPRENTICESHIP) and started < today - timedelta(days=120):
            for number, ccp in ccps.items():
                if rnd.random() < 0.7:
                    InTrainingAssessment.objects.create(
                        pathway=pathway,
                        ccp=ccp,
                        result="passed" if rnd.random() < 0.85 else "failed",
                        assessed_on=started + timedelta(days=30 * number),
                    )
        if route == Route.VAE:
            VaeApplication.objects.create(
                candidate=candidate, title=tssr, filed_on=today - timedelta(days=rnd.randrange(5, 90))
            )
