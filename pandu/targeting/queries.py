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
