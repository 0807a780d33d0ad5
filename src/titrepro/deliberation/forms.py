"""Forms of the jury's and the centre's deliberation pages (the authority's: ``forms_authority``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from titrepro.catalogue.models import CCP, Competence, SessionKind
from titrepro.core.forms import DsfrForm
from titrepro.deliberation.models import Proposal, Result
from titrepro.sessions.models import JuryAssignment

# The results each kind of session may decide: the rules refuse the others anyway.
RESULTS = {
    SessionKind.TITLE: [Result.TITLE_AWARDED, Result.PARTIAL_SUCCESS, Result.FAILURE],
    SessionKind.CCP: [Result.AWARDED, Result.PARTIAL_SUCCESS, Result.FAILURE, Result.TITLE_AWARDED],
    SessionKind.CCS: [Result.AWARDED, Result.FAILURE],
}
ABSENCES = [Result.ABSENT, Result.ABSENT_EXCUSED]


class SheetForm(DsfrForm):
    """One member's sheet for one competence: the criteria observed, observations, proposal (R-65)."""

    criteria = forms.TypedMultipleChoiceField(
        label=_("Criteria observed"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    observations = forms.CharField(
        label=_("Observations"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposal = forms.ChoiceField(
        label=_("Proposal"),
        required=False,
        choices=[("", _("Not decided yet")), *Proposal.choices],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, competence: Competence, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"c{competence.pk}")
        super().__init__(*args, **kwargs)
        self.competence = competence
        self.fields["criteria"].choices = [  # type: ignore[attr-defined]
            (index, str(criterion)) for index, criterion in enumerate(competence.criteria or [])
        ]


class DecisionForm(DsfrForm):
    """The jury's decision for one candidate, with the final interview (R-50, R-70)."""

    final_interview_held = forms.BooleanField(label=_("The final interview was held"), required=False)
    final_interview_notes = forms.CharField(
        label=_("Final interview: what the jury retains"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    result = forms.ChoiceField(label=_("Result"), widget=forms.RadioSelect)
    ccps = forms.TypedMultipleChoiceField(
        label=_("CCPs awarded"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reasons (required for anything not awarded; the justification of an excused absence)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, kind: str, ccps: Sequence[CCP], absent: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        results = ABSENCES if absent else RESULTS[SessionKind(kind)]
        self.fields["result"].choices = [(r.value, r.label) for r in results]  # type: ignore[attr-defined]
        self.fields["ccps"].choices = [  # type: ignore[attr-defined]
            (ccp.number, f"CCP {ccp.number} — {ccp.label}") for ccp in ccps
        ]
        if not ccps:
            del self.fields["ccps"]


class PresenceForm(DsfrForm):
    """The jury members present at the deliberation (R-63)."""

    present = forms.ModelMultipleChoiceField(
        label=_("Jury members present at the deliberation"),
        queryset=JuryAssignment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, jury: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        field.queryset = jury  # type: ignore[attr-defined]
        field.label_from_instance = lambda a: str(a.member)  # type: ignore[attr-defined]


class SignForm(DsfrForm):
    """Signing the PV: the code of the member's authentication app, when they have one."""

    code = forms.CharField(
        label=_("Code of your authentication app"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
