"""Logging in for tests of pages behind the staff second factor.

``login_as(client, user)`` = ``client.force_login(user)`` + the session key that
says the second factor was passed (``titrepro.accounts.otp.SESSION_KEY``).
A staff user logged in with ``force_login`` alone is sent to the two-factor
pages by ``SecondFactorMiddleware`` (and is anonymous to the session API).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client

from titrepro.accounts.models import Role, RoleKind
from titrepro.accounts.otp import SESSION_KEY


def login_as(client: Client, user: Any) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = str(user.pk)
    session.save()


PASSWORD = "correct horse battery staple"
_hashed: list[str] = []


def make_user(username: str, kind: str | None = None, **scope: Any) -> Any:
    """A user with the password PASSWORD (hashed once with Argon2, which is slow on purpose)."""
    if not _hashed:
        _hashed.append(make_password(PASSWORD))
    user = get_user_model().objects.create(username=username, email=f"{username}@example.org", password=_hashed[0])
    if kind is not None:
        Role.objects.create(user=user, kind=kind, **scope)
    return user


def world() -> dict[str, Any]:
    """Two authorities, a centre, a jury member and a candidate in each; a user per role in the first."""
    from titrepro.candidates.models import Candidate
    from titrepro.directory.models import ApprovedCentre, Authority, JuryMember

    out: dict[str, Any] = {}
    for n, dep in ((1, "75"), (2, "13")):
        authority = Authority.objects.create(name=f"DDETS {dep}", departement=dep)
        centre = ApprovedCentre.objects.create(code=f"C{n}", name=f"Centre {n}", authority=authority)
        jury = JuryMember.objects.create(
            last_name=f"Jury{n}", first_name="Anne", email=f"jury{n}@example.org", authority=authority
        )
        candidate = Candidate.objects.create(
            birth_name=f"Martin{n}",
            given_names="Paul",
            birth_date=date(1990, 1, n),
            birth_place="Lyon",
            centre=centre,
        )
        out.update({f"authority{n}": authority, f"centre{n}": centre, f"jury{n}": jury, f"candidate{n}": candidate})
    out["admin"] = make_user("admin", RoleKind.NATIONAL_ADMIN)
    out["agent"] = make_user("agent", RoleKind.AUTHORITY_AGENT, authority=out["authority1"])
    out["staff"] = make_user("staff", RoleKind.CENTRE_STAFF, centre=out["centre1"])
    out["juror"] = make_user("juror", RoleKind.JURY_MEMBER, jury_member=out["jury1"])
    out["learner"] = make_user("learner", RoleKind.CANDIDATE, candidate=out["candidate1"])
    out["nobody"] = make_user("nobody")
    return out
