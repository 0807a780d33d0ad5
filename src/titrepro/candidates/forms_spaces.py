"""Forms of the role spaces (/espace/...): thin, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from titrepro.candidates.imports import MAX_FILE_BYTES
from titrepro.candidates.models import validate_pdf
from titrepro.catalogue.models import Title
from titrepro.directory.models import ApprovedCentre

PAGE_IMPORT_MAX_BYTES = 5 * 1024 * 1024
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class DsfrForm(forms.Form):
    """Adds the DSFR classes to the widgets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                continue
            widget.attrs["class"] = "fr-select" if isinstance(widget, forms.Select) else "fr-input"

    def error_list(self) -> list[dict[str, str]]:
        """Every error, for the summary at the top of the page."""
        out: list[dict[str, str]] = []
        for name, messages in self.errors.items():
            if name == "__all__":
                out.extend({"id": "", "label": "", "message": str(m)} for m in messages)
                continue
            bound = self[name]
            anchor = f"{bound.auto_id}_0" if isinstance(bound.field.widget, forms.RadioSelect) else bound.id_for_label
            out.extend({"id": anchor, "label": str(bound.label), "message": str(m)} for m in messages)
        return out


class SearchForm(DsfrForm):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)


class ImportForm(DsfrForm):
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=ApprovedCentre.objects.none(), empty_label=None)
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("Columns of the template: nom_naissance, prenoms, date_naissance, lieu_naissance…"),
    )

    def __init__(self, *args: Any, centres: QuerySet[ApprovedCentre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > min(PAGE_IMPORT_MAX_BYTES, MAX_FILE_BYTES):
            raise forms.ValidationError(
                _("The file is too large for this page (5 MB): use the command line or the API.")
            )
        return upload


class DecisionForm(DsfrForm):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a refusal."),
    )

    def __init__(self, *args: Any, yes: tuple[str, str], no: tuple[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [yes, no]  # type: ignore[attr-defined]
        self.yes = yes[0]

    @property
    def positive(self) -> bool:
        return bool(self.cleaned_data["decision"] == self.yes)


class PortfolioForm(DsfrForm):
    title = forms.ModelChoiceField(label=_("Title"), queryset=Title.objects.all(), to_field_name="code")
    file = forms.FileField(label=_("Dossier professionnel (PDF, 10 MB at most)"), validators=[validate_pdf])
    declaration = forms.BooleanField(
        label=_("I declare on my honour that the information in this dossier is accurate and that I wrote it."),
    )
    signed_on = forms.DateField(label=_("Date of signature"), widget=DATE_WIDGET)


class CandidateForm(DsfrForm):
    """Entering one candidate by hand (duplicates are checked by the service)."""

    centre = forms.ModelChoiceField(label=_("Centre"), queryset=ApprovedCentre.objects.none(), empty_label=None)
    birth_name = forms.CharField(label=_("birth name"), max_length=150)
    usual_name = forms.CharField(label=_("usual name"), max_length=150, required=False)
    given_names = forms.CharField(label=_("given names"), max_length=200)
    birth_date = forms.DateField(
        label=_("date of birth"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    birth_place = forms.CharField(label=_("place of birth"), max_length=200)
    email = forms.EmailField(label=_("e-mail"), required=False)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)

    def __init__(self, *args: Any, centres: QuerySet[ApprovedCentre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]
