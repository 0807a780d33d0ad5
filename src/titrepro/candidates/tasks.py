"""Background work of candidates, run by the task worker (``titrepro db_worker``, django-tasks-db).

docs/decisions/0021-background-imports-with-django-tasks.md: a large import is checked, then
once confirmed written, here, with a time limit; its progress is on its ``ImportJob``.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from django.conf import settings
from django.tasks import task
from django.utils.translation import gettext as _

from titrepro.candidates import services
from titrepro.candidates.models import ImportJob, ImportStatus


@contextmanager
def hard_time_limit(seconds: float) -> Iterator[None]:
    """Raise ``ImportTimeLimit`` wherever the code is after ``seconds`` (the worker runs tasks in its main
    thread: SIGALRM). Inside the write's transaction, the exception rolls it back: nothing is written."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise services.ImportTimeLimit

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@task()
def run_import_job(job_id: str) -> str:
    """Run one pending import (check, or write once confirmed); expired jobs are purged first."""
    services.purge_expired_imports()
    job = ImportJob.objects.select_related("user", "centre").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.QUEUED:
        return "skipped"  # expired and purged, or already run
    limit = settings.TITREPRO_IMPORT_TIME_LIMIT_SECONDS
    try:
        # The cooperative check (every 500 rows) stops a slow check cleanly; the alarm stops anything else.
        with hard_time_limit(limit):
            job = services.run_job(job, deadline=time.monotonic() + limit)
    except Exception:
        message = _("The import stopped on an unexpected error: nothing was imported.")
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, error=message)
        raise
    return str(job.status)
