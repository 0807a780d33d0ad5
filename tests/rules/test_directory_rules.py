"""Worked examples of the directory rules (R-30, R-32, R-33, R-61, R-62), dates on both sides of each limit."""

from __future__ import annotations

from datetime import date

import pytest

from titrepro.rules.directory import (
    EXPERIENCE_TOO_SHORT,
    OUT_OF_JOB_TOO_LONG,
    ExperiencePeriod,
    amendment_due,
    amendment_on_time,
    approval_valid_until,
    habilitation_check,
    habilitation_valid_until,
    may_reapply,
    merged_periods,
    reapply_ban_allowed,
)
from titrepro.rules.parameters import Parameters


def codes(check: object) -> list[str]:
    return [reason.code for reason in check.reasons]  # type: ignore[attr-defined]


# at least three years in the job -------------------------------------------------


def test_r61_exactly_three_years_in_one_period_is_enough() -> None:
    check = habilitation_check([ExperiencePeriod(date(2020, 3, 1), date(2023, 2, 28))], on=date(2024, 1, 1))
    assert check.allowed
    assert check.experience_days == 1095


def test_r61_one_day_short_of_three_years_is_refused() -> None:
    check = habilitation_check([ExperiencePeriod(date(2020, 3, 2), date(2023, 2, 28))], on=date(2024, 1, 1))
    assert not check.allowed
    assert codes(check) == [EXPERIENCE_TOO_SHORT]


def test_r61_two_years_in_the_job_is_refused() -> None:
    """The Done-when case: a member with two years in the job."""
    check = habilitation_check([ExperiencePeriod(date(2022, 1, 1), date(2023, 12, 31))], on=date(2024, 6, 1))
    assert codes(check) == [EXPERIENCE_TOO_SHORT]
    assert check.reasons[0].days == 730


def test_r61_periods_add_up() -> None:
    periods = [ExperiencePeriod(date(2015, 1, 1), date(2016, 12, 31)), ExperiencePeriod(date(2019, 1, 1), None)]
    assert habilitation_check(periods, on=date(2020, 1, 1)).allowed
    assert not habilitation_check(periods, on=date(2019, 6, 1)).allowed


def test_r61_overlapping_periods_count_once() -> None:
    """Two jobs held at the same time for two years are two years, not four."""
    periods = [
        ExperiencePeriod(date(2021, 1, 1), date(2022, 12, 31)),
        ExperiencePeriod(date(2021, 1, 1), date(2022, 12, 31)),
        ExperiencePeriod(date(2022, 6, 1), date(2023, 6, 30)),
    ]
    assert merged_periods(periods, date(2025, 1, 1)) == [(date(2021, 1, 1), date(2023, 6, 30))]
    assert codes(habilitation_check(periods, on=date(2025, 1, 1))) == [EXPERIENCE_TOO_SHORT]


def test_r61_the_future_is_not_counted() -> None:
    """A current job started two years ago does not count the years to come."""
    check = habilitation_check([ExperiencePeriod(date(2022, 1, 1), date(2030, 1, 1))], on=date(2024, 1, 1))
    assert codes(check) == [EXPERIENCE_TOO_SHORT]
    assert habilitation_check([ExperiencePeriod(date(2022, 1, 1), None)], on=date(2025, 1, 1)).allowed


def test_r61_no_experience_is_refused() -> None:
    assert codes(habilitation_check([], on=date(2024, 1, 1))) == [EXPERIENCE_TOO_SHORT]
    assert codes(habilitation_check([ExperiencePeriod(date(2025, 1, 1))], on=date(2024, 1, 1))) == [
        EXPERIENCE_TOO_SHORT
    ]


# not out of the job for more than five years --------------------------------------


def test_r61_five_years_out_of_the_job_is_still_accepted() -> None:
    periods = [ExperiencePeriod(date(2010, 1, 1), date(2020, 6, 30))]
    assert habilitation_check(periods, on=date(2025, 6, 30)).allowed


def test_r61_five_years_and_a_day_out_of_the_job_is_refused() -> None:
    periods = [ExperiencePeriod(date(2010, 1, 1), date(2020, 6, 30))]
    check = habilitation_check(periods, on=date(2025, 7, 1))
    assert codes(check) == [OUT_OF_JOB_TOO_LONG]
    assert check.reasons[0].on == date(2020, 6, 30)


def test_r61_seven_years_out_of_the_job_is_refused() -> None:
    """The Done-when case: a member out of the job for seven years."""
    check = habilitation_check([ExperiencePeriod(date(2005, 1, 1), date(2017, 1, 1))], on=date(2024, 1, 1))
    assert codes(check) == [OUT_OF_JOB_TOO_LONG]


def test_r61_both_reasons_at_once() -> None:
    check = habilitation_check([ExperiencePeriod(date(2010, 1, 1), date(2011, 1, 1))], on=date(2024, 1, 1))
    assert codes(check) == [EXPERIENCE_TOO_SHORT, OUT_OF_JOB_TOO_LONG]


def test_r61_numbers_are_parameters() -> None:
    """The 2020 derogation (R-67) asked two years: the same rule with another parameter."""
    covid = Parameters(habilitation_min_experience_years=2)
    periods = [ExperiencePeriod(date(2022, 1, 1), date(2023, 12, 31))]
    assert habilitation_check(periods, on=date(2024, 1, 1), parameters=covid).allowed


# never after the title version's end ---------------------------------------


@pytest.mark.parametrize("valid_until", [habilitation_valid_until, approval_valid_until])
def test_r62_r30_end_is_capped_by_the_version(valid_until) -> None:
    end = date(2028, 12, 31)
    assert valid_until(date(2030, 1, 1), end) == end
    assert valid_until(date(2028, 12, 31), end) == end
    assert valid_until(date(2027, 1, 1), end) == date(2027, 1, 1)
    assert valid_until(None, end) == end
    assert valid_until(date(2027, 1, 1), None) == date(2027, 1, 1)
    assert valid_until(None, None) is None


# ban on re-applying, two years at most -----------------------------------------------


def test_r33_ban_of_two_years_is_lawful_a_day_more_is_not() -> None:
    withdrawn = date(2024, 3, 15)
    assert reapply_ban_allowed(withdrawn, date(2026, 3, 15))
    assert not reapply_ban_allowed(withdrawn, date(2026, 3, 16))
    assert not reapply_ban_allowed(withdrawn, date(2024, 3, 14))
    assert reapply_ban_allowed(withdrawn, None)


def test_r33_may_reapply_the_day_after_the_ban() -> None:
    withdrawn, banned = date(2024, 3, 15), date(2025, 3, 15)
    assert not may_reapply(withdrawn, banned, date(2025, 3, 15))
    assert may_reapply(withdrawn, banned, date(2025, 3, 16))
    assert may_reapply(withdrawn, None, date(2024, 3, 16))
    assert may_reapply(None, None, date(2024, 3, 16))


def test_r33_a_longer_recorded_ban_still_ends_after_two_years() -> None:
    withdrawn = date(2024, 3, 15)
    assert not may_reapply(withdrawn, date(2030, 1, 1), date(2026, 3, 15))
    assert may_reapply(withdrawn, date(2030, 1, 1), date(2026, 3, 16))


# yearly amendment of the convention ----------------------------------------------------


def test_r32_no_amendment_the_year_of_signature_and_the_next() -> None:
    signed = date(2024, 10, 1)
    assert amendment_due(signed, 2024) is None
    assert amendment_due(signed, 2025) is None
    assert amendment_due(signed, 2026) == date(2025, 12, 31)
    assert amendment_due(signed, 2027) == date(2026, 12, 31)


def test_r32_amendment_sent_before_1_january() -> None:
    signed = date(2024, 10, 1)
    assert amendment_on_time(signed, 2026, date(2025, 12, 31))
    assert not amendment_on_time(signed, 2026, date(2026, 1, 1))
    assert not amendment_on_time(signed, 2026, None)
    assert amendment_on_time(signed, 2025, None)
