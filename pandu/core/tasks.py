"""Celery tasks and worker hooks of the job machinery itself (see ``pandu.core.jobs``)."""

from __future__ import annotations

import multiprocessing

from celery import shared_task
from celery.signals import worker_process_init, worker_ready, worker_shutdown

from .jobs import transient_reason
from .workers import Heartbeat, sweep

_heartbeat: Heartbeat | None = None


@shared_task(name="core.sweep_jobs", bind=True, ignore_result=True, max_retries=5)
def sweep_jobs(self) -> dict[str, int]:
    """Beat, every minute: jobs of dead workers back to the queue, lost messages sent again."""
    try:
        return sweep()
    except Exception as exc:
        if transient_reason(exc) is None:
            raise
        raise self.retry(countdown=10 * 2**self.request.retries) from exc


@worker_ready.connect
def _start_heartbeat(sender=None, **kwargs) -> None:
    global _heartbeat
    _heartbeat = Heartbeat(getattr(sender, "hostname", "") or "celery")
    _heartbeat.start()
    # Jobs left running by this machine's workers that died are taken up at once.
    sender.app.send_task("core.sweep_jobs")


@worker_process_init.connect
def _pool_process_may_fork(**kwargs) -> None:
    """A large import parses its file in a forked process of its own. Billiard marks its pool
    processes daemonic, which multiprocessing reads as "may have no children"; the flag only
    matters to the pool's parent, which ends its processes itself."""
    multiprocessing.current_process()._config["daemon"] = False  # type: ignore[attr-defined]


@worker_shutdown.connect
def _stop_heartbeat(sender=None, **kwargs) -> None:
    if _heartbeat is not None:
        _heartbeat.stop()
