"""What a saved planning gives people: its timeline on the page, the printed planning, the sign-in sheet in
planning order, a part changed in full (jury, workstation), and a late arrival that keeps the end (R-45)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.core.test_pdf import pypdf_text
from tests.helpers import login_as
from tests.session_world import TSSR_FIRST_DAY, TSSR_REPLAYED_DAY, make_tssr_world
from tests.sessions.test_timetable import grant_extra_time, tssr_session

from titrepro.audit.models import AuditEntry
from titrepro.core import dating
from titrepro.core.refusals import Refused
from titrepro.rules.timetable_solver import Settings
from titrepro.sessions import feeds, planning, services, sheets, timetable
from titrepro.sessions.models import ExamSession, TimetableSlot

pytestmark = pytest.mark.django_db

FAST = Settings(seconds=2, workers=1, seed=7)


def planned(w: Any, **fields: Any) -> ExamSession:
    session = tssr_session(w, **fields)
    with dating.replaying(TSSR_REPLAYED_DAY):
        services.plan_session(w.staff, session, settings=FAST)
    return session


def test_the_page_draws_each_day_as_a_timeline_beside_its_table(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = planned(w)
    page = login_as(client, w.staff).get(reverse("sessions:centre_session_planning", args=[session.pk]))
    html = page.content.decode()
    svg = re.search(r'<svg [^>]*aria-labelledby="2026-05-04-timeline-caption".*?</svg>', html, re.S)
    assert svg is not None
    assert 'id="2026-05-04-timeline-caption"' in html
    slots = TimetableSlot.objects.filter(timetable__session=session)
    # One bar per slot in its candidate's row, one per jury member present, one per workstation used.
    expected = sum(1 + s.jurors.count() + (1 if s.workstation else 0) for s in slots)
    assert svg.group(0).count("<title>") == expected
    for registration in session.registrations.all():
        assert registration.candidate.birth_name.upper() in svg.group(0)
    assert "style=" not in svg.group(0)
    assert "<script" not in svg.group(0)


def test_the_printed_planning_has_every_part_in_time_order(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = planned(w)
    grant_extra_time(w, session, 0)
    staff = login_as(client, w.staff)
    url = reverse("sessions:centre_session_planning_pdf", args=[session.pk])
    assert url in staff.get(reverse("sessions:centre_session_planning", args=[session.pk])).content.decode()
    response = staff.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pypdf_text(response.content)
    assert "PLANNING DE LA SESSION" in text
    assert "lundi 4 mai 2026" in text
    assert "Temps majoré de 1/3" in text  # the accommodation taken into account
    first = TimetableSlot.objects.filter(timetable__session=session).order_by("starts_at", "pk")[0]
    assert first.registration.candidate.birth_name.upper() in text
    assert first.starts_at.astimezone(timetable.local_zone()).strftime("%-H h %M") in text


def test_no_printed_planning_before_one_is_computed(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    response = login_as(client, w.staff).get(reverse("sessions:centre_session_planning_pdf", args=[session.pk]))
    assert response.status_code == 404


def test_the_sign_in_sheet_follows_the_planning_order(builtin_catalogue: Any) -> None:
    w = make_tssr_world()
    session = tssr_session(w, candidates=3, days=2, workstations=1)
    by_name = [p["name"] for p in sheets.sign_in_data(session)["people"] if p["role"] == "Candidat"]
    assert by_name == sorted(by_name)
    with dating.replaying(TSSR_REPLAYED_DAY):
        services.plan_session(w.staff, session, settings=FAST)
    registrations = sorted(session.registrations.all(), key=lambda r: (r.candidate.birth_name, r.candidate.given_names))
    starts = planning.first_starts(session)
    order = sorted(registrations, key=lambda r: (starts[r.pk], r.candidate.birth_name, r.candidate.given_names))
    names = [p["name"] for p in sheets.sign_in_data(session)["people"] if p["role"] == "Candidat"]
    assert names == [f"{r.candidate.birth_name.upper()} {r.candidate.given_names}" for r in order]
    assert len(set(starts.values())) == 3  # one workstation: the candidates arrive one after the other


def _slot_page(session: ExamSession, slot: TimetableSlot) -> str:
    return reverse("sessions:centre_planning_slot", args=[session.pk, slot.pk])


def _post(slot: TimetableSlot, **fields: Any) -> dict[str, Any]:
    start = slot.starts_at.astimezone(timetable.local_zone())
    data: dict[str, Any] = {
        "day": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "workstation": slot.workstation or "",
    }
    data.update(fields)
    return data


def test_a_part_gets_other_jury_members_or_workstation_checked_again(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = planned(w, members=3, workstations=3)
    staff = login_as(client, w.staff)
    interview = (
        TimetableSlot.objects.filter(timetable__session=session, jurors__isnull=False).distinct().order_by("starts_at")
    )[0]
    present = sorted(j.pk for j in interview.jurors.all())
    spare = session.jury.exclude(pk__in=present).get()
    page = staff.get(_slot_page(session, interview))
    assert page.status_code == 200
    assert interview.label in page.content.decode()

    # Only one member left: two are needed for a test before the jury.
    one = staff.post(_slot_page(session, interview), _post(interview, jurors=[present[0]]))
    assert one.status_code == 400
    assert "R-63" in one.content.decode()
    assert 'id="id_jurors_error"' in one.content.decode() or "fr-fieldset--error" in one.content.decode()
    assert sorted(j.pk for j in interview.jurors.all()) == present

    # The spare member replaces one of them, if the spare is free at that time: saved and recorded.
    busy = TimetableSlot.objects.filter(
        timetable__session=session,
        jurors=spare,
        starts_at__lt=interview.ends_at,
        ends_at__gt=interview.starts_at,
    ).exists()
    swap = staff.post(_slot_page(session, interview), _post(interview, jurors=[present[0], spare.pk]))
    if busy:
        assert swap.status_code == 400
    else:
        assert swap.status_code == 302
        assert sorted(j.pk for j in interview.jurors.all()) == sorted([present[0], spare.pk])
        event = AuditEntry.objects.filter(action="session.timetable_slot_moved").latest("sequence")
        assert event.data["after"]["jurors"] == sorted([present[0], spare.pk])

    on_station = TimetableSlot.objects.filter(timetable__session=session, workstation__isnull=False)[0]
    others = TimetableSlot.objects.filter(
        timetable__session=session, starts_at__lt=on_station.ends_at, ends_at__gt=on_station.starts_at
    ).exclude(pk=on_station.pk)
    taken = {s.workstation for s in others if s.workstation is not None}
    free = next(n for n in (1, 2, 3) if n not in taken and n != on_station.workstation)
    moved = staff.post(
        _slot_page(session, on_station),
        _post(on_station, jurors=[j.pk for j in on_station.jurors.all()], workstation=free),
    )
    assert moved.status_code == 302
    on_station.refresh_from_db()
    assert on_station.workstation == free
    if taken:
        clash = staff.post(
            _slot_page(session, on_station),
            _post(on_station, jurors=[j.pk for j in on_station.jurors.all()], workstation=min(taken)),
        )
        assert clash.status_code == 400


def test_the_slot_page_of_another_centre_or_session_is_not_found(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = planned(w)
    slot = TimetableSlot.objects.filter(timetable__session=session)[0]
    other = make_tssr_world()
    assert login_as(client, other.staff).get(_slot_page(session, slot)).status_code == 404
    elsewhere = tssr_session(w)
    staff = login_as(client, w.staff)
    assert staff.get(reverse("sessions:centre_planning_slot", args=[elsewhere.pk, slot.pk])).status_code == 404


def test_a_late_candidate_starts_on_arrival_and_keeps_the_end(builtin_catalogue: Any, client: Client) -> None:
    """R-45: a candidate admitted late sits the part from their arrival to its planned end."""
    w = make_tssr_world()
    session = planned(w)
    with dating.replaying(TSSR_REPLAYED_DAY):
        session = services.convene(w.staff, session)
    first = TimetableSlot.objects.filter(timetable__session=session).order_by("starts_at", "pk")[0]
    registration = first.registration
    planned_start, end = first.starts_at, first.ends_at
    arrival = (planned_start + datetime.timedelta(minutes=20)).astimezone(timetable.local_zone())
    with dating.replaying(TSSR_FIRST_DAY):
        services.record_attendance(w.staff, registration, attendance="late", arrived_at=arrival.time())
    first.refresh_from_db()
    assert (first.starts_at, first.ends_at, first.planned_start) == (arrival, end, planned_start)
    event = AuditEntry.objects.filter(action="registration.attendance").latest("sequence")
    assert event.data["shortened_slot"] == first.pk

    problem, index = timetable.problem_for(session)
    assert problem.candidate(registration.pk).fixed_ends == {first.part_key: index.minute(end)}

    staff = login_as(client, w.staff)
    page = staff.get(reverse("sessions:centre_session_planning", args=[session.pk])).content.decode()
    assert "data-late" in page
    assert "R-45" in page

    # Computing again would lose the late start: refused; moving the part would move its end: refused.
    with pytest.raises(Refused) as refused:
        services.plan_session(w.staff, session, settings=FAST)
    assert refused.value.code == "timetable_late_arrival_recorded"
    with pytest.raises(Refused) as moved:
        services.move_slot(w.staff, first, start=arrival + datetime.timedelta(minutes=5))
    assert moved.value.code == "timetable_end_moved"

    # The lateness corrected: the part gets its planned start back.
    with dating.replaying(TSSR_FIRST_DAY):
        services.record_attendance(w.staff, registration, attendance="present")
    first.refresh_from_db()
    assert (first.starts_at, first.planned_start) == (planned_start, None)


def test_a_candidate_later_than_a_whole_part_shortens_nothing(builtin_catalogue: Any) -> None:
    w = make_tssr_world()
    session = planned(w)
    with dating.replaying(TSSR_REPLAYED_DAY):
        session = services.convene(w.staff, session)
    first = TimetableSlot.objects.filter(timetable__session=session).order_by("starts_at", "pk")[0]
    before = first.starts_at.astimezone(timetable.local_zone()) - datetime.timedelta(minutes=10)
    with dating.replaying(TSSR_FIRST_DAY):
        services.record_attendance(w.staff, first.registration, attendance="late", arrived_at=before.time())
    assert not TimetableSlot.objects.filter(timetable__session=session, planned_start__isnull=False).exists()


def test_a_jury_member_sees_their_own_day_and_their_calendar_follows_it(builtin_catalogue: Any, client: Client) -> None:
    """The member's page lists the parts they sit, with the other member present (R-63), and the feed's
    event for that day runs from their first part to their last, not the session's opening hours."""
    w = make_tssr_world()
    session = planned(w, candidates=2, members=3)
    assignments = list(session.jury.order_by("pk"))
    sitting = [a for a in assignments if a.slots.exists()]
    assert sitting
    member = sitting[0]
    own = list(TimetableSlot.objects.filter(jurors=member).order_by("starts_at"))
    page = login_as(client, w.user_of(member.member)).get(reverse("sessions:jury_invitation_detail", args=[member.pk]))
    html = page.content.decode()
    assert "Votre journée" in html
    rows = re.findall(r'<tr data-slot="(\d+)">(.*?)</tr>', html, re.S)
    assert [int(pk) for pk, _row in rows] == [s.pk for s in own]
    first = own[0]
    other = next(j for j in first.jurors.all() if j.pk != member.pk)
    assert other.member.last_name.upper() in rows[0][1]
    assert first.registration.candidate.birth_name in rows[0][1]

    zone = timetable.local_zone()
    day = own[0].starts_at.astimezone(zone).date()
    events = [e for e in feeds.feed_events(member.member) if e.uid.endswith(f"-{day:%Y%m%d}@titrepro")]
    start, end = events[0].start, events[0].end
    assert isinstance(start, datetime.datetime)
    assert isinstance(end, datetime.datetime)
    assert start == own[0].starts_at
    assert end == max(s.ends_at for s in own if s.starts_at.astimezone(zone).date() == day)
    opening = (session.opens_at, session.closes_at)
    assert (start.astimezone(zone).time(), end.astimezone(zone).time()) != opening

    idle = [a for a in assignments if not a.slots.exists()]
    if idle:
        page = login_as(client, w.user_of(idle[0].member)).get(
            reverse("sessions:jury_invitation_detail", args=[idle[0].pk])
        )
        assert 'id="own-day-empty"' in page.content.decode()


def test_a_jury_member_sees_no_day_before_the_session_is_planned(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    member = session.jury.order_by("pk")[0]
    page = login_as(client, w.user_of(member.member)).get(reverse("sessions:jury_invitation_detail", args=[member.pk]))
    assert page.status_code == 200
    assert 'id="own-day"' not in page.content.decode()
