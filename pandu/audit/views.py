"""The access log for the Dinas's administrator and the auditor: a list of the entries of their
own area, narrowed by user, record, kind, area and dates, and its export as CSV or Excel (itself
an ``export`` entry of the log)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from pandu.accounts.roles import Cap
from pandu.core.access import record_access, require
from pandu.core.files import private_file_response
from pandu.core.lists import build_list
from pandu.core.models import AccessLog
from pandu.core.spreadsheets import safe_row, safe_text

from .filtersets import AccessLogFilterSet, record_types
from .queries import entries_visible_to
from .tables import AccessLogTable

#: The newest entries an export holds at most; older ones are reached with a narrower filter.
EXPORT_LIMIT = 100_000
FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Query-string keys that are not filters.
_NOT_FILTERS = {"page", "per_page", "sort", "format"}


def _filters(request) -> dict[str, str]:
    return {
        k: v for k, v in request.GET.items() if k not in _NOT_FILTERS and v.strip() not in ("",)
    }


def _export_link(request, fmt: str) -> str:
    query = request.GET.copy()
    for key in _NOT_FILTERS:
        query.pop(key, None)
    query["format"] = fmt
    return reverse("audit:access_log_export") + "?" + query.urlencode()


@login_required
@require_safe
def access_log(request):
    require(request, Cap.VIEW_ACCESS_LOG)
    page = build_list(
        request,
        entries_visible_to(request.user),
        AccessLogTable,
        filterset_class=AccessLogFilterSet,
        export_url=_export_link(request, "xlsx"),
    )
    return render(
        request,
        "audit/access_log.html",
        {
            "title": _("Log akses"),
            "table": page.table,
            "filter": page.filterset,
            "csv_url": _export_link(request, "csv"),
            "xlsx_url": _export_link(request, "xlsx"),
            "export_limit": number_format(EXPORT_LIMIT, force_grouping=True),
            "scope": request.user.scope_code,
        },
    )


def headers() -> list[str]:
    return [
        _("Waktu"),
        _("Nama pengguna"),
        _("Nama lengkap"),
        _("Jenis"),
        _("Jenis data"),
        _("ID data"),
        _("Wilayah"),
        _("Alamat halaman"),
        _("Keterangan"),
        _("Alamat IP"),
        _("Peramban"),
    ]


def entry_rows(entries: Iterable[AccessLog]) -> Iterator[list[Any]]:
    """One row per entry, in ``headers()`` order; the time in the site's zone without its
    offset (a spreadsheet keeps no zone)."""
    kinds = dict(AccessLog.Kind.choices)
    types = dict(record_types())
    for e in entries:
        user = e.user
        yield [
            timezone.localtime(e.at).replace(tzinfo=None, microsecond=0),
            user.get_username() if user else "",
            user.get_full_name() if user else "",
            str(kinds.get(e.kind, e.kind)),
            str(types.get(e.object_type, e.object_type)),
            e.object_uid,
            e.area_code,
            e.path,
            e.detail,
            e.address or "",
            e.user_agent,
        ]


def _csv(rows: Iterator[list[Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff".encode()  # Excel reads the file as UTF-8
    writer.writerow([safe_text(h) for h in headers()])
    for n, (at, *rest) in enumerate(rows, 1):
        writer.writerow([at.strftime("%Y-%m-%d %H:%M:%S"), *(safe_text(v) for v in rest)])
        if n % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _xlsx(rows: Iterator[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(_("Log akses"))[:31])
    bold = Font(bold=True)
    header = []
    for text in headers():
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        at = WriteOnlyCell(ws, value=row[0])
        at.number_format = "yyyy-mm-dd hh:mm:ss"
        ws.append([at, *safe_row(row[1:])])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _described(filters: dict[str, str]) -> str:
    return ", ".join(f"{k}={v[:40]}" for k, v in sorted(filters.items())) or "-"


@never_cache
@login_required
@require_safe
def access_log_export(request):
    """The filtered list as CSV (streamed) or Excel: at most ``EXPORT_LIMIT`` of the newest
    entries. A filter that does not hold goes back to the list, which says what is wrong."""
    require(request, Cap.VIEW_ACCESS_LOG)
    fmt = request.GET.get("format", "xlsx")
    filterset = AccessLogFilterSet(
        request.GET, queryset=entries_visible_to(request.user), request=request
    )
    if fmt not in FORMATS or not filterset.is_valid():
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(reverse("audit:access_log") + ("?" + query.urlencode() if query else ""))
    # What was written before the export was asked for: not the export's own entry.
    last = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    entries = filterset.qs.filter(id__lte=last).order_by("-id")[:EXPORT_LIMIT]
    count = entries.count()
    capped = " (capped)" if count >= EXPORT_LIMIT else ""
    record_access(
        request,
        AccessLog.Kind.EXPORT,
        detail=f"access log {fmt} rows={count}{capped} filter: {_described(_filters(request))}",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    rows = entry_rows(entries.iterator(chunk_size=2000))
    if fmt == "csv":
        return private_file_response(
            _csv(rows), filename=f"log-akses-{stamp}.csv", content_type="text/csv; charset=utf-8"
        )
    return private_file_response(_xlsx(rows), filename=f"log-akses-{stamp}.xlsx", content_type=XLSX)
