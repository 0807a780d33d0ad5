"""The results pages' filters (GET, French parameter names): a bad value is dropped, never an error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from titrepro.core.forms import ListForm

GROUP_CHOICES = [
    ("session", _("Session")),
    ("centre", _("Centre")),
    ("version", _("Title version")),
]


class ResultsFilterForm(ListForm):
    par = forms.ChoiceField(label=_("Group by"), required=False, choices=GROUP_CHOICES)
    annee = forms.ChoiceField(label=_("Year"), required=False, help_text=_("Of the session's first day."))
    titre = forms.ChoiceField(label=_("Title"), required=False)

    def __init__(self, *args: Any, years: list[int], titles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [("", _("Every year")), *((str(y), str(y)) for y in years)]  # type: ignore[attr-defined]
        self.fields["titre"].choices = [  # type: ignore[attr-defined]
            ("", _("Every title")),
            *((code, f"{code} – {label}") for code, label in titles),
        ]
