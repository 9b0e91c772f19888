"""Background jobs: a persisted queue in the database, run by ``manage.py run_jobs`` workers.

A job handler is a function registered with ``@handler("kind")`` taking a ``JobContext``. It
reports progress with ``ctx.progress(done, total, **counts)`` (saved at most twice a second) and
calls ``ctx.check_cancelled()`` between batches; a cancel raises ``JobCancelled`` so the handler's
own transaction rolls back. Handlers must be safe to run again (a crashed worker's job is picked
up again after ``STALE_AFTER``), so they take ids, not objects, and resume from what is committed.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Job

log = logging.getLogger("pandu.jobs")
HANDLERS: dict[str, Callable[[JobContext], str | None]] = {}
STALE_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 3


class JobCancelled(Exception):
    pass


def handler(kind: str):
    def register(fn):
        HANDLERS[kind] = fn
        return fn

    return register


def enqueue(
    kind: str, *, user=None, params: dict | None = None, area_code: str = "", title: str = ""
):
    """Queue a job; it becomes visible to workers when the surrounding transaction commits."""
    return Job.objects.create(
        kind=kind, created_by=user, params=params or {}, area_code=area_code, title=title
    )


def request_cancel(job: Job) -> None:
    Job.objects.filter(pk=job.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
        cancel_requested=True
    )
    Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.CANCELLED, finished_at=timezone.now()
    )


class JobContext:
    def __init__(self, job: Job):
        self.job = job
        self._last_save = 0.0

    @property
    def params(self) -> dict:
        return self.job.params

    def progress(
        self, done: int, total: int | None = None, *, force: bool = False, **counts
    ) -> None:
        self.job.done = done
        if total is not None:
            self.job.total = total
        if counts:
            self.job.counts.update(counts)
        now = time.monotonic()
        if force or now - self._last_save >= 0.5:
            self._last_save = now
            Job.objects.filter(pk=self.job.pk).update(
                done=self.job.done,
                total=self.job.total,
                counts=self.job.counts,
                heartbeat_at=timezone.now(),
            )

    def check_cancelled(self) -> None:
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled

    def message(self, text: str) -> None:
        self.job.message = text
        Job.objects.filter(pk=self.job.pk).update(message=text)


def claim_next() -> Job | None:
    """Take the oldest queued job (or one whose worker died), atomically."""
    stale = timezone.now() - STALE_AFTER
    with transaction.atomic():
        candidates = Job.objects.filter(status=Job.Status.QUEUED) | Job.objects.filter(
            status=Job.Status.RUNNING, heartbeat_at__lt=stale, attempts__lt=MAX_ATTEMPTS
        )
        qs = candidates.order_by("id")
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        job = qs.first()
        if job is None:
            return None
        now = timezone.now()
        claimed = Job.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts).update(
            status=Job.Status.RUNNING,
            started_at=job.started_at or now,
            heartbeat_at=now,
            attempts=job.attempts + 1,
        )
        if not claimed:
            return None
    job.refresh_from_db()
    return job


def run_job(job: Job) -> Job:
    fn = HANDLERS.get(job.kind)
    ctx = JobContext(job)
    try:
        if fn is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        result = fn(ctx)
    except JobCancelled:
        _finish(job, Job.Status.CANCELLED, ctx.job.message or "")
    except Exception as exc:  # a job's failure must not kill the worker
        log.error("job %s failed: %s", job.uid, exc)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        _finish(job, Job.Status.FAILED, detail[:2000])
    else:
        _finish(job, Job.Status.SUCCEEDED, result or ctx.job.message or "")
    job.refresh_from_db()
    return job


def _finish(job: Job, status: str, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status,
        finished_at=timezone.now(),
        message=message,
        done=job.done,
        total=job.total,
        counts=job.counts,
    )


def run_pending(max_jobs: int | None = None) -> int:
    """Run queued jobs until none is left (or ``max_jobs``); returns how many ran."""
    _load_handlers()
    ran = 0
    while max_jobs is None or ran < max_jobs:
        job = claim_next()
        if job is None:
            break
        run_job(job)
        ran += 1
    return ran


def _load_handlers() -> None:
    """Import every app's ``jobs`` module so their handlers are registered."""
    from importlib import import_module

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("pandu."):
            try:
                import_module(f"{config.name}.jobs")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.jobs":
                    raise
