"""The French catalogue is complete and the committed .mo matches the .po."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import titrepro

LOCALE = Path(titrepro.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the header
    untranslated = [e for e in entries if re.search(r'^msgstr ""\n(?!")', e + "\n", re.MULTILINE)]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert not untranslated, "untranslated messages:\n" + "\n\n".join(untranslated[:5])
    assert not fuzzy, "fuzzy messages:\n" + "\n\n".join(fuzzy[:5])


def test_compiled_catalogue_is_up_to_date(tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt (GNU gettext) is needed to check the compiled translations: apt-get install gettext")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(LOCALE / "django.po")], check=True)  # noqa: S603
    with fresh.open("rb") as new, (LOCALE / "django.mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(new)._catalog, (  # type: ignore[attr-defined]
            "django.mo is stale: run `uv run titrepro compilemessages`"
        )


def test_dates_keep_their_french_month_and_day_names() -> None:
    """Our catalogue is read before Django's: a msgid that Django's date formatting also uses must
    not change it. Seen: "May" for a token column turned the month "mai" into "Permet" in every date."""
    from datetime import date

    from django.utils import formats, translation

    months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    with translation.override("fr"):
        assert [formats.date_format(date(2026, m, 1), "F") for m in range(1, 13)] == months
        # 2 November 2026 is a Monday.
        assert [formats.date_format(date(2026, 11, 2 + d), "l") for d in range(7)] == days
