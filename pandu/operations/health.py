"""Whether this site can do its work: the database answers, the job queue is reachable, a
worker has beaten lately. Each check says ok or failing, never why (``/healthz`` is public);
the reason goes to the log.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connections

log = logging.getLogger("pandu.operations")

#: Seconds a broker connection may take before the check counts as failing.
BROKER_TIMEOUT = 2.0


def check_database() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as exc:
        log.warning("health: database failing: %s", type(exc).__name__)
        return False


def check_broker() -> bool:
    """The file queue's folders exist and can be written; Redis or RabbitMQ accept a
    connection within ``BROKER_TIMEOUT``."""
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem"):
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
        names = ("data_folder_in", "data_folder_out", "processed_folder")
        folders = [options[name] for name in names if options.get(name)]
        ok = bool(folders) and all(
            Path(f).is_dir() and os.access(f, os.W_OK | os.X_OK) for f in folders
        )
        if not ok:
            log.warning("health: broker failing: a queue folder is missing or not writable")
        return ok
    if url.startswith("memory"):
        return True
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=BROKER_TIMEOUT) as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
        return True
    except Exception as exc:
        log.warning("health: broker failing: %s", type(exc).__name__)
        return False


def check_worker() -> bool:
    """A worker has written its heartbeat within ``PANDU_WORKER_MISSING_SECONDS``."""
    from pandu.core.workers import missing

    try:
        gone, _last = missing()
    except Exception as exc:
        log.warning("health: worker check failing: %s", type(exc).__name__)
        return False
    if gone:
        log.warning(
            "health: no worker heartbeat in the last %ss", settings.PANDU_WORKER_MISSING_SECONDS
        )
    return not gone


CHECKS: dict[str, Callable[[], bool]] = {
    "database": check_database,
    "broker": check_broker,
    "worker": check_worker,
}


def run(names: list[str] | None = None) -> dict[str, bool]:
    """The named checks (all by default), in a fixed order."""
    wanted = [n for n in CHECKS if names is None or n in names]
    return {name: CHECKS[name]() for name in wanted}
