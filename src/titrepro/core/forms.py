"""The one form base of the pages: DSFR classes on the widgets, the error summary, refusals as errors.

Forms read input only; every write goes through a service. A service's
``Refused`` lands next to its field (``add_refusal``), and ``error_list()``
feeds the one error summary (``templates/includes/error_summary.html``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from titrepro.core.refusals import Refused

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def date_field(label: Any, *, required: bool = True, help_text: Any = "", **kwargs: Any) -> forms.DateField:
    """A date typed as a native date input (ISO) or as dd/mm/yyyy."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        **kwargs,
    )


def reason_field(*, required: bool = True, help_text: Any = None) -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Written to the history of the decision.") if help_text is None else help_text,
    )


class DsfrForm(forms.Form):
    """Adds the DSFR classes to the widgets; knows its error summary."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            widget.attrs.setdefault("class", "fr-select" if isinstance(widget, forms.Select) else "fr-input")

    def add_refusal(self, refusal: Refused) -> None:
        """Show a service's refusal next to its field, or at the top when it is about no field of this form."""
        self.add_error(refusal.field if refusal.field in self.fields else None, refusal.message)

    def error_list(self) -> list[dict[str, str]]:
        return error_list(self)


class ListForm(DsfrForm):
    """The search, filters and sort of a work list, read from the query string: a field with a bad
    value (a stale or forged link) is dropped, the others still apply."""

    def valid_data(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data


def error_list(form: forms.BaseForm) -> list[dict[str, str]]:
    """Every error of a bound form, for the one error summary: a link to the field when there is one.

    Any Django form (Django's own authentication forms too); DsfrForm's ``error_list()`` calls it.
    """
    if not form.is_bound:
        return []
    out: list[dict[str, str]] = []
    for name, messages in form.errors.items():
        if name == "__all__":
            out.extend({"id": "", "label": "", "message": str(m)} for m in messages)
            continue
        bound = form[name]
        multiple = isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
        anchor = f"{bound.auto_id}_0" if multiple else bound.id_for_label
        out.extend({"id": anchor, "label": str(bound.label), "message": str(m)} for m in messages)
    return out
