"""Background work of Askesos: the premium ledger (every morning on beat, and a job the Dinas
can start), the re-accreditation reminders (every morning), and a large premium file."""

from __future__ import annotations

from celery import shared_task

from pandu.core.jobs import JobContext, job, transient_reason


@job("insurance.ledger")
def ledger_job(ctx: JobContext) -> str:
    """The ledger as of today for every member, or for one provider's (``provider`` param)."""
    from . import clock, ledger
    from .models import Provider

    ctx.progress(0, 1, force=True)
    provider_uid = (ctx.job.params or {}).get("provider")
    provider = Provider.objects.filter(uid=provider_uid).first() if provider_uid else None
    figures = ledger.run(clock.today(), provider_id=provider.pk if provider else None)
    ctx.progress(1, 1, force=True, dues=figures["dues_written"], lapsed=figures["lapsed"])
    return "{dues_written} dues, {lapsed} lapsed in {seconds}s".format(**figures)


@job("insurance.import_premiums")
def import_job(ctx: JobContext) -> str:
    """A premium file uploaded on the import page (params: path, provider)."""
    from .actions import import_premiums
    from .models import Provider

    params = ctx.job.params or {}
    provider_uid = params.get("provider")
    provider = Provider.objects.filter(uid=provider_uid).first() if provider_uid else None
    ctx.progress(0, 1, force=True)
    batch = import_premiums(ctx.job.created_by, params["path"], provider=provider)
    ctx.progress(
        1,
        1,
        force=True,
        read=batch.rows_read,
        accepted=batch.accepted,
        unchanged=batch.unchanged,
        rejected=batch.rejected,
    )
    return str(batch.uid)


def _retry_transient(task, exc: Exception):
    if transient_reason(exc) is None:
        raise exc
    return task.retry(countdown=30 * 2**task.request.retries, exc=exc)


@shared_task(name="insurance.daily", bind=True, ignore_result=True, max_retries=6)
def daily(self) -> dict[str, int]:
    """Beat, every morning: the ledger (dues of the new month, arrears, lapses), then the
    re-accreditation reminders."""
    from . import clock, ledger
    from .actions.reminders import send_reaccreditation_reminders

    try:
        figures = ledger.run(clock.today())
        sent = send_reaccreditation_reminders()
    except Exception as exc:
        raise _retry_transient(self, exc) from exc
    return {"dues": figures["dues_written"], "lapsed": figures["lapsed"], **sent}
