"""Background jobs: a ``core.Job`` row that users watch, run by a Celery worker.

An app declares a job body with ``@job("kind")`` in its ``tasks.py``: a function taking a
:class:`JobContext` that reports progress with ``ctx.progress(done, total, **counts)`` and calls
``ctx.check_cancelled()`` between batches (a cancel raises :class:`JobCancelled`, so the body's
own transaction rolls back). ``enqueue`` writes the row and sends the Celery message once the
transaction commits; the message carries the job's id only.

The row, not the message, is the truth. A worker *claims* the row before running the body, so a
message delivered twice runs the job once; a job whose worker died (its process is gone, or its
heartbeat stopped) is claimed again, by a redelivered message or by the sweep that beat runs
every minute; a busy or dropped database connection puts the job back in the queue with a
growing delay. Each of these leaves a line in ``Job.notice`` and counts in ``Job.attempts``;
after ``PANDU_JOB_MAX_ATTEMPTS`` the job fails with the reason. Bodies must therefore be safe to
run again: they take ids (``ctx.params``), not objects, and resume from what is committed.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job

log = logging.getLogger("pandu.jobs")
BODIES: dict[str, Callable[[JobContext], str | None]] = {}
ACTIVE = (Job.Status.QUEUED, Job.Status.RUNNING)
HOST = socket.gethostname()
#: Seconds between the running job's writes of its progress and reads of a cancel request.
REPORT_SECONDS = 1.0
#: A running job's heartbeat is written at least this often, progress or not.
HEARTBEAT_SECONDS = 10.0
#: A process on this machine that still runs is trusted this long without a heartbeat (a
#: SQLite database can be held by a long index build); after that its pid may have been reused.
SAME_HOST_TRUST = timedelta(hours=1)

#: Held by this process's helper threads (job reporter, worker heartbeat) while they use the
#: database, and taken around fork(): a process forked while another thread is inside SQLite or
#: a driver would wait for ever on a lock that thread held (a pool process replacing a killed
#: one, the import's parser process).
FORK_LOCK = threading.Lock()
os.register_at_fork(
    before=FORK_LOCK.acquire, after_in_parent=FORK_LOCK.release, after_in_child=FORK_LOCK.release
)


class JobCancelled(Exception):
    """The user asked to cancel; raised by ``check_cancelled`` between batches."""


class JobLost(Exception):
    """Another worker took the job over (this one was thought dead); stop without finishing."""


class TooManyJobs(ValidationError):
    """The user already has ``PANDU_JOBS_PER_USER`` jobs waiting or running."""


def job(kind: str):
    """Register ``fn`` as the body of jobs of ``kind``, run by the Celery task of that name."""

    def register(fn: Callable[[JobContext], str | None]):
        BODIES[kind] = fn
        shared_task(name=kind, base=JobTask, bind=True)(_run_task)
        return fn

    return register


class JobTask(Task):
    """A job's Celery task: the message is acknowledged when the job is done, and a message
    whose pool process was killed goes back to the queue (the claim stops a second run)."""

    acks_late = True
    reject_on_worker_lost = True
    ignore_result = True
    max_retries = None  # counted on the Job row instead


def _run_task(task: Task, job_id: int) -> None:
    retry_in = run(job_id, worker=identity(), live=True)
    if retry_in is not None:
        raise task.retry(args=[job_id], countdown=retry_in, max_retries=None)


# --- Queueing -----------------------------------------------------------------------------------


def enqueue(
    kind: str, *, user=None, params: dict | None = None, area_code: str = "", title: str = ""
) -> Job:
    """Write the job and send it to the workers when the surrounding transaction commits.

    Raises :class:`TooManyJobs` when ``user`` already has the allowed number of jobs waiting or
    running (jobs started by the system have no limit)."""
    _load_bodies()
    if kind not in BODIES:
        raise LookupError(f"no job body for kind {kind!r}")
    with transaction.atomic():
        if user is not None:
            _check_limit(user)
        job = Job.objects.create(
            kind=kind,
            created_by=user,
            params=params or {},
            area_code=area_code,
            title=title,
            sent_at=timezone.now(),
        )
        transaction.on_commit(lambda: send(job), robust=True)
    return job


def _check_limit(user) -> None:
    limit = settings.PANDU_JOBS_PER_USER
    # One user's requests queue up here, so two at once cannot both pass the count.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    waiting = Job.objects.filter(created_by=user, status__in=ACTIVE).count()
    if waiting >= limit:
        raise TooManyJobs(
            _(
                "Anda masih punya %(n)s tugas latar belakang yang menunggu atau berjalan "
                "(batasnya %(limit)s sekaligus). Tunggu sampai salah satu selesai, atau batalkan "
                "yang tidak perlu di menu Alat → Tugas latar belakang, lalu coba lagi."
            )
            % {"n": waiting, "limit": limit},
            code="too_many_jobs",
        )


def send(job: Job, countdown: float | None = None) -> bool:
    """Send the message that runs ``job``; a broker that cannot be reached is noted on the job
    (the sweep sends it again) rather than failing the request that queued it."""
    from pandu.celery import app

    try:
        app.send_task(job.kind, args=[job.pk], countdown=countdown)
    except Exception as exc:  # the broker is down: the job waits, the sweep retries
        log.warning("job %s: could not reach the queue: %s", job.uid, exc)
        note(job, _("Antrean tugas tidak dapat dihubungi; tugas dikirim lagi otomatis."))
        return False
    return True


def request_cancel(job: Job) -> None:
    Job.objects.filter(pk=job.pk, status__in=ACTIVE).update(cancel_requested=True)
    Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.CANCELLED, finished_at=timezone.now()
    )


def note(job: Job, text: str, **fields: Any) -> None:
    """Add a dated line to the job's notice (and set ``fields``), in the database and on ``job``."""
    stamp = timezone.localtime().strftime("%d-%m-%Y %H:%M:%S")
    job.notice = f"{job.notice}\n{stamp} {text}".strip()[-4000:]
    Job.objects.filter(pk=job.pk).update(notice=job.notice, **fields)
    for key, value in fields.items():
        setattr(job, key, value)


# --- Running ------------------------------------------------------------------------------------


def identity() -> str:
    """This process and thread: one job at a time runs in each."""
    return f"{HOST}:{os.getpid()}:{threading.get_ident()}"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[-1].split()[0] != b"Z"  # a zombie is dead
    except FileNotFoundError:
        return False
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def orphaned(job: Job, now: datetime | None = None) -> bool:
    """Whether a running job's worker is gone: on this machine the process table says so; for
    another machine's worker, a heartbeat older than ``PANDU_JOB_STALE_SECONDS`` does."""
    now = now or timezone.now()
    heartbeat = job.heartbeat_at or job.started_at or job.created_at
    host, pid, thread = (job.worker.split(":") + ["", "", ""])[:3]
    if host == HOST and pid.isdigit():
        if job.worker == identity():
            return True  # this thread is not running it: it is asking to
        if not _alive(int(pid)):
            return True
        return heartbeat < now - SAME_HOST_TRUST
    return heartbeat < now - timedelta(seconds=settings.PANDU_JOB_STALE_SECONDS)


def claim(job_id: int, worker: str) -> Job | None:
    """Take the job for ``worker`` if it waits, or runs on a worker that died; else None."""
    now = timezone.now()
    max_attempts = settings.PANDU_JOB_MAX_ATTEMPTS
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in ACTIVE:
            return None
        took_over = job.status == Job.Status.RUNNING
        if took_over and not orphaned(job, now):
            return None  # a delivered-again message of a job that runs elsewhere
        if took_over:
            note(
                job,
                _("Pekerja yang menjalankan tugas ini (%(worker)s) berhenti mendadak.")
                % {"worker": job.worker.rsplit(":", 1)[0]},
            )
        if job.cancel_requested:
            _finish(job, Job.Status.CANCELLED, job.message, check_owner=False)
            return None
        if job.attempts >= max_attempts:
            text = _("Tugas dihentikan setelah %(n)s percobaan.") % {"n": job.attempts}
            _finish(job, Job.Status.FAILED, f"{text}\n{job.notice}".strip(), check_owner=False)
            return None
        if job.attempts:
            note(
                job,
                _("Dijalankan lagi (percobaan %(n)s dari %(max)s); pekerjaan yang sudah "
                  "tersimpan tidak diulang.")
                % {"n": job.attempts + 1, "max": max_attempts},
            )  # fmt: skip
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.RUNNING,
            started_at=job.started_at or now,
            heartbeat_at=now,
            attempts=job.attempts + 1,
            worker=worker,
        )
    job.refresh_from_db()
    return job


def run(job_id: int, *, worker: str = "", live: bool = False) -> float | None:
    """Claim and run one job to its end; returns the seconds after which to run it again when
    a transient database error stopped it, else None.

    ``live`` (in a worker): progress, heartbeat and cancel requests go through a thread with its
    own database connection, so a body reading with an open cursor never writes beside it."""
    job = _with_retries(lambda: claim(job_id, worker or identity()))
    if job is None:
        return None
    ctx = JobContext(job, live=live)
    body = BODIES.get(job.kind)
    try:
        if body is None:
            raise LookupError(f"no job body for kind {job.kind!r}")
        result = body(ctx)
    except JobLost:
        ctx.close()
        return None
    except JobCancelled:
        ctx.close()
        _with_retries(lambda: _finish(job, Job.Status.CANCELLED, ctx.job.message or ""))
    except Exception as exc:
        ctx.close()
        reason = transient_reason(exc)
        if reason is not None:
            log.warning("job %s: %s (%s); will retry", job.uid, reason, type(exc).__name__)
            if live:
                _close_connections()
            return _with_retries(lambda: _retry_later(job, reason))
        log.error("job %s failed: %s", job.uid, exc)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        _with_retries(lambda: _finish(job, Job.Status.FAILED, detail[:2000]))
    else:
        ctx.close()
        _with_retries(lambda: _finish(job, Job.Status.SUCCEEDED, result or ctx.job.message or ""))
    return None


def _finish(job: Job, status: str, message: str, *, check_owner: bool = True) -> None:
    jobs = Job.objects.filter(pk=job.pk)
    if check_owner:  # a job taken over by another worker is that worker's to finish
        jobs = jobs.filter(status=Job.Status.RUNNING, attempts=job.attempts)
    finished = jobs.update(
        status=status,
        finished_at=timezone.now(),
        message=message,
        done=job.done,
        total=job.total,
        counts=job.counts,
    )
    job.status = status
    if finished:
        job.message = message
        _tell_finished(job)


# --- Who is told when a job ends --------------------------------------------------------------

#: Called once with each job that has just ended (succeeded, failed or was cancelled). Apps
#: above core register here from ``AppConfig.ready()`` (notifications tells the job's owner);
#: core never imports them.
FINISH_HOOKS: list[Callable[[Job], None]] = []


def on_finish(fn: Callable[[Job], None]) -> None:
    """Call ``fn(job)`` when a job ends. Registering the same function again changes nothing."""
    if fn not in FINISH_HOOKS:
        FINISH_HOOKS.append(fn)


def _tell_finished(job: Job) -> None:
    """A hook that fails is logged and never changes how the job ended."""
    for fn in FINISH_HOOKS:
        try:
            with transaction.atomic():
                fn(job)
        except Exception:
            log.exception("job %s: the end-of-job hook %s failed", job.uid, fn.__qualname__)


def _retry_later(job: Job, reason: str) -> float | None:
    max_attempts = settings.PANDU_JOB_MAX_ATTEMPTS
    if job.attempts >= max_attempts:
        text = _("Tugas dihentikan setelah %(n)s percobaan: %(reason)s.") % {
            "n": job.attempts,
            "reason": reason,
        }
        note(job, text)
        _finish(job, Job.Status.FAILED, f"{text}\n{job.message}".strip())
        return None
    delay = min(300.0, 5.0 * 2 ** (job.attempts - 1)) * random.uniform(1.0, 1.5)  # noqa: S311
    due = timezone.now() + timedelta(seconds=delay)
    note(
        job,
        _("Berhenti sementara: %(reason)s. Dicoba lagi sekitar pukul %(time)s.")
        % {"reason": reason, "time": timezone.localtime(due).strftime("%H:%M:%S")},
        status=Job.Status.QUEUED,
        sent_at=due,
        worker="",
    )
    return delay


def transient_reason(exc: BaseException | None) -> str | None:
    """Why ``exc`` (or an exception it was raised from) is a database error worth retrying:
    SQLite's busy lock, PostgreSQL's serialization failure or deadlock, a dropped connection."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        module = type(exc).__module__
        text = str(exc).lower()
        if module.startswith(("sqlite3", "django.db")) and (
            "database is locked" in text or "database table is locked" in text or "busy" in text
        ):
            return _("basis data sedang dipakai penulis lain")
        if module.startswith("psycopg"):
            state = getattr(exc, "sqlstate", None) or ""
            if state in ("40001", "40P01"):
                return _("transaksi bertabrakan dengan transaksi lain")
            name = type(exc).__name__
            if state.startswith(("08", "57P")) or (
                not state and name in ("OperationalError", "InterfaceError")
            ):
                return _("sambungan ke basis data terputus")
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return None


def _with_retries(fn: Callable[[], Any], tries: int = 6) -> Any:
    """The worker's own bookkeeping writes, retried through a busy or dropped database."""
    for attempt in range(tries):
        try:
            return fn()
        except Exception as exc:
            if attempt == tries - 1 or transient_reason(exc) is None:
                raise
            if not connections["default"].in_atomic_block:
                _close_connections()
            time.sleep(min(8.0, 0.25 * 2**attempt))
    return None


def _close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()


class JobContext:
    """What a job body gets: its job, parameters, and ways to report progress and hear a cancel."""

    def __init__(self, job: Job, *, live: bool = False):
        self.job = job
        self.live = live
        self._last_save = 0.0
        self._lock = threading.Lock()
        self._dirty = False
        self._cancelled = False
        self._lost = False
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if live:
            self._thread = threading.Thread(
                target=self._report, name=f"job {job.pk} reporter", daemon=True
            )
            self._thread.start()

    @property
    def params(self) -> dict:
        return self.job.params

    def progress(
        self, done: int, total: int | None = None, *, force: bool = False, **counts
    ) -> None:
        with self._lock:
            self.job.done = done
            if total is not None:
                self.job.total = total
            if counts:
                self.job.counts.update(counts)
            self._dirty = True
        if self.live:
            if force:
                self._wake.set()
            return
        now = time.monotonic()
        if force or now - self._last_save >= 0.5:
            self._last_save = now
            self._save()

    def check_cancelled(self) -> None:
        if self.live:
            if self._lost:
                raise JobLost
            if self._cancelled:
                raise JobCancelled
        elif Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled

    def message(self, text: str) -> None:
        with self._lock:
            self.job.message = text
            self._dirty = True
        if not self.live:
            self._save()

    def close(self) -> None:
        """Stop the reporter after writing the last progress (live contexts)."""
        if self._thread is not None:
            self._stop.set()
            self._wake.set()
            self._thread.join(timeout=60)
            self._thread = None

    def _save(self) -> int:
        with self._lock:
            job, self._dirty = self.job, False
            fields = {
                "done": job.done,
                "total": job.total,
                "counts": dict(job.counts),
                "message": job.message,
            }
        jobs = Job.objects.filter(pk=job.pk)
        if self.live:
            jobs = jobs.filter(status=Job.Status.RUNNING, attempts=job.attempts)
        return jobs.update(heartbeat_at=timezone.now(), **fields)

    def _report(self) -> None:
        """The live reporter: its own connection writes progress and heartbeat and reads the
        cancel flag, so the body's connection only does the body's work."""
        last_beat = 0.0
        try:
            while not self._stop.is_set():
                self._wake.wait(REPORT_SECONDS)
                self._wake.clear()
                try:
                    with FORK_LOCK:
                        if self._dirty or time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                            if not self._save():
                                self._lost = True
                            last_beat = time.monotonic()
                        self._cancelled = Job.objects.filter(
                            pk=self.job.pk, cancel_requested=True
                        ).exists()
                except Exception as exc:  # a busy database: try again on the next round
                    log.info("job %s: progress not saved: %s", self.job.uid, exc)
                    self._dirty = True
                    with FORK_LOCK:
                        _close_connections()
            if self._dirty:
                with FORK_LOCK:
                    _with_retries(self._save)
        except Exception as exc:
            log.warning("job %s: last progress not saved: %s", self.job.uid, exc)
        finally:
            with FORK_LOCK:
                connections.close_all()


# --- In-process execution (tests, commands) ----------------------------------------------------


def run_pending(max_jobs: int | None = None) -> int:
    """Run the queued jobs in this process, oldest first, until none is left (or ``max_jobs``);
    returns how many ran. For tests of job bodies and for commands: workers never call it."""
    _load_bodies()
    ran = 0
    tried: set[int] = set()
    while max_jobs is None or ran < max_jobs:
        job = (
            Job.objects.filter(status=Job.Status.QUEUED)
            .exclude(pk__in=tried)
            .order_by("id")
            .first()
        )
        if job is None:
            break
        tried.add(job.pk)
        run(job.pk, worker=identity())
        ran += 1
    return ran


_loaded = False


def _load_bodies() -> None:
    """Import every app's ``tasks`` module so its job bodies are registered."""
    global _loaded
    if not _loaded:
        from pandu.celery import app

        app.autodiscover_tasks(force=True)
        _loaded = True
