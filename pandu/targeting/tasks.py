"""Background job ``targeting.run``: a run's computation, started from the UI or the API."""

from __future__ import annotations

from pandu.core.jobs import JobContext, job


@job("targeting.run")
def compute(ctx: JobContext) -> str:
    from .actions import execute_run, fail_run
    from .models import TargetingRun

    run = TargetingRun.objects.filter(pk=int(ctx.params.get("run") or 0)).first()
    if run is None:
        return "Penetapan tidak ditemukan (sudah dihapus)."
    ctx.progress(0, 1, force=True)
    try:
        execute_run(run)
    except Exception as exc:  # the run shows why it failed; the job fails too
        fail_run(run, str(exc)[:300])
        raise
    ctx.progress(1, 1, force=True, population=run.population, eligible=run.eligible)
    return (
        f"{run.population} keluarga dihitung; {run.eligible} layak; "
        f"{run.unscored} tanpa skor PMT; {run.seconds or 0:.1f} detik."
    )
