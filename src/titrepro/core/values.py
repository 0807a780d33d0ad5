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

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from titrepro.core.dating import EARLIEST

# Bidirectional controls can make a name read differently from what is stored (Trojan Source).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
YOUNGEST_CANDIDATE_YEARS = 14
OLDEST_CANDIDATE_YEARS = 100
# Metropolitan France and the overseas departments and collectivities dialled with a leading 0.
FRENCH_REGIONS = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF")
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


def _years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def birth_date_problem(day: date, on: date | None = None) -> str | None:
    """Between 14 and 100 years old on the day (``on``, today by default): no younger person sits a
    titre professionnel, and an older date is a typing mistake (issue 9, item 3)."""
    on = on or timezone.localdate()
    youngest = _years_before(on, YOUNGEST_CANDIDATE_YEARS)
    oldest = _years_before(on, OLDEST_CANDIDATE_YEARS)
    if day < max(oldest, EARLIEST) or day > youngest:
        return _(
            "Check the date of birth: the person must be between %(young)s and %(old)s years old (born between %(earliest)s and %(latest)s)."
        ) % {
            "young": YOUNGEST_CANDIDATE_YEARS,
            "old": OLDEST_CANDIDATE_YEARS,
            "earliest": date_format(max(oldest, EARLIEST)),
            "latest": date_format(youngest),
        }
    return None


def _parse_phone(value: str) -> phonenumbers.PhoneNumber | None:
    """The number as typed, read as a French one unless it has its + and country code."""
    for region in FRENCH_REGIONS:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return None
        # Possible (the right length for its country), not "valid": a range newer than the
        # library's data must not be refused; what is refused is a typing mistake.
        if phonenumbers.is_possible_number_with_reason(number) == phonenumbers.ValidationResult.IS_POSSIBLE:
            return number
    return None


def normalise_phone(value: str) -> str:
    """A phone number in its usual written form: French numbers as ``06 12 34 56 78`` (from 0612345678,
    +33 6 12 34 56 78, 0033…), others in the international form (``+44 20 7946 0958``). A value that is
    not a valid number is returned as typed (``phone_problem`` says why)."""
    value = value.strip()
    number = _parse_phone(value) if value else None
    if number is None:
        return value
    if phonenumbers.region_code_for_number(number) in FRENCH_REGIONS:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_problem(value: str) -> str | None:
    """A number libphonenumber knows as valid (French by default, or with its + country code)."""
    if not value:
        return None
    if not PHONE.match(value):
        return _("Type a phone number with digits only (spaces, dots, dashes, brackets and a leading + allowed).")
    if _parse_phone(value) is None:
        return _(
            "This is not a valid phone number: a French number has 10 digits (06 12 34 56 78); another country's starts with + and its code."
        )
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
