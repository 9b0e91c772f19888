"""Background work of the one-stop service: the overdue digest (a job, and daily on beat) and the
nightly check of the dashboard's monthly tallies."""

from __future__ import annotations

import logging

from celery import shared_task

from pandu.core.jobs import JobContext, job, transient_reason

from .actions import send_overdue_digest

log = logging.getLogger("pandu.services")


@job("services.overdue_digest")
def overdue_digest(ctx: JobContext) -> str:
    """The daily overdue digest; safe to run again (users already told today are skipped)."""
    counts = send_overdue_digest()
    ctx.progress(counts["notifications"], counts["notifications"], force=True, **counts)
    return "{notifications} notifications, {emails} e-mails".format(**counts)


def _retry_transient(task, exc: Exception):
    if transient_reason(exc) is None:
        raise exc
    return task.retry(countdown=30 * 2**task.request.retries, exc=exc)


@shared_task(name="services.send_overdue_digest", bind=True, ignore_result=True, max_retries=6)
def send_overdue_digest_task(self) -> dict[str, int]:
    """Beat, every morning: referrals and follow-ups past their SLA, told to whom they concern."""
    try:
        return send_overdue_digest()
    except Exception as exc:
        raise _retry_transient(self, exc) from exc


@shared_task(name="services.check_tallies", bind=True, ignore_result=True, max_retries=6)
def check_tallies(self) -> dict[str, int] | None:
    """Beat, every night: when the monthly tallies no longer match the intakes they count (a
    load straight into the database, a changed time zone), they are computed again."""
    from . import tallies

    try:
        if tallies_match():
            return None
        log.warning("service tallies differ from the intakes; rebuilding them")
        return tallies.rebuild()
    except Exception as exc:
        raise _retry_transient(self, exc) from exc


def tallies_match() -> bool:
    """Whether the intake tallies add up to the intakes, per month, district, channel and status."""
    from django.db.models import Count, Sum
    from django.db.models.functions import Substr, TruncMonth
    from django.utils import timezone

    from .models import Intake, IntakeTally
    from .tallies import DISTRICT_LEN, _as_date

    month = TruncMonth("received_at", tzinfo=timezone.get_current_timezone())
    live = {
        (_as_date(r["mo"]), r["d"], r["channel"], r["status"]): r["n"]
        for r in Intake.objects.annotate(mo=month, d=Substr("area_code", 1, DISTRICT_LEN))
        .values("mo", "d", "channel", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    kept = {
        (r["month"], r["district_code"], r["channel"], r["status"]): r["n"]
        for r in IntakeTally.objects.values("month", "district_code", "channel", "status")
        .annotate(n=Sum("n"))
        .order_by()
        if r["n"]
    }
    return live == kept
