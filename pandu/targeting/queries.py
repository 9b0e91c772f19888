"""Who sees which rule versions, runs, results and appeals: the user's area and capability."""

from __future__ import annotations

from pandu.core.querysets import ChildQuerySet, ScopedQuerySet

from .capabilities import TCap


class VersionedQuerySet(ScopedQuerySet):
    """Rule and PMT versions: written for an area, used there and in every area inside it."""

    area_field = "area_code"
    caps = {"view": TCap.VIEW, "change": TCap.RUN}
    seen_from_inside = True


class RunQuerySet(ScopedQuerySet):
    area_field = "area_code"
    caps = {"view": TCap.VIEW, "run": TCap.RUN, "commit": TCap.COMMIT}

    def committed(self):
        return self.filter(status="committed")


class ResultQuerySet(ChildQuerySet):
    """A family's result is seen with its run."""

    parent = "run"


class AppealQuerySet(ScopedQuerySet):
    area_field = "household__village"
    caps = {"view": TCap.VIEW, "change": TCap.APPEAL}


def latest_result(user, household, programme_code: str):
    """The family's result in the newest run of the programme the user may see: committed runs
    first, then the newest dry run; ``None`` when no run counted the family."""
    from .models import TargetingResult

    results = (
        TargetingResult.objects.visible_to(user)
        .filter(household_id=household.pk, run__programme__code=programme_code)
        .exclude(run__status="failed")
        .select_related("run__ruleset", "run__pmt_model", "run__programme")
    )
    committed = results.filter(run__status="committed").order_by("-run__committed_at", "-run_id")
    return committed.first() or results.order_by("-run_id").first()


def desil_history(user, household) -> list:
    """The family's results in every committed run the user may see, newest first."""
    from .models import TargetingResult

    return list(
        TargetingResult.objects.visible_to(user)
        .filter(household_id=household.pk, run__status="committed")
        .select_related("run__programme")
        .order_by("-run__committed_at", "-run_id")[:50]
    )
