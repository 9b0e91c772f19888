"""The workers' side of background jobs: which workers are alive, and the sweep.

Each worker writes a ``core.Worker`` row every ``BEAT_SECONDS`` from its main process (a thread
that runs whatever the pool is busy with), so pages can warn when none has been seen for
``PANDU_WORKER_MISSING_SECONDS``. The sweep (beat, every minute, and once when a worker starts)
puts back in the queue the running jobs whose worker died and sends again the messages of jobs
that have waited too long (a broker that was down, a worker killed holding a message).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from .jobs import FORK_LOCK, HOST, note, orphaned, send
from .models import Job, Worker

log = logging.getLogger("pandu.jobs")
#: Seconds between a worker's heartbeats.
BEAT_SECONDS = float(os.environ.get("PANDU_WORKER_BEAT_SECONDS", "30"))
#: A queued job whose message was sent this long ago and is still waiting is sent again (the
#: claim makes a second message harmless).
LOST_SECONDS = int(os.environ.get("PANDU_JOB_LOST_SECONDS", "600"))
#: Messages taken from the file queue are kept this long, then deleted.
PROCESSED_KEEP = timedelta(days=1)


def sweep(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"requeued": 0, "resent": 0}
    for job in Job.objects.filter(status=Job.Status.RUNNING).order_by("id"):
        if not orphaned(job, now):
            continue
        # Back to the queue; the claim counts the attempt and gives up after the last one.
        if Job.objects.filter(
            pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts, worker=job.worker
        ).update(status=Job.Status.QUEUED, sent_at=now, worker=""):
            note(
                job,
                _(
                    "Pekerja yang menjalankan tugas ini (%(worker)s) berhenti mendadak; "
                    "tugas dimasukkan lagi ke antrean."
                )
                % {"worker": job.worker.rsplit(":", 1)[0]},
            )
            send(job)
            counts["requeued"] += 1
    waited = now - timedelta(seconds=LOST_SECONDS)
    for job in Job.objects.filter(status=Job.Status.QUEUED, sent_at__lt=waited).order_by("id"):
        if Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED, sent_at=job.sent_at).update(
            sent_at=now
        ):
            send(job)
            counts["resent"] += 1
    _prune_processed(now)
    if counts["requeued"] or counts["resent"]:
        log.warning("job sweep: %(requeued)s requeued, %(resent)s sent again", counts)
    return counts


def _prune_processed(now: datetime) -> None:
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    folder = options.get("processed_folder")
    if not folder or not settings.CELERY_BROKER_URL.startswith("filesystem"):
        return
    cutoff = (now - PROCESSED_KEEP).timestamp()
    for entry in os.scandir(folder):
        try:
            if entry.is_file() and entry.stat().st_mtime < cutoff:
                Path(entry.path).unlink()
        except OSError:
            continue


# --- Heartbeats -------------------------------------------------------------------------------


def beat(name: str, started: datetime, *, stopped: bool = False) -> None:
    now = timezone.now()
    Worker.objects.update_or_create(
        name=name[:200],
        defaults={
            "host": HOST[:200],
            "pid": os.getpid(),
            "started_at": started,
            "seen_at": now,
            "stopped_at": now if stopped else None,
        },
    )


class Heartbeat:
    """The worker's heartbeat thread, started when the worker is ready."""

    def __init__(self, name: str):
        self.name = name
        self.started = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pandu heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self._write(stopped=True)

    def _run(self) -> None:
        while True:
            self._write()
            if self._stop.wait(BEAT_SECONDS):
                return

    def _write(self, *, stopped: bool = False) -> None:
        for attempt in range(3):
            try:
                with FORK_LOCK:
                    try:
                        beat(self.name, self.started, stopped=stopped)
                    finally:
                        # Never keep a connection that a forked pool process would inherit.
                        connections.close_all()
                break
            except Exception as exc:  # a busy database: the next beat will do
                log.info("worker heartbeat not written: %s", exc)
                time.sleep(1 + attempt)


def missing(now: datetime | None = None) -> tuple[bool, datetime | None]:
    """Whether no running worker has been seen lately, and when one last was."""
    now = now or timezone.now()
    recent = now - timedelta(seconds=settings.PANDU_WORKER_MISSING_SECONDS)
    if Worker.objects.filter(stopped_at__isnull=True, seen_at__gte=recent).exists():
        return False, None
    last = Worker.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return True, last
