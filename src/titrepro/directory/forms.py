"""Forms of the directory pages: they read input only; every write goes through ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from titrepro.catalogue.models import Title, TitleVersion
from titrepro.core.forms import DsfrForm, ListForm, date_field, reason_field
from titrepro.directory.models import ApprovedCentre, LinkKind, TrainingProvider
from titrepro.directory.statuses import STATUS_FILTERS


class ApprovalGrantForm(DsfrForm):
    version = forms.ModelChoiceField(
        label=_("Title version"), queryset=TitleVersion.objects.select_related("title").order_by("title__code", "label")
    )
    site_address = forms.CharField(
        label=_("Site address"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the technical platform is (R-30)."),
    )
    granted_on = date_field(_("Granted on"))
    valid_until = date_field(
        _("Valid until"),
        required=False,
        help_text=_("Empty: until the end of validity of the title version, which it can never exceed."),
    )
    reason = reason_field(required=False)


class ReasonForm(DsfrForm):
    reason = reason_field()


class WithdrawForm(DsfrForm):
    withdrawn_on = date_field(_("Withdrawn on"))
    reapply_banned_until = date_field(
        _("Re-applying banned until"), required=False, help_text=_("At most two years after the withdrawal (R-33).")
    )
    reason = reason_field()


class HabilitationGrantForm(DsfrForm):
    title = forms.ModelChoiceField(label=_("Title"), queryset=Title.objects.order_by("code"))
    granted_on = date_field(_("Granted on"), help_text=_("After the information session."))
    valid_until = date_field(
        _("Valid until"),
        required=False,
        help_text=_("Empty: until the end of validity of the title's version, which it can never exceed (R-62)."),
    )
    reason = reason_field(required=False)


class HabilitationEndForm(DsfrForm):
    ended_on = date_field(_("Ended on"))
    reason = reason_field()


class ProfileForm(DsfrForm):
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class ExperienceForm(DsfrForm):
    job = forms.CharField(label=_("Job"), max_length=200)
    employer = forms.CharField(label=_("Employer"), max_length=200)
    title = forms.ModelChoiceField(
        label=_("Title whose job this is"),
        queryset=Title.objects.order_by("code"),
        required=False,
        help_text=_("Counts towards a habilitation for this title (three years in the job, R-61)."),
    )
    start = date_field(_("Start"))
    end = date_field(_("End"), required=False, help_text=_("Leave empty if you still hold this job."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("A period cannot end before it starts."))
        return data


class LinkForm(DsfrForm):
    kind = forms.ChoiceField(label=_("Kind of link"), choices=LinkKind.choices)
    label = forms.CharField(label=_("Who"), max_length=200, help_text=_("Name of the organisation or person."))
    provider = forms.ModelChoiceField(
        label=_("Training provider"), queryset=TrainingProvider.objects.all(), required=False
    )
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=ApprovedCentre.objects.all(), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == LinkKind.TRAINING_PROVIDER and not data.get("provider"):
            self.add_error("provider", _("Choose the training provider you teach for."))
        return data


# The DREETS work lists (issue 9, item 5) -------------------------------------------------------------


def _select(label: Any, choices: list[tuple[str, Any]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=choices, widget=forms.Select())


class CentreListForm(ListForm):
    """The search, status filter and sort of the centres' list (``queries.centre_work_list``)."""

    q = forms.CharField(label=_("Search by name, SIRET or town"), required=False, max_length=100)
    statut = _select(_("Status of an approval"), [("", _("All statuses")), *STATUS_FILTERS.items()])
    tri = _select(_("Sort by"), [("nom", _("Name")), ("fin", _("Nearest end of an approval"))])

    def filters(self) -> dict[str, str]:
        data = self.valid_data()
        return {"text": data.get("q", ""), "status": data.get("statut", ""), "sort": data.get("tri", "") or "nom"}


class JuryMemberListForm(ListForm):
    """The search, filters and sort of the jury members' list (``queries.jury_member_work_list``)."""

    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    statut = _select(
        _("Status of a habilitation"),
        [("", _("All statuses")), *((k, v) for k, v in STATUS_FILTERS.items() if k not in ("suspended", "withdrawn"))],
    )
    titre = _select(_("Title"), [])
    tri = _select(_("Sort by"), [("nom", _("Name")), ("fin", _("Nearest end of a habilitation"))])

    def __init__(self, *args: Any, titles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Any title")), *((code, f"{code} – {label}") for code, label in titles)]
        self.fields["titre"].choices = choices  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str]:
        data = self.valid_data()
        return {
            "text": data.get("q", ""),
            "status": data.get("statut", ""),
            "title": data.get("titre", ""),
            "sort": data.get("tri", "") or "nom",
        }
