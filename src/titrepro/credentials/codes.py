"""Verification codes: what a person types, or a QR code carries, to find a document in the register.

A code is 27 random characters of Crockford's base 32 (135 bits: guessing one is hopeless, and the public
endpoints are rate-limited besides) and one check character (Luhn mod 32, ``stdnum.luhn``), written in seven
groups of four: ``7KQ2-M9XH-...``. The alphabet has no I, L, O nor U, so nothing reads as another character;
what a person types is read leniently (lower case, spaces, dashes, O for 0, I and L for 1). The check character
tells a typo from a code that does not exist: a single character mistyped is always caught, and so is every swap
of two neighbours but one (0 and Z, Luhn's known blind spot: the random part then finds no document).
"""

from __future__ import annotations

import secrets

from stdnum import luhn

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
RANDOM_LENGTH = 27  # 27 x 5 = 135 bits
LENGTH = RANDOM_LENGTH + 1
GROUP = 4
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class BadCode(ValueError):
    """What was typed is not a code: the wrong length or characters (``reason`` "format"), or a check character
    that does not match, a typo (``reason`` "typo")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def new_code() -> str:
    """A fresh code, normalised (no dashes): 27 random characters and the check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + luhn.calc_check_digit(body, alphabet=ALPHABET)


def normalise(typed: str) -> str:
    """The code as stored, from what a person typed or a URL carried; ``BadCode`` when it cannot be one."""
    text = "".join(typed.split()).replace("-", "").upper().translate(_ALIASES)
    if len(text) != LENGTH or any(character not in ALPHABET for character in text):
        raise BadCode("format")
    if luhn.checksum(text, alphabet=ALPHABET) != 0:
        raise BadCode("typo")
    return text


def grouped(code: str) -> str:
    """The code as printed and shown: groups of four joined by dashes."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
