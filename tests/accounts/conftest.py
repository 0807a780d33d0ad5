from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.cache import cache

from tests.factories import make_candidate, make_centre, make_jury_member, make_user, user_with_role
from titrepro.accounts.models import RoleKind
from titrepro.directory.models import Authority


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """Two authorities, a centre, a jury member and a candidate in each; a user per role in the first.

    The users log in with tests.factories.PASSWORD (the login tests type it).
    """
    out: dict[str, Any] = {}
    for n, dep in ((1, "75"), (2, "13")):
        authority = Authority.objects.create(name=f"DDETS {dep}", departement=dep)
        centre = make_centre(code=f"C{n}", name=f"Centre {n}", authority=authority)
        jury = make_jury_member(
            last_name=f"Jury{n}", first_name="Anne", email=f"jury{n}@example.org", authority=authority
        )
        candidate = make_candidate(
            birth_name=f"Martin{n}", given_names="Paul", birth_date=date(1990, 1, n), birth_place="Lyon", centre=centre
        )
        out.update({f"authority{n}": authority, f"centre{n}": centre, f"jury{n}": jury, f"candidate{n}": candidate})

    def user(username: str, kind: str, **scope: Any) -> Any:
        return user_with_role(kind, with_password=True, username=username, **scope)

    out["admin"] = user("admin", RoleKind.NATIONAL_ADMIN)
    out["agent"] = user("agent", RoleKind.AUTHORITY_AGENT, authority=out["authority1"])
    out["staff"] = user("staff", RoleKind.CENTRE_STAFF, centre=out["centre1"])
    out["juror"] = user("juror", RoleKind.JURY_MEMBER, jury_member=out["jury1"])
    out["learner"] = user("learner", RoleKind.CANDIDATE, candidate=out["candidate1"])
    out["nobody"] = make_user(username="nobody", with_password=True)
    return out
