"""The demo's finished background work: the front-office officer and the auditor each find an
export of one village ready to download, and its notification waiting in the bell.

Run through the real job path (``enqueue`` then ``jobs.run`` in this process), so the file,
the export log entry and the notification are what a worker would have made. Idempotent: a
user who already has an export job is skipped.
"""

from __future__ import annotations

from django.db import transaction

from pandu.accounts.models import User
from pandu.core import jobs
from pandu.core.models import Job
from pandu.exchange.actions import EXPORT_JOB

VILLAGE = "73.09.13.2003"  # Moncongloe Lappara
USERS = ("dewi", "auditor")


def load() -> int:
    made = 0
    for username in USERS:
        user = User.objects.filter(username=username).first()
        if user is None or Job.objects.filter(created_by=user, kind=EXPORT_JOB).exists():
            continue
        with transaction.atomic():
            job = jobs.enqueue(
                EXPORT_JOB,
                user=user,
                params={"kind": "persons", "format": "xlsx", "filters": {"area": VILLAGE}},
                area_code=user.scope_code or "",
                title="Ekspor penduduk Moncongloe Lappara ke Excel",
            )
        jobs.run(job.pk, worker="demo")
        made += 1
    return made
