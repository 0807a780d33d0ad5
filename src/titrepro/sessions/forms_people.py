"""Forms of the authority's, the jury member's and the candidate's session pages (read input only; services write)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from titrepro.core.forms import DsfrForm, date_field, reason_field
from titrepro.directory.models import ApprovedCentre
from titrepro.sessions.models import SessionStatus


class SessionFilterForm(DsfrForm):
    """The authority's session list filters (GET, French parameter names); a bad value is dropped, not an error."""

    centre = forms.ModelChoiceField(
        label=_("Centre"), required=False, queryset=ApprovedCentre.objects.none(), empty_label=_("Every centre")
    )
    titre = forms.ChoiceField(label=_("Title"), required=False)
    statut = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Every status")), *SessionStatus.choices]
    )
    du = date_field(_("From"), required=False, help_text=_("Sessions ending on or after this day."))
    au = date_field(_("To"), required=False, help_text=_("Sessions starting on or before this day."))

    def __init__(
        self, *args: Any, centres: QuerySet[ApprovedCentre], titles: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]
        self.fields["titre"].choices = [("", _("Every title")), *titles]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return {name: data.get(name) for name in ("centre", "titre", "statut", "du", "au")}

    def filtered(self) -> bool:
        return any(self.filters().values())


class AnnulForm(DsfrForm):
    reason = reason_field()


class AnswerForm(DsfrForm):
    """The jury member's answer to an invitation: accept, or decline with an optional note."""

    answer = forms.ChoiceField(
        label=_("Answer"), choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Note to the centre (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConflictForm(DsfrForm):
    """A personal link with one candidate of the session (R-64)."""

    registration = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("What link (optional)"), required=False, max_length=2000)


def year_of(value: str | None, default: date) -> int:
    """The ``?annee=`` of the programme page: a plausible year, else the current one."""
    try:
        year = int(value or "")
    except ValueError:
        return default.year
    return year if 2000 <= year <= default.year + 5 else default.year
