"""Convocations sent by the real task worker (django-tasks-db), to Django's locmem outbox and to a real
SMTP server (aiosmtpd): the message, its PDF and .ics attachments, its headers; retries, then failure."""

from __future__ import annotations

import datetime
import email
import email.policy
import io
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.test import override_settings
from django_tasks_db.management.commands.db_worker import Worker
from icalendar import Calendar
from pypdf import PdfReader
from tests.factories import make_experience
from tests.session_world import World, make_world

from titrepro.sessions import services
from titrepro.sessions.models import Convocation, ExamSession

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> int:
    """Run every queued task that is due, then stop; how many ran."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run()
    return worker._run_tasks


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def convened() -> tuple[World, ExamSession]:
    world = make_world()
    session = services.convene(world.staff, world.ready())
    return world, session


def test_the_worker_sends_every_convocation_with_its_pdf_and_calendar(convened: tuple[World, ExamSession]) -> None:
    world, session = convened
    assert run_worker() == 4
    assert set(Convocation.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 4
    candidate = world.candidates[0]
    message = next(m for m in mail.outbox if m.to == [candidate.email])
    assert session.number in message.subject
    (_name, content, mimetype), (_ics_name, ics, ics_type) = message.attachments
    assert (mimetype, ics_type.split(";")[0]) == ("application/pdf", "text/calendar")
    text = pdf_text(content)
    assert candidate.birth_name.upper() in text
    assert "69000 Lyon" in text  # the place
    assert "8 h 30" in text  # the first test's time: the session's opening hour (no timetable yet)
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["LOCATION"]).startswith("1 rue")
    stored = Convocation.objects.get(registration__candidate=candidate)
    with stored.pdf.open("rb") as kept:
        assert kept.read() == content  # kept as sent


def test_an_employed_member_gets_the_leave_request_with_the_convocation(convened: tuple[World, ExamSession]) -> None:
    """R-66: a member whose current employer is known gets the request for leave to hand over; the other not."""
    world, _session = convened
    employed, independent = world.members
    make_experience(member=employed, employer="Réseaux & Fils SARL")
    run_worker()
    letter = next(m for m in mail.outbox if m.to == [employed.email])
    names = [name for name, _content, _type in letter.attachments]
    assert len(names) == 3
    assert names[2].endswith(".pdf")
    text = pdf_text(letter.attachments[2][1])
    assert "Réseaux & Fils SARL" in text
    assert "3142-42" in text
    other = next(m for m in mail.outbox if m.to == [independent.email])
    assert len(other.attachments) == 2


def test_a_failing_send_is_retried_then_marked_failed(convened: tuple[World, ExamSession], monkeypatch: Any) -> None:
    from titrepro.sessions import tasks

    monkeypatch.setattr(tasks, "RETRY_DELAY", datetime.timedelta(0))
    nobody_listens = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "use_tls": False, "timeout": 2},
        }
    }
    with override_settings(MAILERS=nobody_listens):
        run_worker()
    convocation = Convocation.objects.order_by("pk").first()
    assert convocation is not None
    assert convocation.status == "failed"
    assert convocation.attempts == tasks.SEND_ATTEMPTS
    assert convocation.error
    # The centre sends it again once the mail works.
    world, _session = convened
    with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}):
        services.resend(world.staff, convocation)
        run_worker()
    convocation.refresh_from_db()
    assert convocation.status == "sent"


class Collect:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Collect, int]]:
    handler = Collect()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def test_through_a_real_smtp_server(convened: tuple[World, ExamSession], smtp: tuple[Collect, int]) -> None:
    world, session = convened
    handler, port = smtp
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False},
        }
    }
    with override_settings(MAILERS=mailers):
        run_worker()
    assert len(handler.messages) == 4
    candidate = world.candidates[0]
    raw = next(m for m in handler.messages if candidate.email.encode() in m)
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert session.number in str(message["Subject"])
    assert message["Reply-To"] == world.centre.email
    assert message["X-Titrepro-Convocation"]
    parts = {part.get_content_type(): part for part in message.iter_attachments()}
    assert set(parts) == {"application/pdf", "text/calendar"}
    text = pdf_text(parts["application/pdf"].get_content())
    assert candidate.birth_name.upper() in text
    assert "8 h 30" in text
    assert "VEVENT" in parts["text/calendar"].get_content()
