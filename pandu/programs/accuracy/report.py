"""The report: every finding counted for the area and for each area one level down, in two
grouped statements (the KPM with one column per finding; the eligible families)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from pandu.regions.models import Area

from .figures import (
    EXCLUSION,
    FIGURES,
    KPM_FIGURES,
    MOVED,
    Conditions,
    Figure,
    Subject,
    kpm,
    next_level,
    no_jit,
)


@dataclass
class Row:
    """One area's counts: KPM, each finding, KPM with at least one finding, eligible families."""

    code: str
    name: str
    kpm: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    flagged: int = 0
    eligible: int = 0

    def share(self, key: str) -> float | None:
        """The finding as a percentage of the KPM (of the eligible families for the exclusion
        error); ``None`` when there is nothing to divide by."""
        whole = self.eligible if key == EXCLUSION else self.kpm
        return round(100 * self.counts.get(key, 0) / whole, 1) if whole else None

    @property
    def flagged_share(self) -> float | None:
        return round(100 * self.flagged / self.kpm, 1) if self.kpm else None

    def cells(self) -> list[tuple[Figure, int]]:
        return [(f, self.counts.get(f.key, 0)) for f in FIGURES]


@dataclass
class Report:
    subject: Subject
    total: Row
    rows: list[Row]  # the areas one level down (none for a village)
    runs: list  # the deciding TargetingRun rows, newest first
    quotas: list  # the EnrolmentQuota rows that bear on the area
    overlaps: list  # the ProgrammeOverlap pairs in force
    seconds: float = 0.0

    @property
    def figures(self) -> list[tuple[Figure, int, float | None]]:
        return [(f, self.total.counts.get(f.key, 0), self.total.share(f.key)) for f in FIGURES]


def area_name(code: str) -> str:
    if not code:
        return str(_("Seluruh Indonesia"))
    area = Area.objects.filter(code=code).first()
    return area.display_name if area else code


def _sub_areas(code: str) -> list[tuple[str, str]]:
    if len(code) >= 13:
        return []
    if not code:
        return list(Area.objects.filter(parent__isnull=True).values_list("code", "name"))
    return list(Area.objects.filter(parent_id=code).values_list("code", "name"))


def _grouped(inner, columns: list[str], sums: list[str]) -> list[tuple]:
    """``SELECT _sub, COUNT(*), <sums> FROM (inner) GROUP BY _sub``: each row's conditions
    are computed once in ``inner`` and only added up here."""
    try:
        sql, params = inner.order_by().values("_sub", *columns).query.sql_with_params()
    except EmptyResultSet:  # nothing to count (no committed run, say)
        return []
    q = connection.ops.quote_name
    picked = ", ".join(["t." + q("_sub"), "COUNT(*)", *sums])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {picked} FROM ({sql}) t GROUP BY t.{q('_sub')}",  # noqa: S608
            params,
        )
        return cursor.fetchall()


def _flagged(subject: Subject, conditions: Conditions, length: int | None):
    """The KPM with one 0/1 column per finding; with ``length``, the move also against the
    sub-area (``_sub``, that many characters of the village code) the row is counted in."""
    rows = conditions.annotate(kpm(subject))
    flags: dict[str, Case] = {f.column: _flag(conditions.of(f.key)) for f in KPM_FIGURES}
    if length is not None:
        rows = rows.annotate(
            _sub=Substr("area_code", 1, length), _hsub=Substr("household__village_id", 1, length)
        )
        flags["f_moved_sub"] = _flag(conditions.moved(sub_level=True))
    return rows.annotate(**flags), list(flags)


def flagged_ids(subject: Subject, conditions: Conditions | None = None) -> dict[str, list[int]]:
    """The enrolments of each KPM finding, in list order (village, KK number), read in one
    pass over the KPM (for the whole workbook)."""
    conditions = conditions or Conditions(subject)
    rows, columns = _flagged(subject, conditions, None)
    q = connection.ops.quote_name
    found: dict[str, list[int]] = {f.key: [] for f in KPM_FIGURES}
    inner = rows.annotate(_kk=F("household__kk_number")).order_by()
    try:
        sql, params = inner.values("id", "area_code", "_kk", *columns).query.sql_with_params()
    except EmptyResultSet:
        return found
    picked = ", ".join(f"t.{q(c)}" for c in columns)
    anything = " + ".join(f"t.{q(c)}" for c in columns)
    with no_jit(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.{q('id')}, {picked} FROM ({sql}) t WHERE {anything} > 0 "  # noqa: S608
            f"ORDER BY t.{q('area_code')}, t.{q('_kk')}, t.{q('id')}",
            params,
        )
        for pk, *values in cursor.fetchall():
            for figure, value in zip(KPM_FIGURES, values, strict=True):
                if value:
                    found[figure.key].append(pk)
    return found


def compute(subject: Subject) -> Report:
    """Count every finding for ``subject`` (the caller has checked the area's scope)."""
    with no_jit():
        return _compute(subject)


def _compute(subject: Subject) -> Report:
    started = time.perf_counter()
    conditions = Conditions(subject)
    length = next_level(subject.area)
    q = connection.ops.quote_name

    rows, columns = _flagged(subject, conditions, length)
    here = [f"t.{q(c)}" for c in columns if c != "f_moved_sub"]
    sub = [f"t.{q(c)}" for c in columns if c != "f_moved"]
    sums = [f"SUM(t.{q(c)})" for c in columns]
    sums.append(f"SUM(CASE WHEN {' + '.join(here)} > 0 THEN 1 ELSE 0 END)")
    sums.append(f"SUM(CASE WHEN {' + '.join(sub)} > 0 THEN 1 ELSE 0 END)")
    kpm_counts = _grouped(rows, columns, sums)

    # The eligible families: how many, and how many are not KPM.
    eligible = conditions.eligible_families().annotate(
        _sub=Substr("village_id", 1, length),
        f_kpm=Case(When(conditions.not_kpm(), then=Value(0)), default=Value(1)),
    )
    eligible_counts = _grouped(
        eligible, ["f_kpm"], [f"SUM(CASE WHEN t.{q('f_kpm')} = 0 THEN 1 ELSE 0 END)"]
    )

    by_code: dict[str, Row] = {code: Row(code, name) for code, name in _sub_areas(subject.area)}
    single = length == len(subject.area)
    total = Row(subject.area, area_name(subject.area))
    for code, n, *values in kpm_counts:
        counts = dict(zip(columns, (int(v or 0) for v in values), strict=False))
        row = by_code.setdefault(code, Row(code, code))
        row.kpm = n
        total.kpm += n
        for figure in KPM_FIGURES:
            here_n = counts[figure.column]
            row.counts[figure.key] = counts["f_moved_sub"] if figure.key == MOVED else here_n
            total.counts[figure.key] = total.counts.get(figure.key, 0) + here_n
        row.flagged = int(values[-1] or 0)
        total.flagged += int(values[-2] or 0)
    for code, n, excluded in eligible_counts:
        row = by_code.setdefault(code, Row(code, code))
        row.eligible = n
        row.counts[EXCLUSION] = int(excluded or 0)
        total.eligible += n
        total.counts[EXCLUSION] = total.counts.get(EXCLUSION, 0) + int(excluded or 0)
    for figure in FIGURES:
        total.counts.setdefault(figure.key, 0)
    sub_rows = [] if single else sorted(by_code.values(), key=lambda r: r.code)
    for row in sub_rows:
        for figure in FIGURES:
            row.counts.setdefault(figure.key, 0)

    from pandu.targeting.models import TargetingRun

    runs = {r.pk: r for r in TargetingRun.objects.filter(pk__in=[pk for pk, _a in conditions.runs])}
    return Report(
        subject=subject,
        total=total,
        rows=sub_rows,
        runs=[runs[pk] for pk, _a in conditions.runs if pk in runs],
        quotas=list(conditions.quotas().select_related("area").order_by("area_id")),
        overlaps=conditions.overlaps,
        seconds=time.perf_counter() - started,
    )


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
