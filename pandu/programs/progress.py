"""Targets against realisation, per implementer and per area, and the funding dates that look
wrong. Everything is read from querysets the caller already scoped (``visible_to``), summed in
the database, one query per table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import choices as c
from .models import Activity, FundingRealisation


@dataclass
class Row:
    key: Any
    label: str
    activities: int = 0
    done: int = 0
    targets: dict[str, list[int]] = field(default_factory=dict)  # unit → [target, achieved]
    present: int = 0
    planned: Decimal = Decimal(0)
    realised: Decimal = Decimal(0)

    @property
    def funding_percent(self) -> int | None:
        if not self.planned:
            return None
        return round(self.realised * 100 / self.planned)


def _add_activity_sums(rows: dict, activities: QuerySet, key: str) -> None:
    counts = activities.values(key).annotate(
        n=Count("pk", distinct=True), done=Count("pk", filter=Q(status=c.ActivityStatus.DONE))
    )
    for item in counts:
        row = rows.get(item[key])
        if row is not None:
            row.activities, row.done = item["n"], item["done"]
    sums = (
        activities.exclude(target_quantity__isnull=True)
        .values(key, "target_unit")
        .annotate(target=Sum("target_quantity"), achieved=Sum("achieved_quantity"))
    )
    for item in sums:
        row = rows.get(item[key])
        if row is not None:
            unit = item["target_unit"] or _("satuan")
            row.targets[unit] = [item["target"] or 0, item["achieved"] or 0]


def by_implementer(implementers: QuerySet, activities: QuerySet, lines: QuerySet) -> list[Row]:
    """One row per implementer the caller sees: activities, targets per unit against what was
    reached, participants present, funding planned against realised."""
    rows = {
        imp.pk: Row(imp.pk, f"{imp.organisation}: {imp.sub_programme}")
        for imp in implementers.select_related("organisation")
    }
    _add_activity_sums(rows, activities, "implementer")
    present = (
        activities.filter(participants__attendance=c.Attendance.PRESENT)
        .values("implementer")
        .annotate(n=Count("participants"))
    )
    for item in present:
        if item["implementer"] in rows:
            rows[item["implementer"]].present = item["n"]
    planned = lines.values("implementer").annotate(total=Sum("planned_amount"))
    for item in planned:
        if item["implementer"] in rows:
            rows[item["implementer"]].planned = item["total"] or Decimal(0)
    realised = lines.values("implementer").annotate(total=Sum("realisations__amount"))
    for item in realised:
        if item["implementer"] in rows:
            rows[item["implementer"]].realised = item["total"] or Decimal(0)
    return list(rows.values())


def by_area(activities: QuerySet) -> list[Row]:
    """One row per place the caller's activities happen (village, district, ...)."""
    places = activities.values("location", "location__name").distinct()
    rows = {
        p["location"]: Row(p["location"], p["location__name"] or _("(tanpa lokasi)"))
        for p in places.order_by("location")
    }
    _add_activity_sums(rows, activities, "location")
    return list(rows.values())


@dataclass
class Warning:
    line: Any
    message: str


def _d(day: date) -> str:
    return date_format(day, "d-m-Y")


def funding_warnings(lines: QuerySet) -> list[Warning]:
    """Dates and sums that look wrong, shown next to the line and never refused: a budget
    document dated after the activity it pays for began, a realisation dated before its
    document, more realised than planned."""
    found: list[Warning] = []
    # Each sum in its own subquery, so one join does not multiply another.
    starts = (
        Activity.objects.filter(implementer=OuterRef("implementer"))
        .values("implementer")
        .annotate(first=Min("starts_on"))
        .values("first")
    )
    spent = FundingRealisation.objects.filter(line=OuterRef("pk")).values("line")
    lines = lines.select_related("activity", "implementer", "programme").annotate(
        impl_start=Subquery(starts),
        first_spent=Subquery(spent.annotate(first=Min("period_start")).values("first")),
        realised=Subquery(spent.annotate(total=Sum("amount")).values("total")),
    )
    for line in lines:
        doc = line.document_date
        began = None
        if line.activity_id and line.activity.starts_on:
            began = line.activity.starts_on
        elif line.impl_start:
            began = line.impl_start
        elif line.programme.starts_on:
            began = line.programme.starts_on
        if doc and began and doc > began:
            found.append(
                Warning(
                    line,
                    _(
                        "Dokumen anggaran %(doc)s bertanggal %(date)s, sesudah kegiatan dimulai "
                        "(%(began)s). Periksa tanggalnya."
                    )
                    % {"doc": line.document_number or line, "date": _d(doc), "began": _d(began)},
                )
            )
        if doc and line.first_spent and line.first_spent < doc:
            found.append(
                Warning(
                    line,
                    _("Ada realisasi sejak %(spent)s, sebelum tanggal dokumen anggaran %(date)s.")
                    % {"spent": _d(line.first_spent), "date": _d(doc)},
                )
            )
        if line.planned_amount and line.realised and line.realised > line.planned_amount:
            found.append(Warning(line, _("Realisasi melebihi rencana dana.")))
    return found
