"""Real Celery worker processes for tests, run against the test database.

The workers get the test database's address, a ``var`` folder of the test's own and a queue named
after this test session, so that two sessions on one Redis never take each other's messages. The
broker is ``CELERY_BROKER_URL`` when it is set (CI sets Redis), else the file queue that
``make run`` uses, in the test's folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.utils import timezone

from pandu.core.jobs import HOST
from pandu.core.models import Job, Worker

QUEUE = f"pandu-test-{os.getpid()}"
BODIES = "pandu.core.tests.job_bodies"


@contextmanager
def use_broker(url: str, options: dict, queue: str) -> Iterator[None]:
    """Point this process's Celery app (what ``enqueue`` sends with) at another broker."""
    from pandu.celery import app

    keys = ("broker_url", "broker_transport_options", "task_default_queue")
    saved = {key: app.conf.get(key) for key in keys}
    app.conf.update(broker_url=url, broker_transport_options=options, task_default_queue=queue)
    _reset(app)
    try:
        yield
    finally:
        app.conf.update(saved)
        _reset(app)


def _reset(app) -> None:
    app._pool = None
    app.__dict__.pop("amqp", None)  # rebuilt from the new settings: queues, routes, producers


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "")
    password = quote(db.get("PASSWORD") or "")
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{db['NAME']}"


def wait_for(what: Callable[[], object], timeout: float = 90, every: float = 0.1):
    """``what()`` once it is truthy; fails the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = what()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s in vain for {what}")
        time.sleep(every)


def job_state(job: Job) -> Job:
    job.refresh_from_db()
    return job


class Workers:
    """Starts, kills and stops worker processes; all are ended when the test ends."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        celery_dir = folder / "celery"
        self.url = os.environ.get("CELERY_BROKER_URL") or "filesystem://localhost/"
        self.options: dict = {}
        if self.url.startswith("filesystem"):
            for sub in ("queue", "processed", "control"):
                (celery_dir / sub).mkdir(parents=True, exist_ok=True)
            self.options = {
                "data_folder_in": str(celery_dir / "queue"),
                "data_folder_out": str(celery_dir / "queue"),
                "store_processed": True,
                "processed_folder": str(celery_dir / "processed"),
                "control_folder": str(celery_dir / "control"),
                "polling_interval": 0.2,
            }
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pandu.settings",
            "DATABASE_URL": database_url(),
            "PANDU_VAR_DIR": str(folder),
            "PANDU_CELERY_DIR": str(celery_dir),
            "CELERY_BROKER_URL": self.url,
            "PANDU_CELERY_QUEUE": QUEUE,
            "CELERY_SKIP_CHECKS": "1",
            "PANDU_WORKER_BEAT_SECONDS": "1",
            "PANDU_JOB_SWEEP_SECONDS": "2",
            "PANDU_LOG_LEVEL": "INFO",
        }

    @contextmanager
    def sending(self) -> Iterator[None]:
        with use_broker(self.url, self.options, QUEUE):
            yield

    def start(
        self,
        name: str,
        *,
        pool: str = "prefork",
        concurrency: int = 1,
        beat: bool = False,
        env: dict | None = None,
    ) -> subprocess.Popen:
        """Start a worker and wait until it has said it is alive (its first heartbeat)."""
        log = self.folder / f"{name}.log"
        since = timezone.now()
        command = [
            sys.executable, "-m", "celery", "-A", "pandu", "worker", "-n", f"{name}@%h",
            "--pool", pool, "--concurrency", str(concurrency), "--without-mingle",
            "--without-gossip", "--loglevel", "INFO", "--include", BODIES,
        ]  # fmt: skip
        if beat:
            command += ["--beat", "--schedule", str(self.folder / f"{name}-beat")]
        handle = log.open("ab")
        proc = subprocess.Popen(  # noqa: S603
            command,
            cwd=settings.BASE_DIR,
            env={**self.env, **(env or {})},
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill -9 reaches the pool too
        )
        handle.close()
        self.procs[name], self.logs[name] = proc, log
        node = f"{name}@{HOST}"

        def ready():
            if proc.poll() is not None:
                raise AssertionError(f"worker {name} exited:\n{self.log(name)}")
            return Worker.objects.filter(name=node, started_at__gte=since).exists()

        wait_for(ready, timeout=120, every=0.2)
        return proc

    def kill(self, name: str) -> None:
        """kill -9 of the worker and its pool processes, as a crash or the OOM killer would."""
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=3)  # what runs now is the test's leftovers: no need to wait
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
        self.procs.clear()
        if self.url.startswith(("redis", "amqp")):
            from pandu.celery import app

            with self.sending(), app.connection_for_write() as conn:
                conn.default_channel.queue_purge(QUEUE)

    def log(self, name: str) -> str:
        path = self.logs.get(name)
        return path.read_text(errors="replace")[-6000:] if path and path.exists() else ""
