"""Background job ``targeting.run``: a run's computation, started from the UI or the API."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pandu.core.jobs import JobContext, job


@job("targeting.run")
def compute(ctx: JobContext) -> str:
    from .actions import execute_run, fail_run
    from .models import TargetingRun

    run = TargetingRun.objects.filter(pk=int(ctx.params.get("run") or 0)).first()
    if run is None:
        return _("Penetapan tidak ditemukan (sudah dihapus).")
    ctx.progress(0, 1, force=True)
    try:
        execute_run(run)
    except Exception as exc:  # the run shows why it failed; the job fails too
        fail_run(run, str(exc)[:300])
        raise
    ctx.progress(1, 1, force=True, population=run.population, eligible=run.eligible)
    return _(
        "%(population)s keluarga dihitung; %(eligible)s layak; %(unscored)s tanpa skor PMT; "
        "%(seconds)s detik."
    ) % {
        "population": number_format(run.population, force_grouping=True),
        "eligible": number_format(run.eligible, force_grouping=True),
        "unscored": number_format(run.unscored, force_grouping=True),
        "seconds": number_format(run.seconds or 0, 1),
    }
