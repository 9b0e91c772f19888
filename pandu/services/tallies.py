"""Monthly tallies of intakes: the dashboard's counts for whole months without reading intakes.

A regency receives tens of thousands of intakes a year; counting them by channel, status, village
and need for every dashboard view reads all of them. The tallies hold those counts per month of
receipt, kept current by the service actions (an intake's status moves, a need is added) in the
same transaction as the change. The dashboard adds whole months from the tallies and counts the
partial months at either end of the period from the intakes themselves (see ``reports``).

Three tables, each small enough for a regency-year to be a few thousand rows:

- ``IntakeTally``: month × district × channel × current status;
- ``VillageTally``: month × area code of the intake (the village);
- ``NeedTally``: month × district × area of need.

Tallies are derived data: ``rebuild()`` recomputes them from the intakes (``manage.py
rebuild_service_tallies``); loaders that write intakes with ``bulk_create`` call it afterwards.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from .models import Intake, IntakeNeed, IntakeTally, NeedTally, VillageTally

DISTRICT_LEN = 8  # "73.09.01"


def month_of(moment: datetime) -> date:
    """First day of the (local) month of a moment."""
    return timezone.localtime(moment).date().replace(day=1)


def district_of(area_code: str) -> str:
    return area_code[:DISTRICT_LEN]


def _bump(model, delta: int, **key) -> None:
    if not delta:
        return
    if model.objects.filter(**key).update(n=F("n") + delta):
        return
    try:
        with transaction.atomic():
            model.objects.create(n=delta, **key)
    except IntegrityError:  # another writer made the row in between
        model.objects.filter(**key).update(n=F("n") + delta)


def _keys(row: tuple) -> tuple[date, str, str, str]:
    received_at, area_code, channel, status = row
    return month_of(received_at), area_code, channel, status


def _apply(keys: tuple[date, str, str, str], sign: int, needs: Iterable[str]) -> None:
    month, area_code, channel, status = keys
    district = district_of(area_code)
    _bump(IntakeTally, sign, month=month, district_code=district, channel=channel, status=status)
    _bump(VillageTally, sign, month=month, area_code=area_code)
    for need in needs:
        _bump(NeedTally, sign, month=month, district_code=district, need=need)


@contextmanager
def intake_change(intake: Intake) -> Iterator[None]:
    """Wrap the saving of an intake: its tallies follow what the save changes."""
    fields = ("received_at", "area_code", "channel", "status")
    with transaction.atomic():
        before = None
        if intake.pk is not None:
            before = Intake.objects.filter(pk=intake.pk).values_list(*fields).first()
        yield
        after = (intake.received_at, intake.area_code, intake.channel, intake.status)
        old = _keys(before) if before is not None else None
        new = _keys(after)
        if old == new:
            return
        moved = old is not None and (old[0], district_of(old[1])) != (new[0], district_of(new[1]))
        needs = list(intake.needs.values_list("area", flat=True)) if moved else []
        if old is not None:
            _apply(old, -1, needs)
        _apply(new, +1, needs)


def needs_added(intake: Intake, areas: Iterable[str]) -> None:
    """Count needs newly recorded for an intake."""
    month, district = month_of(intake.received_at), district_of(intake.area_code)
    for area in areas:
        _bump(NeedTally, 1, month=month, district_code=district, need=area)


def rebuild(apps=None) -> dict[str, int]:
    """Recompute every tally from the intakes (after bulk loads, or to repair). ``apps`` is a
    migration's app registry when run from one."""
    m: dict[str, Any] = {
        "Intake": Intake,
        "IntakeNeed": IntakeNeed,
        "IntakeTally": IntakeTally,
        "VillageTally": VillageTally,
        "NeedTally": NeedTally,
    }
    if apps is not None:
        m = {name: apps.get_model("services", name) for name in m}
    tz = timezone.get_current_timezone()
    month = TruncMonth("received_at", tzinfo=tz)
    with transaction.atomic():
        for name in ("IntakeTally", "VillageTally", "NeedTally"):
            m[name].objects.all().delete()
        intakes = (
            m["Intake"]
            .objects.annotate(mo=month, d=Substr("area_code", 1, DISTRICT_LEN))
            .values("mo", "d", "channel", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
        m["IntakeTally"].objects.bulk_create(
            m["IntakeTally"](
                month=_as_date(r["mo"]),
                district_code=r["d"],
                channel=r["channel"],
                status=r["status"],
                n=r["n"],
            )
            for r in intakes.iterator()
        )
        villages = (
            m["Intake"]
            .objects.annotate(mo=month)
            .values("mo", "area_code")
            .annotate(n=Count("id"))
            .order_by()
        )
        m["VillageTally"].objects.bulk_create(
            m["VillageTally"](month=_as_date(r["mo"]), area_code=r["area_code"], n=r["n"])
            for r in villages.iterator()
        )
        needs = (
            m["IntakeNeed"]
            .objects.annotate(
                mo=TruncMonth("intake__received_at", tzinfo=tz),
                d=Substr("intake__area_code", 1, DISTRICT_LEN),
            )
            .values("mo", "d", "area")
            .annotate(n=Count("id"))
            .order_by()
        )
        m["NeedTally"].objects.bulk_create(
            m["NeedTally"](month=_as_date(r["mo"]), district_code=r["d"], need=r["area"], n=r["n"])
            for r in needs.iterator()
        )
    return {
        "intake": m["IntakeTally"].objects.count(),
        "village": m["VillageTally"].objects.count(),
        "need": m["NeedTally"].objects.count(),
    }


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def counts(area_code: str, months: list[date]) -> tuple[Counter, Counter, Counter, Counter]:
    """Channel, status, village and need counts over whole ``months`` inside ``area_code``
    (a district or wider)."""
    channel: Counter[str] = Counter()
    status: Counter[str] = Counter()
    village: Counter[str] = Counter()
    need: Counter[str] = Counter()
    if not months:
        return channel, status, village, need
    lo, hi = min(months), max(months)
    rows = _in_area(IntakeTally.objects, "district_code", area_code).filter(month__range=(lo, hi))
    for ch, st, n in rows.values_list("channel", "status", "n"):
        channel[ch] += n
        status[st] += n
    rows = _in_area(VillageTally.objects, "area_code", area_code).filter(month__range=(lo, hi))
    for code, n in rows.values_list("area_code", "n"):
        village[code] += n
    rows = _in_area(NeedTally.objects, "district_code", area_code).filter(month__range=(lo, hi))
    for area, n in rows.values_list("need", "n"):
        need[area] += n
    return channel, status, village, need


def _in_area(manager, field_name: str, area_code: str):
    qs = manager.all()
    return qs.filter(**{f"{field_name}__prefix": area_code}) if area_code else qs
