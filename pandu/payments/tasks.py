"""Background jobs of payments: a cycle's computation and a reconciliation import, started from
the pages and the API."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pandu.core.jobs import JobContext, job
from pandu.core.models import Job


@job("payments.compute")
def compute(ctx: JobContext) -> str:
    from django.contrib.auth import get_user_model

    from .actions import compute_cycle
    from .models import Cycle

    cycle = Cycle.objects.filter(pk=int(ctx.params.get("cycle") or 0)).first()
    if cycle is None:
        return _("Siklus tidak ditemukan.")
    user = get_user_model().objects.filter(pk=ctx.job.created_by_id or 0).first()
    ctx.progress(0, 1, force=True)
    cycle = compute_cycle(user, cycle)
    ctx.progress(1, 1, force=True, entitled=cycle.figures.get("entitled", 0))
    return _("%(n)s penerima dihitung dalam %(s)s detik.") % {
        "n": cycle.figures.get("entitled", 0),
        "s": cycle.figures.get("seconds", 0),
    }


@job("payments.reconcile")
def reconcile(ctx: JobContext) -> str:
    from .actions.reconciliation import run_reconciliation
    from .models import ReconciliationImport

    try:
        batch = ReconciliationImport.objects.filter(uid=str(ctx.params.get("batch"))).first()
    except ValidationError:  # not a UUID
        batch = None
    if batch is None:
        return _("Impor rekonsiliasi tidak ditemukan.")
    batch = run_reconciliation(batch, ctx)
    root = (Path(settings.VAR_DIR) / "jobs").resolve()
    report = Path(batch.report_path).resolve() if batch.report_path else None
    if report is not None and root in report.parents:
        relative = str(report.relative_to(root))
        Job.objects.filter(pk=ctx.job.pk).update(result_file=relative)
        ctx.job.result_file = relative
    ctx.progress(batch.rows_read, batch.rows_read, force=True, recorded=batch.recorded,
                 unchanged=batch.unchanged, rejected=batch.rejected)  # fmt: skip
    if batch.status == "gagal":
        raise ValueError(batch.message)
    return batch.message
