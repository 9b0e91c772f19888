"""Figures of the service for an area and a period: what came in, how fast it was handled, how the
partners answered. Aggregates only; no names. The same numbers feed the page and the XLSX."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from io import BytesIO

from django.db import connection
from django.db.models import Count, FloatField, Func, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pandu.core.spreadsheets import safe_row
from pandu.regions.models import Area, Level

from . import choices as c
from . import tallies
from .models import (
    CounsellingSession,
    Intake,
    IntakeNeed,
    PartnerAgency,
    Referral,
    Task,
)


@dataclass
class Figures:
    area_code: str
    start: date
    end: date
    intakes: int = 0
    by_channel: list[tuple[str, int]] = field(default_factory=list)
    by_need: list[tuple[str, int]] = field(default_factory=list)
    by_village: list[tuple[str, int]] = field(default_factory=list)
    by_status: list[tuple[str, int]] = field(default_factory=list)
    first_action: dict = field(default_factory=dict)
    closure: dict = field(default_factory=dict)
    partners: list[dict] = field(default_factory=list)
    overdue_referrals: int = 0
    overdue_tasks: int = 0
    counselling_sessions: int = 0
    counselling_cases: int = 0


def _percentile(ordered: list[float], pct: float) -> float | None:
    """Nearest-rank percentile of sorted values (the value below which ``pct`` of the
    observations fall)."""
    if not ordered:
        return None
    rank = max(1, int(-(-pct * len(ordered) // 100)))  # ceil
    return ordered[min(rank, len(ordered)) - 1]


def _median(ordered: list[float]) -> float | None:
    """Median of sorted values (the mean of the two middle ones for an even count)."""
    n = len(ordered)
    if not n:
        return None
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def duration_stats(deltas: list[timedelta] | list[float]) -> dict:
    """Median and 90th percentile in hours, of timedeltas or of seconds (sorted once)."""
    seconds = [
        d.total_seconds() if isinstance(d, timedelta) else d for d in deltas if d is not None
    ]
    hours = sorted(s / 3600 for s in seconds if s >= 0)
    return {
        "n": len(hours),
        "median_hours": _median(hours),
        "p90_hours": _percentile(hours, 90),
    }


def scoped(qs, field_name: str, area_code: str):
    """Rows inside ``area_code``, leaving the index choice to the other conditions when the area
    is a regency or wider.

    A regency's figures cover (nearly) every row of its own database, so the period or the status
    is what an index should narrow; on SQLite a prefix range on the code would win the planner's
    choice (both are ranges) and scan the whole table. For districts and villages the code range
    is the selective part and stays an index range.
    """
    if not area_code:
        return qs
    if len(area_code) <= 5 and connection.vendor == "sqlite":
        return qs.alias(_in_area=Substr(field_name, 1, len(area_code))).filter(_in_area=area_code)
    # PostgreSQL estimates the prefix match (``LIKE '73.09%'``) from its column statistics (a
    # regency's prefix covers most rows) and plans around it; the ``substr`` expression, which
    # it cannot estimate, led it to seq-scan whole tables for the joins.
    return qs.filter(**{f"{field_name}__prefix": area_code})


_scoped = scoped


def _period(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def whole_months(start: date, end: date) -> list[date]:
    """First days of the calendar months lying wholly inside ``start``..``end``."""
    first = start if start.day == 1 else _next_month(start)
    months = []
    while first <= end and _next_month(first) - timedelta(days=1) <= end:
        months.append(first)
        first = _next_month(first)
    return months


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _intake_counts(
    area_code: str, start: date, end: date, use_tallies: bool
) -> tuple[Counter, Counter, Counter, Counter]:
    """Channel, status, village and need counts of the intakes received in the period.

    Whole months come from the monthly tallies (when the area is a district or wider); the days
    before the first and after the last whole month are counted from the intakes.
    """
    months = whole_months(start, end) if use_tallies and len(area_code) <= 8 else []
    channel, status, village, need = tallies.counts(area_code, months)
    if months:
        days = [(start, months[0] - timedelta(days=1)), (_next_month(months[-1]), end)]
    else:
        days = [(start, end)]
    for first, last in days:
        if first > last:
            continue
        lo, hi = _period(first, last)
        intakes = _scoped(Intake.objects.all(), "area_code", area_code).filter(
            received_at__gte=lo, received_at__lt=hi
        )
        rows = intakes.values("channel", "status", "area_code").annotate(n=Count("id")).order_by()
        for row in rows:
            channel[row["channel"]] += row["n"]
            status[row["status"]] += row["n"]
            village[row["area_code"]] += row["n"]
        needs = IntakeNeed.objects.filter(intake__in=intakes.values("pk")).values("area")
        for row in needs.annotate(n=Count("id")).order_by():
            need[row["area"]] += row["n"]
    return tuple(+counter for counter in (channel, status, village, need))  # type: ignore[return-value]


def monthly(area_code: str, start: date, end: date) -> dict:
    """Intakes per calendar month the period touches and per district, from the monthly tallies
    (whole months: a period from the 15th counts its first month whole)::

        {"months": [{"month": date, "label": "Jan 2026", "n": int}, ...],
         "districts": [{"code": "73.09.13", "name": "Moncongloe", "n": int}, ...]}
    """
    from django.db.models import Sum
    from django.utils.formats import date_format

    from .models import IntakeTally, VillageTally

    first, last = start.replace(day=1), end.replace(day=1)
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = _next_month(month)
    districts: list[dict] = []
    rows: QuerySet
    if len(area_code) > tallies.DISTRICT_LEN:
        rows = VillageTally.objects.filter(area_code__prefix=area_code)
    else:
        rows = IntakeTally.objects.all()
        if area_code:
            rows = rows.filter(district_code__prefix=area_code)
        by_district = dict(
            rows.filter(month__range=(first, last))
            .values("district_code")
            .annotate(total=Sum("n"))
            .order_by()
            .values_list("district_code", "total")
        )
        names = dict(
            Area.objects.filter(level=Level.DISTRICT, code__startswith=area_code).values_list(
                "code", "name"
            )
            if area_code
            else Area.objects.filter(code__in=list(by_district)).values_list("code", "name")
        )
        districts = sorted(
            (
                {"code": code, "name": names.get(code, code), "n": by_district.get(code, 0)}
                for code in set(names) | set(by_district)
            ),
            key=lambda row: (-row["n"], row["name"]),
        )
    by_month = dict(
        rows.filter(month__range=(first, last))
        .values("month")
        .annotate(total=Sum("n"))
        .order_by()
        .values_list("month", "total")
    )
    return {
        "months": [
            {"month": m, "label": date_format(m, "M Y"), "n": by_month.get(m, 0)} for m in months
        ],
        "districts": districts,
    }


def _ranked(counter: Counter, labels: dict) -> list[tuple[str, int]]:
    return [
        (str(labels.get(k, k or "—")), n)
        for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def compute(
    area_code: str, start: date, end: date, *, today: date | None = None, use_tallies: bool = True
) -> Figures:
    """The dashboard's figures. ``use_tallies=False`` counts everything from the intakes (the
    tallies' tests compare both)."""
    today = today or timezone.localdate()
    lo, hi = _period(start, end)
    f = Figures(area_code=area_code, start=start, end=end)
    channel, status, village, need = _intake_counts(area_code, start, end, use_tallies)
    f.intakes = sum(channel.values())
    f.by_channel = _ranked(channel, dict(c.Channel.choices))
    f.by_status = _ranked(status, dict(c.IntakeStatus.choices))
    f.by_need = _ranked(need, dict(c.NeedArea.choices))
    villages = _ranked(village, {})[:25]
    names = dict(
        Area.objects.filter(code__in=[k for k, _n in villages]).values_list("code", "name")
    )
    f.by_village = [(names.get(k, k), n) for k, n in villages]

    intakes = _scoped(Intake.objects.all(), "area_code", area_code).filter(
        received_at__gte=lo, received_at__lt=hi
    )
    first_action, closure = _intake_durations(intakes)
    f.first_action = duration_stats(first_action)
    f.closure = duration_stats(closure)

    f.partners = _partners(
        _scoped(Referral.objects.all(), "area_code", area_code).filter(
            sent_at__gte=lo, sent_at__lt=hi
        )
    )
    open_refs = _scoped(Referral.objects.all(), "area_code", area_code)
    f.overdue_referrals = open_refs.filter(
        Q(status__in=c.AWAITING_RESPONSE, respond_due__lt=today)
        | Q(status__in=c.IN_PROGRESS, complete_due__lt=today)
    ).count()
    f.overdue_tasks = (
        _scoped(Task.objects.all(), "case__area_code", area_code)
        .filter(
            done_at__isnull=True, due_on__lt=today, case__status__in=["open", "closure_requested"]
        )
        .count()
    )
    sessions = _scoped(CounsellingSession.objects.all(), "case__area_code", area_code).filter(
        held_on__gte=start, held_on__lte=end
    )
    agg = sessions.aggregate(n=Count("id"), cases=Count("case", distinct=True))
    f.counselling_sessions = agg["n"]
    f.counselling_cases = agg["cases"]
    return f


ACCEPTED_STATES = frozenset(
    {
        c.ReferralStatus.ACCEPTED,
        c.ReferralStatus.IN_SERVICE,
        c.ReferralStatus.COMPLETED,
        c.ReferralStatus.RETURNED,
    }
)


def _partners(referrals) -> list[dict]:
    """Per partner agency: sent, accepted, declined, completed, rates and median days to
    completion, in one pass over the covering index ``referral_outcomes``."""
    tally: dict[int, Counter] = {}
    durations: dict[int, list[float]] = {}
    rows = referrals.annotate(took=Seconds("finished_at", "sent_at")).values_list(
        "agency_id", "status", "took"
    )
    for agency_id, status, took in _raw(rows):
        counts = tally.setdefault(agency_id, Counter())
        counts["sent"] += 1
        if status in ACCEPTED_STATES:
            counts["accepted"] += 1
        if status == c.ReferralStatus.DECLINED:
            counts["declined"] += 1
        if status == c.ReferralStatus.COMPLETED:
            counts["completed"] += 1
            if took is not None:
                durations.setdefault(agency_id, []).append(took)
    names = dict(PartnerAgency.objects.filter(pk__in=list(tally)).values_list("pk", "name"))
    partners = []
    ordered = sorted(tally.items(), key=lambda kv: (-kv[1]["sent"], names.get(kv[0], "")))
    for agency_id, counts in ordered:
        accepted, declined = counts["accepted"], counts["declined"]
        answered = accepted + declined
        stats = duration_stats(durations.get(agency_id, []))
        partners.append(
            {
                "agency": names.get(agency_id, ""),
                "sent": counts["sent"],
                "accepted": accepted,
                "declined": declined,
                "completed": counts["completed"],
                "acceptance_rate": (accepted / answered) if answered else None,
                "completion_rate": (counts["completed"] / accepted) if accepted else None,
                "median_days": (
                    stats["median_hours"] / 24 if stats["median_hours"] is not None else None
                ),
            }
        )
    return partners


def _raw(queryset):
    """Rows of a ``values_list`` query straight from the database cursor (no per-row model or
    converter work: tens of thousands of plain numbers and codes)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(10_000):
            yield from rows


class Seconds(Func):
    """Seconds from the second datetime to the first, computed by the database itself.

    Django's own datetime subtraction on SQLite calls back into Python for every row; 67,000
    rows of a regency's year took seconds that way.
    """

    arity = 2
    output_field = FloatField()

    def _parts(self, compiler):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return end, start, [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra_context):
        end, start, params = self._parts(compiler)
        return f"((julianday({end}) - julianday({start})) * 86400.0)", params

    def as_sql(self, compiler, connection, **extra_context):
        end, start, params = self._parts(compiler)
        # A float, not numeric: psycopg would build a Decimal for every row.
        return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS double precision)", params


def _intake_durations(intakes) -> tuple[list[float], list[float]]:
    """Seconds from receipt to first action and to closure, in one pass over the period's
    intakes (read from the covering index ``(received_at, area_code, first_action_at,
    closed_at)``, no table rows)."""
    rows = (
        intakes.filter(Q(first_action_at__isnull=False) | Q(closed_at__isnull=False))
        .annotate(
            to_first=Seconds("first_action_at", "received_at"),
            to_close=Seconds("closed_at", "received_at"),
        )
        .values_list("to_first", "to_close")
    )
    first_action: list[float] = []
    closure: list[float] = []
    for to_first, to_close in _raw(rows):  # floats on both backends (see ``Seconds``)
        if to_first is not None:
            first_action.append(to_first)
        if to_close is not None:
            closure.append(to_close)
    return first_action, closure


def bars(pairs: list[tuple[str, int]]) -> list[dict]:
    """Rows for HTML bar charts: label, value and width in percent of the largest."""
    top = max((n for _label, n in pairs), default=0)
    return [
        {"label": label, "value": n, "width": round(n * 100 / top, 1) if top else 0}
        for label, n in pairs
    ]


def _fmt_hours(value: float | None) -> str:
    if value is None:
        return "—"
    # One decimal, with the separator of the reader's language (12,5 jam; 12.5 hours).
    if value < 48:
        return _("%(n)s jam") % {"n": number_format(round(value, 1), 1)}
    return _("%(n)s hari") % {"n": number_format(round(value / 24, 1), 1)}


def xlsx(figures: Figures, area_name: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Ringkasan")[:31]
    bold = Font(bold=True)
    rows = [
        (_("Wilayah"), area_name),
        (_("Periode dari"), figures.start),
        (_("Periode sampai"), figures.end),
        (_("Pengaduan/permohonan"), figures.intakes),
        (
            _("Median sampai tindakan pertama (jam)"),
            _round(figures.first_action.get("median_hours")),
        ),
        (
            _("Persentil 90 sampai tindakan pertama (jam)"),
            _round(figures.first_action.get("p90_hours")),
        ),
        (_("Median sampai selesai (jam)"), _round(figures.closure.get("median_hours"))),
        (_("Persentil 90 sampai selesai (jam)"), _round(figures.closure.get("p90_hours"))),
        (_("Rujukan terlambat (saat ini)"), figures.overdue_referrals),
        (_("Tindak lanjut terlambat (saat ini)"), figures.overdue_tasks),
        (_("Sesi konsultasi keluarga (K3)"), figures.counselling_sessions),
        (_("Kasus yang mendapat K3"), figures.counselling_cases),
    ]
    for row in rows:
        ws.append(safe_row(row))
    for cell in ws["A"]:
        cell.font = bold
    for cell in (ws["B2"], ws["B3"]):  # the period as date cells
        cell.number_format = "DD-MM-YYYY"
    ws.column_dimensions["A"].width = 45
    ws.column_dimensions["B"].width = 30
    for title, pairs in (
        (_("Saluran"), figures.by_channel),
        (_("Kebutuhan"), figures.by_need),
        (_("Desa"), figures.by_village),
        (_("Status"), figures.by_status),
    ):
        sheet = wb.create_sheet(str(title)[:31])
        sheet.append([str(title), _("Jumlah")])
        for label, n in pairs:
            sheet.append(safe_row([label, n]))
        sheet["A1"].font = bold
        sheet["B1"].font = bold
        sheet.column_dimensions["A"].width = 45
    sheet = wb.create_sheet(_("Mitra")[:31])
    sheet.append(
        [
            _("Mitra"),
            _("Dikirim"),
            _("Disetujui"),
            _("Ditolak"),
            _("Selesai"),
            _("Tingkat penerimaan"),
            _("Tingkat penyelesaian"),
            _("Median hari sampai selesai"),
        ]
    )
    for p in figures.partners:
        sheet.append(
            safe_row(
                [
                    p["agency"],
                    p["sent"],
                    p["accepted"],
                    p["declined"],
                    p["completed"],
                    _round(p["acceptance_rate"], 3),
                    _round(p["completion_rate"], 3),
                    _round(p["median_days"]),
                ]
            )
        )
    for cell in sheet[1]:
        cell.font = bold
    sheet.column_dimensions["A"].width = 40
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _round(value, digits: int = 1):
    return round(value, digits) if value is not None else None


fmt_hours = _fmt_hours
