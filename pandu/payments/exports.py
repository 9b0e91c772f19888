"""Payment lists: one per channel of an approved cycle, streamed as CSV or XLSX in the layouts
of :mod:`.layouts`.

A list holds the cycle's approved entitlements of the channel that are not paid yet, then the
failed payments of earlier cycles carried into this one (the retry list, ``jenis`` susulan,
under their own cycle's ID). Rows are read in chunks in the order of the area codes, so memory
stays flat at 250,000 families; text a spreadsheet would run as a formula is defused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pandu.core.spreadsheets import safe_text
from pandu.regions.models import Area

from .choices import Channel, CycleStatus, EntitlementStatus
from .layouts import headers
from .models import Cycle, Entitlement
from .spreadsheet import write_xlsx, xlsx_chunks

CHUNK = 5000
FORMATS = ("csv", "xlsx")
SOURCES = (
    "cycle__uid", "household__kk_number", "organisation__uid", "organisation__name",
    "recipient__nik", "recipient__full_name", "recipient__bank_name", "recipient__bank_account",
    "account_bank", "account_number", "account_name", "household__address", "household__rt",
    "household__rw", "area_code", "amount", "components",
)  # fmt: skip


def check_exportable(cycle: Cycle, channel: str, fmt: str = "csv") -> None:
    if channel not in Channel.values:
        raise ValidationError(
            _("Saluran '%(channel)s' tidak dikenal; pilih %(known)s.")
            % {"channel": channel, "known": ", ".join(Channel.values)}
        )
    if fmt not in FORMATS:
        raise ValidationError(_("Format berkas CSV atau XLSX."))
    if cycle.status != CycleStatus.APPROVED:
        raise ValidationError(
            _(
                "Daftar bayar dibuat untuk siklus yang sudah disetujui Kepala dan belum ditutup; "
                "status siklus ini: %(status)s."
            )
            % {"status": cycle.get_status_display()}
        )


def regular(cycle: Cycle, channel: str) -> QuerySet:
    return Entitlement.objects.filter(
        cycle=cycle, channel=channel, status=EntitlementStatus.APPROVED
    ).order_by("area_code", "id")


def retries(cycle: Cycle, channel: str) -> QuerySet:
    return Entitlement.objects.filter(
        retry_in=cycle, channel=channel, status=EntitlementStatus.FAILED
    ).order_by("area_code", "id")


def count(cycle: Cycle, channel: str) -> int:
    return regular(cycle, channel).count() + retries(cycle, channel).count()


def _names(cycle: Cycle) -> dict[str, str]:
    return dict(Area.objects.filter(code__prefix=cycle.area_id).values_list("code", "name"))


def _parts(components: Any) -> str:
    if not isinstance(components, dict):
        return ""
    return "; ".join(f"{code}×{value[0]}" for code, value in components.items())


def rows(cycle: Cycle, channel: str) -> Iterator[list[Any]]:
    """The list's rows, in the channel's layout."""
    names = _names(cycle)
    for kind, query in ((_("reguler"), regular), (_("susulan"), retries)):
        values = query(cycle, channel).values_list(*SOURCES).iterator(chunk_size=CHUNK)
        for (
            cycle_uid, kk, org_uid, org_name, nik, name, bank, account, group_bank,
            group_account, group_name, address, rt, rw, area, amount, components,
        ) in values:  # fmt: skip
            who = kk if kk else str(org_uid)
            if channel == Channel.BANK:
                if kk:
                    yield [
                        str(cycle_uid), who, kind, bank, account, name, nik, name, area,
                        names.get(area, ""), int(amount), _parts(components),
                    ]  # fmt: skip
                else:
                    yield [
                        str(cycle_uid), who, kind, group_bank, group_account, group_name, "",
                        org_name, area, names.get(area, ""), int(amount), _parts(components),
                    ]  # fmt: skip
            elif channel == Channel.POS:
                yield [
                    str(cycle_uid), who, kind, nik or "", name or org_name, address or "",
                    rt if rt is not None else "", rw if rw is not None else "", area,
                    names.get(area, ""), names.get(area[:8], ""), int(amount),
                    _parts(components),
                ]  # fmt: skip
            else:
                yield [
                    str(cycle_uid), who, kind, nik or "", name or org_name, area,
                    names.get(area, ""), int(amount), _parts(components),
                ]  # fmt: skip


def csv_chunks(header: list[str], values: Iterator[list[Any]]) -> Iterator[bytes]:
    """The CSV in pieces of about 2,000 rows: UTF-8 with BOM (Excel reads it), comma-separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for n, row in enumerate(values, start=1):
        writer.writerow([safe_text(v) if isinstance(v, str) else v for v in row])
        if not n % 2000:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    tail = buffer.getvalue()
    if tail:
        yield tail.encode("utf-8")


def file_name(cycle: Cycle, channel: str, fmt: str) -> str:
    return f"daftar-bayar-{cycle.programme.code}-{cycle.period_start:%Y%m%d}-{channel}.{fmt}"


def stream(cycle: Cycle, channel: str, fmt: str) -> Iterator[bytes]:
    """The list as chunks of bytes (check :func:`check_exportable` first)."""
    header = headers(channel)
    if fmt == "xlsx":
        return xlsx_chunks(header, rows(cycle, channel), sheet=channel)
    return csv_chunks(header, rows(cycle, channel))


def write(cycle: Cycle, channel: str, fmt: str, path: Path) -> int:
    """The list written into ``path``; returns how many rows."""
    check_exportable(cycle, channel, fmt)
    counter = {"n": 0}

    def counted() -> Iterator[list[Any]]:
        for row in rows(cycle, channel):
            counter["n"] += 1
            yield row

    if fmt == "xlsx":
        write_xlsx(path, headers(channel), counted(), sheet=channel)
    else:
        with open(path, "wb") as handle:
            for piece in csv_chunks(headers(channel), counted()):
                handle.write(piece)
    return counter["n"]
