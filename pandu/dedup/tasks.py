"""Background job ``dedup.find``: the registry-wide search for duplicates, started from the UI."""

from __future__ import annotations

from django.utils.formats import number_format

from pandu.accounts.models import User
from pandu.core.jobs import JobContext, job

# Share of the progress bar each stage fills (loading is the longest with a trained model).
_STAGES = {"load": (0, 35), "train": (35, 50), "predict": (50, 90), "store": (90, 100)}


@job("dedup.find")
def find(ctx: JobContext) -> str:
    from .actions import find_duplicates

    params = ctx.params
    user = User.objects.filter(pk=ctx.job.created_by_id).first() if ctx.job.created_by_id else None

    def progress(stage: str, done: int = 0, total: int | None = None) -> None:
        start, end = _STAGES.get(stage, (0, 100))
        share = (done / total) if total else 0.0
        ctx.progress(int(start + (end - start) * min(share, 1.0)), 100, stage=stage)
        ctx.check_cancelled()

    outcome = find_duplicates(
        user,
        area=params.get("area", ""),
        threshold=float(params.get("threshold", 0.8)),
        train=params.get("train"),
        progress=progress,
    )
    run = outcome.run
    ctx.progress(100, 100, force=True, people=run.people, pairs=run.pairs, new=run.new_pairs)
    return (
        f"{run.people} penduduk dibandingkan; {run.pairs} pasangan di atas ambang "
        f"{number_format(run.threshold)} ({run.new_pairs} baru) dalam {run.seconds:.0f} detik."
    )
