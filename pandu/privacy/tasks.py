"""Background work of the personal-data app: the retention review (a job a reviewer starts, and
every morning on beat, with the overdue requests' digest) and the breach clock's reminders
(every hour on beat)."""

from __future__ import annotations

from celery import shared_task

from pandu.core.jobs import JobContext, job, transient_reason


@job("privacy.retention_review")
def retention_review(ctx: JobContext) -> str:
    """Open a review for each record newly past its period; safe to run again."""
    from .actions import open_reviews

    ctx.progress(0, 1, force=True)
    counts = open_reviews()
    ctx.progress(1, 1, force=True, **counts)
    return "{reviews} reviews, {notifications} notifications".format(**counts)


def _retry_transient(task, exc: Exception):
    if transient_reason(exc) is None:
        raise exc
    return task.retry(countdown=30 * 2**task.request.retries, exc=exc)


@shared_task(name="privacy.daily", bind=True, ignore_result=True, max_retries=6)
def daily(self) -> dict[str, int]:
    """Beat, every morning: the retention review, then the overdue requests' digest."""
    from .actions import open_reviews, send_overdue_digest

    try:
        reviews = open_reviews()
        digest = send_overdue_digest()
    except Exception as exc:
        raise _retry_transient(self, exc) from exc
    return {"reviews": reviews["reviews"], "overdue_requests": digest["requests"]}


@shared_task(name="privacy.breach_clock", bind=True, ignore_result=True, max_retries=6)
def breach_clock(self) -> dict[str, int]:
    """Beat, every hour: reminders of breaches whose notice is due within a day or late."""
    from .actions import breach_reminders

    try:
        return breach_reminders()
    except Exception as exc:
        raise _retry_transient(self, exc) from exc
