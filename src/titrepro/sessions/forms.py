"""Forms of the centre's session pages: they read input; every write goes through ``sessions.services``."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from titrepro.candidates.models import Candidate
from titrepro.catalogue.models import CCP, CCS, SessionKind, TitleVersion
from titrepro.core.forms import DsfrForm, date_field, reason_field
from titrepro.core.refusals import Refused
from titrepro.core.templatetags.french_dates import french_date
from titrepro.directory.models import ApprovedCentre, JuryMember
from titrepro.rules.timetable import MIN_LUNCH_MINUTES
from titrepro.sessions.models import Attendance, ExamSession, IncidentKind, JuryAssignment, Registration

TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})

if TYPE_CHECKING:
    _VersionField = forms.ModelChoiceField[TitleVersion]
    _CandidateField = forms.ModelChoiceField[Candidate]
    _CandidatesField = forms.ModelMultipleChoiceField[Candidate]
    _MemberField = forms.ModelChoiceField[JuryMember]
    _CcpField = forms.ModelMultipleChoiceField[CCP]
    _RegistrationField = forms.ModelChoiceField[Registration]
    _SessionField = forms.ModelChoiceField[ExamSession]
    _JurorsField = forms.ModelMultipleChoiceField[JuryAssignment]
else:
    _VersionField = _CandidateField = _MemberField = _RegistrationField = _SessionField = forms.ModelChoiceField
    _CandidatesField = _CcpField = _JurorsField = forms.ModelMultipleChoiceField


class VersionField(_VersionField):
    def label_from_instance(self, obj: TitleVersion) -> str:
        return f"{obj.title.code} – {obj.title.label} (version {obj.label})"


class CcpField(_CcpField):
    def label_from_instance(self, obj: CCP) -> str:
        return f"{obj.version.title.code} {obj.version.label} – CCP {obj.number} : {obj.label}"


def person_label(candidate: Candidate) -> str:
    """Homonyms told apart by their birth date."""
    return _("%(person)s, born on %(day)s") % {"person": candidate, "day": french_date(candidate.birth_date)}


class CandidateField(_CandidateField):
    def label_from_instance(self, obj: Candidate) -> str:
        return person_label(obj)


class CandidatesField(_CandidatesField):
    def label_from_instance(self, obj: Candidate) -> str:
        return person_label(obj)


class MemberField(_MemberField):
    def label_from_instance(self, obj: JuryMember) -> str:
        return f"{obj} ({obj.email})"


def workstations_field(*, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Workstations"),
        min_value=0,
        max_value=1000,
        initial=0,
        required=required,
        help_text=_("The workstations of the site the candidates can use at the same time, for the timetable."),
    )


def lunch_field(label: Any, initial: str, *, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=TIME_WIDGET,
        initial=initial,
        required=required,
        help_text=_("Inside the opening hours, at least 45 minutes."),
    )


class SessionForm(DsfrForm):
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=ApprovedCentre.objects.none())
    kind = forms.ChoiceField(label=_("Kind of session"), choices=SessionKind.choices)
    version = VersionField(label=_("Title version"), queryset=TitleVersion.objects.none())
    ccps = CcpField(
        label=_("CCPs covered (CCP session)"),
        queryset=CCP.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ccs = forms.ModelChoiceField(label=_("CCS (CCS session)"), queryset=CCS.objects.none(), required=False)
    site_address = forms.CharField(
        label=_("Site"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The approved site where the technical platform is (R-46)."),
    )
    first_day = date_field(_("First day"))
    last_day = date_field(_("Last day"))
    opens_at = forms.TimeField(label=_("Opening time"), widget=TIME_WIDGET, initial="08:30")
    closes_at = forms.TimeField(label=_("Closing time"), widget=TIME_WIDGET, initial="17:30")
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=500)
    workstations = workstations_field(required=False)
    lunch_starts_at = lunch_field(_("Lunch break from"), "12:00", required=False)
    lunch_ends_at = lunch_field(_("Lunch break until"), "13:00", required=False)
    remote = forms.BooleanField(
        label=_("Remote session (R-46 experiment only)"), required=False, help_text=_("Flagged in the minutes.")
    )

    def __init__(self, *args: Any, centres: QuerySet[ApprovedCentre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]
        if centres.count() == 1:
            self.fields["centre"].initial = centres.first()
            self.fields["centre"].widget = forms.HiddenInput()
        versions = (
            TitleVersion.objects.filter(approvals__centre__in=centres)
            .select_related("title")
            .distinct()
            .order_by("title__code", "-valid_from")
        )
        self.fields["version"].queryset = versions  # type: ignore[attr-defined]
        self.fields["ccps"].queryset = (  # type: ignore[attr-defined]
            CCP.objects.filter(version__in=versions).select_related("version__title").order_by("version", "number")
        )
        self.fields["ccs"].queryset = CCS.objects.filter(version__in=versions)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day cannot be before the first day."))
        data["workstations"] = data.get("workstations") or 0
        check_lunch(self, data, data.get("opens_at"), data.get("closes_at"))
        return data


def check_lunch(form: forms.Form, data: dict[str, Any], opens: time | None, closes: time | None) -> None:
    """The lunch break lies inside the opening hours and lasts at least ``MIN_LUNCH_MINUTES``."""
    starts = data.get("lunch_starts_at") or time(12, 0)
    ends = data.get("lunch_ends_at") or time(13, 0)
    if not (opens and closes):
        return
    if starts < opens or ends > closes:
        form.add_error("lunch_starts_at", _("The lunch break must lie inside the opening hours."))
    elif (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute) < MIN_LUNCH_MINUTES:
        form.add_error("lunch_ends_at", _("The lunch break lasts at least 45 minutes."))


class PlanningResourcesForm(DsfrForm):
    """What the timetable plans with: the workstations and the lunch break (the hours stay the session's)."""

    workstations = workstations_field()
    lunch_starts_at = lunch_field(_("Lunch break from"), "12:00")
    lunch_ends_at = lunch_field(_("Lunch break until"), "13:00")

    def __init__(self, *args: Any, session: ExamSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_lunch(self, data, self.session.opens_at, self.session.closes_at)
        return data


class MoveSlotForm(DsfrForm):
    """A new start for one planned part: the day (among the session's) and the time."""

    day = forms.TypedChoiceField(label=_("Day"), coerce=date.fromisoformat)
    start = forms.TimeField(label=_("New start"), widget=TIME_WIDGET)
    accept_warning = forms.BooleanField(label=_("Accept the warning"), required=False)
    # Set when the service refused the move for a warning only: the page then offers the checkbox.
    warning = False

    def __init__(self, *args: Any, days: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(d.isoformat(), french_date(d)) for d in days]  # type: ignore[attr-defined]
        if len(days) == 1:
            self.fields["day"].widget = forms.HiddenInput()
            self.fields["day"].initial = days[0].isoformat()

    def add_refusal(self, refusal: Refused) -> None:
        super().add_refusal(refusal)
        self.warning = refusal.field == "accept_warning"


class JurorsField(_JurorsField):
    def label_from_instance(self, obj: JuryAssignment) -> str:
        return f"{obj.member.first_name} {obj.member.last_name.upper()}"


class SlotForm(MoveSlotForm):
    """One planned part changed in full: its start, its jury members and its workstation (R-63, R-64)."""

    jurors = JurorsField(
        label=_("Jury members present"),
        queryset=JuryAssignment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Two members free of any link with the candidate for a test before the jury (R-63, R-64)."),
    )
    workstation = forms.TypedChoiceField(label=_("Workstation"), coerce=int, empty_value=None, required=False)

    def __init__(
        self, *args: Any, days: list[date], jury: QuerySet[JuryAssignment], workstations: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, days=days, **kwargs)
        self.fields["jurors"].queryset = jury  # type: ignore[attr-defined]
        self.fields["workstation"].choices = [("", _("None"))] + [  # type: ignore[attr-defined]
            (n, _("Workstation %(number)s") % {"number": n}) for n in range(1, workstations + 1)
        ]


class ReasonForm(DsfrForm):
    reason = reason_field()


class OptionalReasonForm(DsfrForm):
    reason = reason_field(required=False)


class RegisterForm(DsfrForm):
    candidate = CandidateField(label=_("Candidate"), queryset=Candidate.objects.none())

    def __init__(self, *args: Any, candidates: QuerySet[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = candidates  # type: ignore[attr-defined]


class RegisterManyForm(DsfrForm):
    candidates = CandidatesField(
        label=_("Candidates to register"), queryset=Candidate.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, candidates: QuerySet[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = candidates  # type: ignore[attr-defined]


class SessionField(_SessionField):
    def label_from_instance(self, obj: ExamSession) -> str:
        return (
            f"{obj.number} – {obj.version.title.code} {obj.version.label}, {obj.get_kind_display()}, "
            f"{french_date(obj.first_day)} ({obj.centre.name})"
        )


class RegisterPickForm(DsfrForm):
    """The session to register the candidates ticked on the candidate list to."""

    session = SessionField(label=_("Session"), queryset=ExamSession.objects.none())

    def __init__(self, *args: Any, sessions: QuerySet[ExamSession], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


class InviteForm(DsfrForm):
    member = MemberField(
        label=_("Jury member"),
        queryset=JuryMember.objects.none(),
        help_text=_("Members holding a habilitation for this title (R-62); it is checked on the session's days."),
    )

    def __init__(self, *args: Any, members: QuerySet[JuryMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class AttendanceForm(DsfrForm):
    attendance = forms.ChoiceField(label=_("Attendance"), choices=[c for c in Attendance.choices if c[0]])
    arrived_at = forms.TimeField(
        label=_("Arrived at"), required=False, widget=TIME_WIDGET, help_text=_("For a late candidate.")
    )
    portfolio_handed_in = forms.BooleanField(label=_("Dossier professionnel handed in"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class IncidentForm(DsfrForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    registration = forms.ModelChoiceField(
        label=_("Candidate concerned (optional)"), queryset=Registration.objects.none(), required=False
    )
    occurred_on = date_field(_("Day"))
    text = forms.CharField(label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, registrations: QuerySet[Registration], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["registration"]
        field.queryset = registrations  # type: ignore[attr-defined]
        field.label_from_instance = lambda r: person_label(r.candidate)  # type: ignore[attr-defined]


class PlannedLineForm(DsfrForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    version = VersionField(label=_("Title version"), queryset=TitleVersion.objects.none())
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        choices=list(MONTHS.items()),
    )
    expected_candidates = forms.IntegerField(label=_("Expected candidates"), min_value=1, max_value=500)

    def __init__(self, *args: Any, versions: QuerySet[TitleVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions  # type: ignore[attr-defined]
