"""What notifications do when something below them happens: a background job (``core.jobs``)
ends, and its owner is told. Registered from ``NotificationsConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pandu.core.models import Job

from .actions import notify


def job_finished(job: Job) -> None:
    if job.created_by_id is None or job.status not in (Job.Status.SUCCEEDED, Job.Status.FAILED):
        return
    name = job.title or job.kind
    if job.status == Job.Status.SUCCEEDED:
        kind, title = "job_succeeded", _("Tugas selesai: %(title)s") % {"title": name}
    else:
        kind, title = "job_failed", _("Tugas gagal: %(title)s") % {"title": name}
    notify(
        [job.created_by],
        kind=kind,
        title=title,
        url=reverse("core:job_detail", args=[job.uid]),
        key=f"job:{job.uid}",
    )
