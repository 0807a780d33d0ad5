"""Dates as French writes them: ``{{ day|date_fr }}`` gives "1er septembre 2026", "2 septembre 2026".

Django's ``date:"j F Y"`` writes "1 septembre": French writes the first day of a month as
an ordinal ("1er"). Every page shows its dates through ``date_fr``; Python code (messages
of the services) calls ``french_date``.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()


def french_date(day: date | datetime | None) -> str:
    """ "1er septembre 2026"; in another language than French, Django's "j F Y". ``None`` gives ""."""
    if day is None:
        return ""
    text = formats.date_format(day, "j F Y")
    if day.day == 1 and (get_language() or "fr").startswith("fr"):
        return "1er" + text[1:]
    return text


@register.filter
def date_fr(value: date | datetime | None) -> str:
    return french_date(value) if isinstance(value, date) else ""
