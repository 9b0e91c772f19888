"""Per area and period: how many items were proposed, verified, approved, rejected and applied,
and how many days each step took (proposal → verification → decision), median and mean."""

from __future__ import annotations

import io
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pandu.accounts.roles import Cap
from pandu.core.spreadsheets import safe_row
from pandu.regions.models import Area

from .models import ItemStatus, ProposalItem

DAY = 86400.0


@dataclass
class Row:
    code: str
    name: str = ""
    proposed: int = 0
    verified: int = 0
    approved: int = 0
    applied: int = 0
    rejected: int = 0
    pending: int = 0
    to_verify: list[float] = field(default_factory=list)
    to_decide: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)

    def add(self, status: str, submitted, verified, decided) -> None:
        self.proposed += 1
        if verified is not None:
            self.verified += 1
            self.to_verify.append((verified - submitted).total_seconds() / DAY)
        if status in (ItemStatus.APPROVED, ItemStatus.APPLIED):
            self.approved += 1
        if status == ItemStatus.APPLIED:
            self.applied += 1
        if status == ItemStatus.REJECTED:
            self.rejected += 1
        if status == ItemStatus.PENDING:
            self.pending += 1
        if decided is not None:
            self.total.append((decided - submitted).total_seconds() / DAY)
            if verified is not None:
                self.to_decide.append((decided - verified).total_seconds() / DAY)

    def merge(self, other: Row) -> None:
        for name in ("proposed", "verified", "approved", "applied", "rejected", "pending"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.to_verify += other.to_verify
        self.to_decide += other.to_decide
        self.total += other.total

    @staticmethod
    def _stat(values: list[float], how) -> float | None:
        return round(how(values), 1) if values else None

    @property
    def median_to_verify(self):
        return self._stat(self.to_verify, statistics.median)

    @property
    def mean_to_verify(self):
        return self._stat(self.to_verify, statistics.fmean)

    @property
    def median_to_decide(self):
        return self._stat(self.to_decide, statistics.median)

    @property
    def mean_to_decide(self):
        return self._stat(self.to_decide, statistics.fmean)

    @property
    def median_total(self):
        return self._stat(self.total, statistics.median)

    @property
    def mean_total(self):
        return self._stat(self.total, statistics.fmean)


GROUP_LENGTH = {"village": 13, "district": 8}


def _start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def proposal_report(
    user,
    *,
    area: str = "",
    group: str = "village",
    date_from: date | None = None,
    date_to: date | None = None,
) -> dict[str, Any]:
    """Rows per village (or district) inside ``area`` (default: the user's whole area), for
    items whose batch was submitted between the dates (inclusive).

    Counts only, so figure readers (the head of office) get them too; need-to-know PPKS items
    are counted only for roles that may see them, as on the home page.
    """
    qs = ProposalItem.objects.visible_to(user, Cap.VIEW_FIGURES).filter(
        batch__submitted_at__isnull=False
    )
    if area:
        qs = qs.in_area(area)
    if date_from:
        qs = qs.filter(batch__submitted_at__gte=_start(date_from))
    if date_to:
        qs = qs.filter(batch__submitted_at__lt=_start(date_to) + timedelta(days=1))
    length = GROUP_LENGTH.get(group, 13)
    rows: dict[str, Row] = defaultdict(lambda: Row(""))
    for code, status, submitted, verified, decided in qs.values_list(
        "area_code", "status", "batch__submitted_at", "verified_at", "decided_at"
    ).iterator():
        key = code[:length]
        if key not in rows:
            rows[key] = Row(key)
        rows[key].add(status, submitted, verified, decided)
    names = dict(Area.objects.filter(code__in=list(rows)).values_list("code", "name"))
    ordered = []
    total = Row("", _("Jumlah"))
    for key in sorted(rows):
        row = rows[key]
        row.name = names.get(key, key)
        ordered.append(row)
        total.merge(row)
    return {"rows": ordered, "total": total}


COLUMNS = [
    ("code", gettext_lazy("Kode wilayah")),
    ("name", gettext_lazy("Wilayah")),
    ("proposed", gettext_lazy("Diusulkan")),
    ("verified", gettext_lazy("Diverifikasi")),
    ("approved", gettext_lazy("Disetujui")),
    ("applied", gettext_lazy("Masuk registri")),
    ("rejected", gettext_lazy("Ditolak")),
    ("pending", gettext_lazy("Belum diverifikasi")),
    ("median_to_verify", gettext_lazy("Median hari usulan→verifikasi")),
    ("mean_to_verify", gettext_lazy("Rata-rata hari usulan→verifikasi")),
    ("median_to_decide", gettext_lazy("Median hari verifikasi→penetapan")),
    ("mean_to_decide", gettext_lazy("Rata-rata hari verifikasi→penetapan")),
    ("median_total", gettext_lazy("Median hari usulan→penetapan")),
    ("mean_total", gettext_lazy("Rata-rata hari usulan→penetapan")),
]


def report_xlsx(report: dict[str, Any], *, title: str, filters: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Usulan"
    ws.append(safe_row([title]))
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(safe_row([filters]))
    ws.append([])
    ws.append([str(label) for _key, label in COLUMNS])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in [*report["rows"], report["total"]]:
        ws.append(safe_row(getattr(row, key) for key, _label in COLUMNS))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 28
    for letter in "CDEFGHIJKLMN":
        ws.column_dimensions[letter].width = 14
    ws.freeze_panes = "C5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
