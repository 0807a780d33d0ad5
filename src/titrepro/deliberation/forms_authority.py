"""Forms of the authority's PV pages (read input only; ``deliberation.services`` writes)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from titrepro.core.forms import DsfrForm, ListForm, reason_field
from titrepro.deliberation.models import MinutesStatus

# What the list filters on: the PV's status, and "returned" (back with the centre, with the authority's reason).
RETURNED = "returned"
LIST_STATES = [
    (MinutesStatus.SUBMITTED.value, _("To validate")),
    (MinutesStatus.VALIDATED.value, MinutesStatus.VALIDATED.label),
    (RETURNED, _("Returned to the centre")),
    (MinutesStatus.SUPERSEDED.value, MinutesStatus.SUPERSEDED.label),
]


class MinutesFilterForm(ListForm):
    """The PV list's filter (GET, French parameter name); a bad value is dropped, not an error."""

    statut = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Every status")), *LIST_STATES])


class ReturnForm(DsfrForm):
    """Why the PV goes back to the centre: required, the centre reads it."""

    reason = reason_field(
        help_text=_("The centre reads it; the PV goes back to deliberation and every signature is void.")
    )
