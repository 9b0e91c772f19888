"""The aid-use monitoring summary: per area (village or district) and per visitor (TKSK or
facilitator), the visits, the KPM visited against the active KPM, what the aid was used for
and which problems were met. Counted in the database, one grouped query per table; the
spreadsheet carries the same figures."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pandu.core.spreadsheets import safe_row
from pandu.programs.models import Enrolment
from pandu.programs.models.enrolment import EnrolmentStatus
from pandu.regions.models import Area

from .capabilities import ECap
from .choices import PROBLEMS, USES
from .models import UseVisit

GROUP_LENGTH = {"village": 13, "district": 8}
USE_NAMES = [name for name, _label in USES]
PROBLEM_NAMES = [flag for flag, _note, _label in PROBLEMS]


def _counts() -> dict[str, Any]:
    counts: dict[str, Any] = {
        "visits": Count("pk"),
        "kpm_visited": Count("enrolment", distinct=True),
        "not_received": Count("pk", filter=Q(aid_received=False)),
        "follow_up": Count("pk", filter=Q(follow_up_needed=True)),
    }
    for name in [*USE_NAMES, *PROBLEM_NAMES]:
        counts[name] = Count("pk", filter=Q(**{name: True}))
    return counts


@dataclass
class Row:
    key: str
    name: str
    area: str = ""
    visits: int = 0
    kpm_visited: int = 0
    active_kpm: int = 0
    not_received: int = 0
    follow_up: int = 0
    uses: dict[str, int] = field(default_factory=dict)
    problems: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_counts(cls, key: str, name: str, counts: Mapping[str, Any], **extra: Any) -> Row:
        return cls(
            key=key,
            name=name,
            visits=counts.get("visits") or 0,
            kpm_visited=counts.get("kpm_visited") or 0,
            not_received=counts.get("not_received") or 0,
            follow_up=counts.get("follow_up") or 0,
            uses={n: counts.get(n) or 0 for n in USE_NAMES},
            problems={n: counts.get(n) or 0 for n in PROBLEM_NAMES},
            **extra,
        )

    @property
    def coverage(self) -> float | None:
        """KPM visited as a share of the active KPM, in per cent."""
        if not self.active_kpm:
            return None
        return round(100 * self.kpm_visited / self.active_kpm, 1)

    @property
    def use_list(self) -> list[int]:
        return [self.uses.get(n, 0) for n in USE_NAMES]

    @property
    def problem_list(self) -> list[int]:
        return [self.problems.get(n, 0) for n in PROBLEM_NAMES]


@dataclass
class Summary:
    by_area: list[Row]
    by_visitor: list[Row]
    total: Row


def monitoring_summary(
    user: Any,
    *,
    area: str = "",
    programme: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    group: str = "village",
) -> Summary:
    """The figures of the visits the user may see, inside ``area`` (default: all of theirs).
    The active KPM are those active now, of the same programme and area."""
    visits = UseVisit.objects.visible_to(user)
    active = Enrolment.objects.visible_to(user, cap=ECap.VIEW).filter(status=EnrolmentStatus.ACTIVE)
    if area:
        visits, active = visits.in_area(area), active.in_area(area)
    if programme:
        visits = visits.filter(enrolment__programme__code__iexact=programme)
        active = active.filter(programme__code__iexact=programme)
    if date_from:
        visits = visits.filter(visited_on__gte=date_from)
    if date_to:
        visits = visits.filter(visited_on__lte=date_to)
    length = GROUP_LENGTH.get(group, 13)
    counts = _counts()

    per_area: dict[str, Mapping[str, Any]] = {
        r["key"]: r
        for r in visits.annotate(key=Substr("area_code", 1, length))
        .values("key")
        .annotate(**counts)
        .order_by()
    }
    active_per_village = dict(
        active.values("area_code").annotate(n=Count("pk")).order_by().values_list("area_code", "n")
    )
    active_per_key: dict[str, int] = {}
    for code, n in active_per_village.items():
        active_per_key[code[:length]] = active_per_key.get(code[:length], 0) + n
    keys = sorted(set(per_area) | set(active_per_key))
    names = dict(Area.objects.filter(code__in=keys).values_list("code", "name"))
    by_area = [
        Row.from_counts(
            key, names.get(key, key), per_area.get(key, {}), active_kpm=active_per_key.get(key, 0)
        )
        for key in keys
    ]

    per_visitor = list(
        visits.values(
            "visitor_id",
            "visitor__username",
            "visitor__first_name",
            "visitor__last_name",
            "visitor__area_id",
        )
        .annotate(**counts)
        .order_by("visitor__first_name", "visitor__username")
    )
    by_visitor = []
    for r in per_visitor:
        scope = r["visitor__area_id"] or ""
        name = " ".join(filter(None, [r["visitor__first_name"], r["visitor__last_name"]]))
        by_visitor.append(
            Row.from_counts(
                str(r["visitor_id"]),
                name or r["visitor__username"],
                r,
                area=scope,
                active_kpm=sum(
                    n for code, n in active_per_village.items() if code.startswith(scope)
                ),
            )
        )

    total = Row.from_counts(
        "", _("Jumlah"), visits.aggregate(**counts), active_kpm=sum(active_per_village.values())
    )
    return Summary(by_area=by_area, by_visitor=by_visitor, total=total)


def _headers(first: list[Any]) -> list[str]:
    return [
        *(str(h) for h in first),
        str(gettext_lazy("Kunjungan")),
        str(gettext_lazy("KPM dikunjungi")),
        str(gettext_lazy("KPM aktif")),
        str(gettext_lazy("Cakupan (%)")),
        str(gettext_lazy("Bantuan belum diterima")),
        *(str(label) for _name, label in USES),
        *(str(label) for _flag, _note, label in PROBLEMS),
        str(gettext_lazy("Perlu tindak lanjut")),
    ]


def _figures(row: Row) -> list[Any]:
    return [
        row.visits,
        row.kpm_visited,
        row.active_kpm,
        row.coverage,
        row.not_received,
        *row.use_list,
        *row.problem_list,
        row.follow_up,
    ]


def summary_xlsx(summary: Summary, *, title: str, filters: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    sheets = [
        (
            wb.active,
            _("Per wilayah"),
            [_("Kode wilayah"), _("Wilayah")],
            [[r.key, r.name, *_figures(r)] for r in summary.by_area],
        ),
        (
            wb.create_sheet(),
            _("Per pendamping"),
            [_("Pendamping"), _("Wilayah kerja")],
            [[r.name, r.area, *_figures(r)] for r in summary.by_visitor],
        ),
    ]
    for ws, name, first, rows in sheets:
        assert ws is not None
        ws.title = str(name)[:31]
        ws.append(safe_row([title]))
        ws["A1"].font = Font(bold=True, size=13)
        ws.append(safe_row([filters]))
        ws.append([])
        ws.append(_headers(first))
        for cell in ws[4]:
            cell.font = Font(bold=True)
        for values in rows:
            ws.append(safe_row(values))
        ws.append(safe_row(["", summary.total.name, *_figures(summary.total)]))
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 28
        ws.freeze_panes = "C5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
