"""Exam sessions: the yearly programme, sessions, registrations, the jury, convocations, the session day.

Every status field here moves only through its lifecycle (``sessions.lifecycles``); the services
(``sessions.services``) are the only writers. What the next steps (deliberation, minutes, documents)
need is carried here: the approval a session ran under and whether it was an extension-year
session (R-08), the accommodations attached to each registration (R-85, R-86), the attendance and
the fraud reports of the session day (R-45, R-80), the jury members who accepted (R-63, R-64).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from titrepro.catalogue.models import SessionKind
from titrepro.rules.timetable import MIN_LUNCH_MINUTES

# The yearly programme (R-40) ---------------------------------------------------------------------


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SENT = "sent", _("Sent to the authority")


class Programme(models.Model):
    """A centre's forecast of its sessions for one calendar year, sent before 31 January (R-40)."""

    centre = models.ForeignKey("directory.ApprovedCentre", on_delete=models.PROTECT, related_name="programmes")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=8, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "centre"]
        verbose_name = _("session programme")
        verbose_name_plural = _("session programmes")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year"],
                name="programme_one_per_centre_and_year",
                violation_error_message=_("This centre already has a programme for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre} — {self.year}"


class PlannedSession(models.Model):
    """One line of a programme: a session the centre expects to run."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="planned")
    kind = models.CharField(_("kind"), max_length=8, choices=SessionKind.choices)
    version = models.ForeignKey(
        "catalogue.TitleVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("title version")
    )
    month = models.PositiveSmallIntegerField(_("month"))
    expected_candidates = models.PositiveSmallIntegerField(_("expected candidates"))

    class Meta:
        ordering = ["programme", "month", "pk"]
        verbose_name = _("planned session")
        verbose_name_plural = _("planned sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="planned_session_month_in_year",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
            models.CheckConstraint(
                condition=Q(expected_candidates__gte=1),
                name="planned_session_expects_candidates",
                violation_error_message=_("A planned session expects at least one candidate."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} — {self.month:02d} {self.kind}"


# Sessions ------------------------------------------------------------------------------------------


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    DECLARED = "declared", _("Declared to the authority")
    CONVENED = "convened", _("Convocations sent")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled by the centre")
    ANNULLED = "annulled", _("Annulled by the authority")


OPEN_SESSION_STATES = (SessionStatus.DRAFT, SessionStatus.DECLARED, SessionStatus.CONVENED, SessionStatus.HELD)


class PlusMinutes(models.Func):
    """A time of day plus whole minutes, in SQL both databases evaluate in a check constraint (SQLite has no
    time arithmetic of its own in Django: ``time(t, '+45 minutes')``; PostgreSQL adds an interval)."""

    output_field = models.TimeField()

    def __init__(self, expression: Any, *, minutes: int, **extra: Any) -> None:
        self.minutes = int(minutes)
        super().__init__(expression, **extra)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        template = f"(%(expressions)s + interval '{self.minutes} minutes')"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"time(%(expressions)s, '+{self.minutes} minutes')"
        return super().as_sql(compiler, connection, template=template, **extra)


class ExamSession(models.Model):
    """A title, CCP or CCS session that an approved centre runs on its approved site (R-30, R-41, R-46).

    ``approval`` is the approval it runs under, fixed when it is declared; ``extension`` marks a
    session on a version past its end of validity, in the year after it (R-08).
    """

    number = models.CharField(_("session number"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=SessionKind.choices)
    version = models.ForeignKey(
        "catalogue.TitleVersion", on_delete=models.PROTECT, related_name="sessions", verbose_name=_("title version")
    )
    ccps = models.ManyToManyField("catalogue.CCP", blank=True, related_name="sessions", verbose_name=_("CCPs"))
    ccs = models.ForeignKey(
        "catalogue.CCS", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions", verbose_name=_("CCS")
    )
    centre = models.ForeignKey("directory.ApprovedCentre", on_delete=models.PROTECT, related_name="sessions")
    approval = models.ForeignKey(
        "directory.Approval", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    extension = models.BooleanField(_("extension-year session"), default=False)
    site_address = models.TextField(_("site"))
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    opens_at = models.TimeField(_("opening time"), default="08:30")
    closes_at = models.TimeField(_("closing time"), default="17:30")
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    # What the timetable plans with (sessions.timetable): the workstations the candidates share, the lunch break.
    workstations = models.PositiveSmallIntegerField(
        _("workstations"),
        default=0,
        help_text=_("The workstations of the site the session's candidates can use at the same time."),
    )
    lunch_starts_at = models.TimeField(_("lunch break starts at"), default="12:00")
    lunch_ends_at = models.TimeField(_("lunch break ends at"), default="13:00")
    remote = models.BooleanField(_("remote session"), default=False, help_text=_("R-46 experiment only."))
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT)
    declared_on = models.DateField(_("declared on"), null=True, blank=True)
    convened_on = models.DateField(_("convocations sent on"), null=True, blank=True)
    held_on = models.DateField(_("recorded as held on"), null=True, blank=True)
    ended_on = models.DateField(_("cancelled or annulled on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for the cancellation or annulment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["first_day", "number"]
        verbose_name = _("exam session")
        verbose_name_plural = _("exam sessions")
        indexes = [models.Index(fields=["centre", "first_day"]), models.Index(fields=["status", "first_day"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")),
                name="session_ends_after_start",
                violation_error_message=_("A session cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="session_capacity_positive",
                violation_error_message=_("A session has room for at least one candidate."),
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="session_closes_after_opening",
                violation_error_message=_("The closing time must be after the opening time."),
            ),
            models.CheckConstraint(
                condition=Q(lunch_starts_at__gte=F("opens_at"), lunch_ends_at__lte=F("closes_at"))
                & Q(lunch_ends_at__gte=PlusMinutes("lunch_starts_at", minutes=MIN_LUNCH_MINUTES)),
                name="session_lunch_inside_hours",
                violation_error_message=_(
                    "The lunch break lies inside the opening hours and lasts at least 45 minutes."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind=SessionKind.CCS) | Q(ccs__isnull=False),
                name="session_ccs_names_its_ccs",
                violation_error_message=_("A CCS session names its CCS."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_SESSION_STATES


# Registrations -----------------------------------------------------------------------------------


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Attendance(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    LATE = "late", _("Late, admitted")
    REFUSED = "refused", _("Late, not admitted")


class Registration(models.Model):
    """A candidate registered for a session, checked by the rules on the session's dates (R-02 to R-22).

    A withdrawn registration stays, with its reason. The accommodations granted to the candidate
    (R-85, R-86) are attached when the candidate is registered.
    """

    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="registrations")
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.PROTECT, related_name="registrations")
    ccps = models.ManyToManyField(
        "catalogue.CCP", blank=True, related_name="+", verbose_name=_("CCPs sat"), help_text=_("CCP sessions.")
    )
    final_interview_due = models.BooleanField(_("final interview due"), default=False)
    accommodations = models.ManyToManyField(
        "candidates.Accommodation", blank=True, related_name="registrations", verbose_name=_("accommodations")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    registered_on = models.DateField(_("registered on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    # The session day.
    attendance = models.CharField(_("attendance"), max_length=8, choices=Attendance.choices, blank=True, default="")
    arrived_at = models.TimeField(_("arrived at"), null=True, blank=True)
    attendance_note = models.TextField(_("note"), blank=True)
    portfolio_handed_in = models.BooleanField(_("dossier professionnel handed in on the day"), default=False)

    class Meta:
        ordering = ["session", "candidate__birth_name", "candidate__given_names", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "candidate"],
                condition=Q(status="registered"),
                name="registration_once_per_session",
                violation_error_message=_("This candidate is already registered for this session."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.candidate}"


# The jury ----------------------------------------------------------------------------------------


class JuryStatus(models.TextChoices):
    PROPOSED = "proposed", _("Invited, no answer yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn by the centre")


BUSY_JURY_STATES = (JuryStatus.PROPOSED, JuryStatus.ACCEPTED)


class JuryAssignment(models.Model):
    """A jury member invited to a session (R-62 to R-66).

    ``first_day`` and ``last_day`` repeat the session's, so that PostgreSQL refuses two busy
    assignments of one member on overlapping days (an exclusion constraint added by migration
    0002; the service checks the same on SQLite).
    """

    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="jury")
    member = models.ForeignKey("directory.JuryMember", on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(_("status"), max_length=10, choices=JuryStatus.choices, default=JuryStatus.PROPOSED)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    proposed_on = models.DateField(_("invited on"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["session", "member__last_name", "member__first_name"]
        verbose_name = _("jury assignment")
        verbose_name_plural = _("jury assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")),
                name="jury_assignment_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["session", "member"],
                condition=Q(status__in=["proposed", "accepted"]),
                name="jury_assignment_once_per_session",
                violation_error_message=_("This jury member is already invited to this session."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.member}"


class ConflictDeclaration(models.Model):
    """A personal link a jury member (or the centre) declares with one candidate of a session (R-64)."""

    assignment = models.ForeignKey(JuryAssignment, on_delete=models.CASCADE, related_name="declared_conflicts")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="declared_conflicts")
    note = models.TextField(_("note"), blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "registration"], name="conflict_declared_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} ≠ {self.registration.candidate}"


# Convocations ------------------------------------------------------------------------------------


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


def new_reference() -> str:
    return secrets.token_hex(6).upper()


def convocation_path(instance: Convocation, filename: str) -> str:
    return f"convocations/{instance.session_id}/{instance.reference}.pdf"


class Convocation(models.Model):
    """The convocation of one candidate (``registration``) or one jury member (``assignment``) (R-43, R-44, R-66).

    Sent by the task worker; the delivery of each is tracked (queued, sent, failed with its error)
    and can be started again. ``pdf`` is the document as it was sent.
    """

    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="convocations")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, null=True, blank=True, related_name="convocations"
    )
    assignment = models.ForeignKey(
        JuryAssignment, on_delete=models.PROTECT, null=True, blank=True, related_name="convocations"
    )
    reference = models.CharField(_("reference"), max_length=16, unique=True, default=new_reference)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(_("delivery"), max_length=10, choices=DeliveryStatus.choices, default="queued")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=convocation_path, blank=True)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("convocation")
        verbose_name_plural = _("convocations")
        constraints = [
            models.CheckConstraint(
                condition=Q(registration__isnull=False, assignment__isnull=True)
                | Q(registration__isnull=True, assignment__isnull=False),
                name="convocation_for_one_person",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


# The session day ---------------------------------------------------------------------------------


class IncidentKind(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    IRREGULARITY = "irregularity", _("Irregularity (R-81)")
    FRAUD = "fraud", _("Fraud or attempted fraud (R-80)")


class Incident(models.Model):
    """What the responsable de session records on the day: an incident, an irregularity, a fraud report
    (R-45, R-80, R-81). Fraud reports go into the minutes (next issue)."""

    session = models.ForeignKey(ExamSession, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentKind.choices)
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    occurred_on = models.DateField(_("day"))
    text = models.TextField(_("what happened"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "recorded_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.session} — {self.get_kind_display()}"


# The timetable (sessions.timetable) -----------------------------------------------------------------


class TimetableStatus(models.TextChoices):
    OPTIMAL = "optimal", _("Optimal")
    FEASIBLE = "feasible", _("Valid, not proven optimal")


class Timetable(models.Model):
    """The saved planning of a session: who sits which part when, on which workstation, before which jury
    members. Computed by the solver (``rules.timetable_solver``), then possibly moved by hand (``edited``);
    every saved planning passes ``rules.timetable.check`` but for the warnings staff accepted.

    The solver's figures: ``end_minute`` (the session's end, in minutes from midnight of the first day),
    ``spread`` (the candidates' days, first start to last end, summed), ``load_gap`` (the gap between
    the most and the least busy jury member), ``end_bound`` (no planning can end before it) and ``gap``
    (how far the end may be from the best possible, 0 when proven optimal).
    """

    session = models.OneToOneField(ExamSession, on_delete=models.CASCADE, related_name="timetable")
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=TimetableStatus.choices)
    end_minute = models.PositiveIntegerField(_("end"), default=0)
    spread = models.PositiveIntegerField(_("spread"), default=0)
    load_gap = models.PositiveIntegerField(_("jury load gap"), default=0)
    end_bound = models.PositiveIntegerField(_("bound of the end"), null=True, blank=True)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), default=0)
    seed = models.BigIntegerField(_("seed"), default=0)
    edited = models.BooleanField(_("moved by hand"), default=False)

    class Meta:
        verbose_name = _("timetable")
        verbose_name_plural = _("timetables")

    def __str__(self) -> str:
        return f"{self.session}"


class TimetableSlot(models.Model):
    """One planned part of one candidate's tests. ``part_key`` names it in the pure problem
    (``sessions.timetable.part_key``); ``warning_accepted`` is the warning staff accepted when they moved it."""

    timetable = models.ForeignKey(Timetable, on_delete=models.CASCADE, related_name="slots")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="slots")
    part_key = models.CharField(_("part"), max_length=32)
    label = models.CharField(_("label"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    workstation = models.PositiveSmallIntegerField(_("workstation"), null=True, blank=True)
    jurors = models.ManyToManyField(JuryAssignment, blank=True, related_name="slots", verbose_name=_("jury"))
    warning_accepted = models.TextField(_("warning accepted"), blank=True)
    # The start planned before the candidate arrived late: the part then starts on arrival and keeps its end.
    planned_start = models.DateTimeField(_("start planned before a late arrival"), null=True, blank=True)

    class Meta:
        ordering = ["timetable", "starts_at", "registration", "position"]
        verbose_name = _("timetable slot")
        verbose_name_plural = _("timetable slots")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="timetable_slot_ends_after_start"),
            models.UniqueConstraint(
                fields=["timetable", "registration", "part_key"], name="timetable_slot_once_per_part"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} — {self.label}"


class CalendarFeed(models.Model):
    """The secret address of a jury member's personal calendar feed (iCalendar); a new one revokes the old."""

    member = models.OneToOneField("directory.JuryMember", on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.member)
