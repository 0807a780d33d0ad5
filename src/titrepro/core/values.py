"""One validation for each kind of value, shared by the forms, the import and the API (issue 11, item 10).

Each check exists twice over the same function: ``*_problem(value)`` answers the French
message or None (the import writes it in its row report), and ``validate_*`` is the
Django validator on the model field (so model forms, the admin and the services'
``full_clean`` refuse the same values). Dates of decisions are ``core.dating``'s.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from titrepro.core.dating import EARLIEST

# Bidirectional controls can make a name read differently from what is stored (Trojan Source).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
YOUNGEST_CANDIDATE_YEARS = 14
PHONE = re.compile(r"^\+?[0-9 .()\-]{6,30}$")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, without accents, punctuation or repeated spaces: ``"  Lefèvre-D'Arc "`` -> ``"lefevre d arc"``.

    Names of candidates (duplicate detection) and the catalogue's search compare folded text.
    """
    if text.isascii():
        return _NOT_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare.replace("ß", "ss").replace("œ", "oe").replace("æ", "ae")).strip()


def text_problem(value: str) -> str | None:
    """A name or a place: no control character, no bidirectional override, no invisible format character."""
    for character in value:
        if character in BIDI_CONTROLS or unicodedata.category(character) in {"Cc", "Cf", "Cs", "Co"}:
            return _("This text contains an invisible or control character (%(code)s): type it again.") % {
                "code": f"U+{ord(character):04X}"
            }
    return None


def birth_date_problem(day: date) -> str | None:
    """Born after 1900 and at least 14 years ago (no candidate sits a titre professionnel younger)."""
    today = timezone.localdate()
    youngest = date(today.year - YOUNGEST_CANDIDATE_YEARS, today.month, min(today.day, 28))
    if day < EARLIEST or day > youngest:
        return _("Check the date of birth: it must fall between %(earliest)s and %(latest)s.") % {
            "earliest": date_format(EARLIEST),
            "latest": date_format(youngest),
        }
    return None


def phone_problem(value: str) -> str | None:
    if value and (not PHONE.match(value) or sum(c.isdigit() for c in value) < 6):
        return _("Type a phone number with digits only (spaces, dots, dashes, brackets and a leading + allowed).")
    return None


def _raise(message: str | None, code: str) -> None:
    if message:
        raise ValidationError(message, code=code)


def validate_text(value: str) -> None:
    _raise(text_problem(value), "text")


def validate_birth_date(value: date) -> None:
    _raise(birth_date_problem(value), "birth_date")


def validate_phone(value: str) -> None:
    _raise(phone_problem(value), "phone")
