"""Verification codes (``credentials.codes``): 135 random bits and a check character, read as people type them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from titrepro.credentials import codes


def test_a_code_is_28_characters_in_seven_groups_of_four() -> None:
    code = codes.new_code()
    assert len(code) == 28
    assert set(code) <= set(codes.ALPHABET)
    printed = codes.grouped(code)
    assert [len(group) for group in printed.split("-")] == [4] * 7
    assert codes.normalise(printed) == code


def test_what_a_person_types_is_read_leniently() -> None:
    code = codes.new_code()
    typed = " " + codes.grouped(code).lower().replace("-", " - ") + " "
    assert codes.normalise(typed) == code
    # O for 0, I and L for 1: the alphabet has neither, so they can only be those digits.
    assert codes.normalise(code.replace("0", "O").replace("1", "l")) == code
    assert codes.normalise(code.replace("1", "I")) == code


@given(st.integers(min_value=0, max_value=27), st.sampled_from(codes.ALPHABET))
def test_a_single_character_mistyped_is_a_typo_never_another_code(position: int, replacement: str) -> None:
    code = codes.new_code()
    if code[position] == replacement:
        return
    mistyped = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(codes.BadCode) as bad:
        codes.normalise(mistyped)
    assert bad.value.reason == "typo"


@given(st.integers(min_value=0, max_value=26))
def test_two_neighbours_swapped_are_a_typo_but_for_0_and_z(position: int) -> None:
    code = codes.new_code()
    if code[position] == code[position + 1] or {code[position], code[position + 1]} == {"0", "Z"}:
        return  # the same character twice; or 0 and Z, the one swap Luhn mod 32 cannot see
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    with pytest.raises(codes.BadCode, match="typo"):
        codes.normalise(swapped)


@pytest.mark.parametrize("typed", ["", "ABCD", "U" * 28, "7KQ2-M9XH", "é" * 28, "A" * 29])
def test_what_cannot_be_a_code_is_a_format_error(typed: str) -> None:
    with pytest.raises(codes.BadCode) as bad:
        codes.normalise(typed)
    assert bad.value.reason == "format"


def test_codes_do_not_repeat() -> None:
    assert len({codes.new_code() for _ in range(10_000)}) == 10_000


def test_swapping_0_and_z_is_luhn_s_blind_spot() -> None:
    """Known and accepted: the swapped code is well-formed, and finds no document (135 random bits)."""
    body = "0Z" + codes.new_code()[2:27]
    code = body + luhn.calc_check_digit(body, alphabet=codes.ALPHABET)
    assert codes.normalise("Z0" + code[2:]) == "Z0" + code[2:]
