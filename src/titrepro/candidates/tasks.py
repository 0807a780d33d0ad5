"""Background work of candidates, run by the task worker (``titrepro db_worker``, django-tasks-db).

docs/decisions/0021-background-imports-with-django-tasks.md: a large import is checked, then
once confirmed written, here, with a time limit; its progress is on its ``ImportJob``.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.tasks import task

from titrepro.candidates import services
from titrepro.candidates.models import ImportJob, ImportStatus


@task()
def run_import_job(job_id: str) -> str:
    """Run one pending import (check, or write once confirmed); expired jobs are purged first."""
    services.purge_expired_imports()
    job = ImportJob.objects.select_related("user", "centre").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.QUEUED:
        return "skipped"  # expired and purged, or already run
    deadline = time.monotonic() + settings.TITREPRO_IMPORT_TIME_LIMIT_SECONDS
    try:
        job = services.run_job(job, deadline=deadline)
    except Exception as exc:
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, error=type(exc).__name__)
        raise
    return str(job.status)
