"""Dates as French writes them: ``{{ day|date_fr }}`` gives "1er septembre 2026", "2 septembre 2026".

Django's ``date:"j F Y"`` writes "1 septembre": French writes the first day of a month as
an ordinal ("1er"). Every page shows its dates through ``date_fr``; Python code (messages
of the services) calls ``french_date``, which lives in ``core.dating`` (documents use
``core.dating.document_date``, French whatever the active language).
"""

from __future__ import annotations

from datetime import date, datetime

from django import template

from titrepro.core.dating import french_date

__all__ = ["date_fr", "french_date"]

register = template.Library()


@register.filter
def date_fr(value: date | datetime | None) -> str:
    return french_date(value) if isinstance(value, date) else ""
