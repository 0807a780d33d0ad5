"""Eligibility of a registration: each example names the rule it checks."""

from __future__ import annotations

from datetime import date

import pytest
from tests.rules.fictional import (
    FICTIONAL_CODE,
    INDEXES,
    TSSR_CODE,
    ccp,
    failure,
    situation,
    title_held,
)

from titrepro.rules.eligibility import registration_eligibility
from titrepro.rules.standing import CcsHolding, Route, SessionKind, VaeAdmissibility

F, T = FICTIONAL_CODE, TSSR_CODE
TITLE, CCP, CCS = SessionKind.TITLE, SessionKind.CCP, SessionKind.CCS
ON = date(2026, 11, 28)

EXAMPLES = [
    # (id naming the rule, situation, session kind, version, ccps, ccs, allowed, reason codes, final interview due)
    (
        "R-02 training route, nothing held: title session",
        situation(T, ON, Route.TRAINING, date(2026, 9, 1)),
        TITLE,
        "2026",
        (),
        None,
        True,
        (),
        False,
    ),
    (
        "R-11 accumulation route: no title session",
        situation(T, ON, Route.ACCUMULATION),
        TITLE,
        "2026",
        (),
        None,
        False,
        ("route_sits_ccp_sessions",),
        False,
    ),
    (
        "R-11 accumulation route: a CCP session",
        situation(T, ON, Route.ACCUMULATION),
        CCP,
        "2026",
        (1,),
        None,
        True,
        (),
        False,
    ),
    (
        "R-09 partial success: no title session, sit the missing CCPs",
        situation(T, ON, holdings=(ccp(T, "2026", 1, date(2026, 10, 1)),)),
        TITLE,
        "2026",
        (),
        None,
        False,
        ("partial_success_sit_missing_ccps",),
        False,
    ),
    (
        "R-09 a CCP already held is not sat again",
        situation(T, ON, holdings=(ccp(T, "2026", 1, date(2026, 10, 1)),)),
        CCP,
        "2026",
        (1, 2),
        None,
        False,
        ("ccp_already_held",),
        False,
    ),
    (
        "official §3 last CCPs: the final interview is due at the end of the session",
        situation(T, ON, holdings=(ccp(T, "2026", 1, date(2026, 10, 1)),)),
        CCP,
        "2026",
        (2, 3),
        None,
        True,
        (),
        True,
    ),
    (
        "official §3 not the last CCP: no final interview yet",
        situation(T, ON, holdings=(ccp(T, "2026", 1, date(2026, 10, 1)),)),
        CCP,
        "2026",
        (2,),
        None,
        True,
        (),
        False,
    ),
    (
        "R-07 grace year: CCP holder of 2023 on the last day",
        situation(T, date(2027, 8, 31), holdings=(ccp(T, "2023", 1, date(2024, 6, 14)),)),
        CCP,
        "2023",
        (2,),
        None,
        True,
        (),
        True,
    ),
    (
        "R-07 grace year: the day after, refused",
        situation(T, date(2027, 9, 1), holdings=(ccp(T, "2023", 1, date(2024, 6, 14)),)),
        CCP,
        "2023",
        (2,),
        None,
        False,
        ("grace_expired",),
        False,
    ),
    (
        "R-07 ended version without any link: refused",
        situation(T, ON),
        TITLE,
        "2023",
        (),
        None,
        False,
        ("version_closed",),
        False,
    ),
    (
        "R-13 re-sit within the year after a failure",
        situation(
            T, date(2027, 10, 1), Route.TRAINING, date(2026, 9, 1), events=(failure(T, "2026", date(2026, 10, 1)),)
        ),
        TITLE,
        "2026",
        (),
        None,
        True,
        (),
        False,
    ),
    (
        "R-13 re-sit the day after the year: new training needed",
        situation(
            T, date(2027, 10, 2), Route.TRAINING, date(2026, 9, 1), events=(failure(T, "2026", date(2026, 10, 1)),)
        ),
        TITLE,
        "2026",
        (),
        None,
        False,
        ("resit_window_closed",),
        False,
    ),
    (
        "R-20 VAE with a valid admissibility",
        situation(T, ON, Route.VAE, events=(VaeAdmissibility(T, date(2026, 3, 1)),)),
        TITLE,
        "2026",
        (),
        None,
        True,
        (),
        False,
    ),
    (
        "R-20 VAE without admissibility",
        situation(T, ON, Route.VAE),
        TITLE,
        "2026",
        (),
        None,
        False,
        ("vae_admissibility_missing",),
        False,
    ),
    (
        "R-03 title held: no title session again",
        situation(T, ON, holdings=(title_held(T, "2023", date(2025, 6, 1)),)),
        TITLE,
        "2026",
        (),
        None,
        False,
        ("title_held",),
        False,
    ),
    (
        "R-03 CCS needs the title",
        situation(F, ON, Route.TRAINING),
        CCS,
        "2025",
        (),
        "CCS-A",
        False,
        ("ccs_needs_title",),
        False,
    ),
    (
        "R-12 CCS: title holder from training",
        situation(F, ON, Route.TRAINING, holdings=(title_held(F, "2025", date(2026, 1, 1)),)),
        CCS,
        "2025",
        (),
        "CCS-A",
        True,
        (),
        False,
    ),
    (
        "R-12 CCS: title holder with 12 months of experience",
        situation(F, ON, holdings=(title_held(F, None, date(2026, 1, 1)),), experience_months=12),
        CCS,
        "2025",
        (),
        "CCS-A",
        True,
        (),
        False,
    ),
    (
        "R-12 CCS: 11 months of experience is not enough",
        situation(F, ON, holdings=(title_held(F, None, date(2026, 1, 1)),), experience_months=11),
        CCS,
        "2025",
        (),
        "CCS-A",
        False,
        ("ccs_needs_training_or_experience",),
        False,
    ),
    (
        "R-03 CCS already held",
        situation(
            F,
            ON,
            Route.TRAINING,
            holdings=(title_held(F, None, date(2026, 1, 1)), CcsHolding(F, "2025", "CCS-A", date(2026, 6, 1))),
        ),
        CCS,
        "2025",
        (),
        "CCS-A",
        False,
        ("ccs_already_held",),
        False,
    ),
    ("unknown version", situation(T, ON), TITLE, "1999", (), None, False, ("unknown_version",), False),
    ("unknown CCP", situation(T, ON), CCP, "2026", (9,), None, False, ("unknown_ccp",), False),
    (
        "unknown CCS",
        situation(F, ON, holdings=(title_held(F, None, date(2026, 1, 1)),)),
        CCS,
        "2025",
        (),
        "NOPE",
        False,
        ("unknown_ccs",),
        False,
    ),
    ("a CCP session with no CCP chosen", situation(T, ON), CCP, "2026", (), None, False, ("no_ccp_chosen",), False),
]


@pytest.mark.parametrize(
    ("sit", "kind", "version", "ccps", "ccs", "allowed", "codes", "final"),
    [pytest.param(*example[1:], id=example[0]) for example in EXAMPLES],
)
def test_registration_eligibility(sit, kind, version, ccps, ccs, allowed, codes, final) -> None:
    result = registration_eligibility(INDEXES[sit.title], sit, kind, version, ccps, ccs)
    assert result.allowed is allowed
    assert tuple(r.code for r in result.reasons) == codes
    assert result.final_interview_due is final
    assert result.allowed or result.reasons, "every refusal carries a reason"


def test_every_reason_code_has_a_french_message() -> None:
    """The Django layer renders each code; an unknown code would show as itself."""
    import inspect

    from titrepro.catalogue import reasons
    from titrepro.rules import eligibility, standing

    source = inspect.getsource(standing) + inspect.getsource(eligibility)
    import re

    codes = set(re.findall(r'Reason\(\s*"([a-z_]+)"', source)) | set(re.findall(r'\(Reason\("([a-z_]+)"', source))
    rendered = inspect.getsource(reasons.reason_message)
    missing = sorted(code for code in codes if f'"{code}"' not in rendered)
    assert not missing, missing
