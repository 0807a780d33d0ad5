"""Forms of the role spaces (/espace/...): thin, the services decide."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from titrepro.candidates.imports import MAX_FILE_BYTES
from titrepro.candidates.models import (
    AccommodationKind,
    AssessmentResult,
    Candidate,
    Pathway,
    Route,
    validate_extra_time,
    validate_pdf,
)
from titrepro.catalogue.models import CCP, Title
from titrepro.core.forms import DsfrForm, ListForm
from titrepro.directory.models import ApprovedCentre

PAGE_IMPORT_MAX_BYTES = 5 * 1024 * 1024
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def not_in_future(value: date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."), code="future")


class SearchForm(ListForm):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)


class CandidateListForm(SearchForm):
    """The filters and the sort of the candidates' work list (``queries.work_list``); bad values are ignored."""

    titre = forms.ChoiceField(label=_("Title"), required=False, widget=forms.Select(attrs={"class": "fr-select"}))
    parcours = forms.ChoiceField(
        label=_("Route"),
        required=False,
        choices=[("", _("Any route")), *Route.choices, ("aucun", _("No pathway yet"))],
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    demande = forms.ChoiceField(
        label=_("Request waiting for the DREETS"),
        required=False,
        choices=[("", _("Any request")), ("vae", _("VAE admissibility")), ("amenagement", _("Accommodation"))],
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    tri = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("nom", _("Name")), ("naissance", _("Date of birth")), ("recents", _("Most recently entered"))],
        widget=forms.Select(attrs={"class": "fr-select"}),
    )

    def __init__(self, *args: Any, titles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["titre"].choices = [("", _("Any title")), *titles]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str]:
        """The valid filters, as ``queries.work_list`` takes them."""
        data = self.valid_data()
        return {
            "text": data.get("q", ""),
            "title": data.get("titre", ""),
            "route": data.get("parcours", ""),
            "request": data.get("demande", ""),
            "sort": data.get("tri", "") or "nom",
        }


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


class IdentityForm(CandidateForm):
    """Correcting a candidate's identity: the centre is not changed here (the admin lists why)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, centres=ApprovedCentre.objects.none(), **kwargs)
        del self.fields["centre"]


class PathwayForm(DsfrForm):
    title = forms.ModelChoiceField(label=_("Title"), queryset=Title.objects.order_by("code"), to_field_name="code")
    route = forms.ChoiceField(label=_("Route"), choices=Route.choices)
    provider_name = forms.CharField(label=_("Training provider"), max_length=200, required=False)
    employer = forms.CharField(
        label=_("Employer"),
        max_length=200,
        required=False,
        help_text=_("Apprenticeship or VAE: a jury member linked to this employer will not evaluate the candidate."),
    )
    started_on = forms.DateField(label=_("Started on"), required=False, widget=DATE_WIDGET)


class PathwayEndForm(DsfrForm):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Why (optional)"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


if TYPE_CHECKING:
    _PathwayField = forms.ModelChoiceField[Pathway]
else:
    _PathwayField = forms.ModelChoiceField


class PathwayChoiceField(_PathwayField):
    def label_from_instance(self, obj: Pathway) -> str:
        return f"{obj.title.code} – {obj.title.label} ({obj.get_route_display()})"


def ccp_label(ccp: CCP) -> str:
    return f"CCP {ccp.number} – {ccp.label} ({ccp.version.label})"


class AssessmentForm(DsfrForm):
    """An ECF result: the route (of this candidate), the CCP (of a version of that route's title)."""

    pathway = PathwayChoiceField(label=_("Route"), queryset=Pathway.objects.none())
    ccp = forms.ModelChoiceField(
        label=_("CCP"),
        queryset=CCP.objects.none(),
        help_text=_("The CCP must belong to a version of the title of the route."),
    )
    result = forms.ChoiceField(label=_("Result"), choices=AssessmentResult.choices, widget=forms.RadioSelect)
    assessed_on = forms.DateField(label=_("Date of the ECF"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, candidate: Candidate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pathways = Pathway.objects.filter(candidate=candidate).select_related("title").order_by("title__code", "pk")
        ccps = (
            CCP.objects.filter(version__title__in={p.title_id for p in pathways})
            .select_related("version__title")
            .order_by("version__title__code", "version__valid_from", "version__label", "number")
        )
        self.fields["pathway"].queryset = pathways  # type: ignore[attr-defined]
        self.fields["ccp"].queryset = ccps  # type: ignore[attr-defined]
        groups: dict[str, list[tuple[int, str]]] = {}
        for ccp in ccps:
            groups.setdefault(f"{ccp.version.title.code} – {ccp.version.title.label}", []).append(
                (ccp.pk, ccp_label(ccp))
            )
        field = self.fields["ccp"]
        field.choices = [("", field.empty_label), *groups.items()]  # type: ignore[attr-defined]


class VaeFilingForm(DsfrForm):
    title = forms.ModelChoiceField(label=_("Title"), queryset=Title.objects.order_by("code"), to_field_name="code")
    filed_on = forms.DateField(
        label=_("Complete file received on"),
        widget=DATE_WIDGET,
        validators=[not_in_future],
        help_text=_("The authority has two months from this date to decide."),
    )


class AccommodationRequestForm(DsfrForm):
    kinds = forms.MultipleChoiceField(
        label=_("Accommodations asked for"),
        choices=AccommodationKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    medical_opinion_on = forms.DateField(
        label=_("Date of the medical opinion"),
        required=False,
        widget=DATE_WIDGET,
        validators=[not_in_future],
        help_text=_("The authority grants an accommodation on a medical opinion."),
    )
    extra_time = forms.CharField(
        label=_("Extra time"),
        required=False,
        max_length=8,
        validators=[validate_extra_time],
        help_text=_("A fraction of each test's duration, for example 1/3; leave blank when none."),
    )
    extra_time_orals = forms.BooleanField(label=_("Also on the interviews"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("extra_time") and AccommodationKind.EXTRA_TIME not in data.get("kinds", []):
            self.add_error("extra_time", _("Tick “Extra time” among the accommodations asked for."))
        return data
