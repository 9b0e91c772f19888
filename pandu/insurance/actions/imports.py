"""A file of premium payments (a bank's transfer list, a collector's book typed into a sheet).

Columns (docs/askesos.md): ``nomor_peserta``, ``jumlah``, ``tanggal_bayar``, ``referensi`` and,
optionally, ``cara_bayar`` (transfer when absent) and ``catatan``. Each row is checked as a
payment at the desk is; a reference already recorded for the provider is "already recorded"
(the same file imported twice changes nothing). Rows read = accepted + already recorded +
rejected, and every rejected row is in the report with its row number and reason.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from pandu.exchange.readers import FileProblem, cell_text
from pandu.payments.reconcile import parse_amount, parse_date, rows_of

from .. import clock, ledger
from ..choices import MemberStatus, PaymentMethod
from ..models import Member, PremiumImport, PremiumPayment, Provider
from .premiums import check_payment, settle, write_payment

COLUMNS = ("nomor_peserta", "jumlah", "tanggal_bayar", "referensi", "cara_bayar", "catatan")
REQUIRED = ("nomor_peserta", "jumlah", "tanggal_bayar", "referensi")
ALIASES = {
    "no_peserta": "nomor_peserta",
    "nomor": "nomor_peserta",
    "member_number": "nomor_peserta",
    "nominal": "jumlah",
    "amount": "jumlah",
    "tanggal": "tanggal_bayar",
    "paid_on": "tanggal_bayar",
    "reference": "referensi",
    "ref": "referensi",
    "cara": "cara_bayar",
    "metode": "cara_bayar",
    "method": "cara_bayar",
    "note": "catatan",
}
METHOD_WORDS = {
    "tunai": PaymentMethod.CASH,
    "cash": PaymentMethod.CASH,
    "transfer": PaymentMethod.TRANSFER,
    "tf": PaymentMethod.TRANSFER,
    "bank": PaymentMethod.TRANSFER,
}
HEADER_ROWS = 20


def _name(value: Any) -> str:
    key = re.sub(r"[\s\-/]+", "_", cell_text(value).strip().lower())
    return ALIASES.get(key, key)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return cell_text(value).strip()


def _header(rows) -> tuple[int, dict[str, int]]:
    first = None
    for row_no, cells in rows:
        if cells is None or not any(_text(c) for c in cells):
            if row_no >= HEADER_ROWS:
                break
            continue
        names = [_name(c) for c in cells]
        first = first or names
        where: dict[str, int] = {}
        for i, name in enumerate(names):
            if name in COLUMNS and name not in where:
                where[name] = i
        if all(r in where for r in REQUIRED):
            return row_no, where
        if row_no >= HEADER_ROWS:
            break
    missing = [r for r in REQUIRED if r not in (first or [])]
    raise FileProblem(
        _("Kolom wajib tidak ditemukan: %(missing)s. Baris judul memuat %(required)s.")
        % {"missing": ", ".join(missing), "required": ", ".join(REQUIRED)}
    )


def _report(rejected: list[tuple[int, str, dict[str, str]]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("baris"), _("alasan"), *COLUMNS])
    for row_no, reason, cells in rejected:
        writer.writerow([row_no, reason, *(cells.get(c, "") for c in COLUMNS)])
    return out.getvalue()


def import_premiums(
    user: Any,
    path: str | Path,
    *,
    provider: Provider | None = None,
    report: str | Path | None = None,
) -> PremiumImport:
    """Read the file and record its payments; ``user`` None is the command line (the Dinas's
    own operator on the server). Returns the import with its counts; a file that cannot be read
    at all is an import with status ``gagal`` and the reason."""
    path = Path(path)
    batch = PremiumImport(provider=provider, file_name=path.name[:200], started_by=user)
    if provider is not None and user is not None:
        from ._common import require_work

        require_work(user, provider)
    try:
        info, rows = rows_of(path)
        header_row, where = _header(rows)
    except FileProblem as exc:
        batch.status, batch.message = "gagal", str(exc)[:500]
        batch.save()
        return batch
    members = Member.objects.all() if user is None else Member.objects.restrict(user, "work")
    if provider is not None:
        members = members.filter(provider=provider)
    table = [(row_no, cells) for row_no, cells in rows if cells and any(_text(c) for c in cells)]

    def cell(cells: list[Any], name: str) -> Any:
        i = where.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    numbers = {_text(cell(c, "nomor_peserta")) for _n, c in table}
    today = clock.today()
    rejected: list[tuple[int, str, dict[str, str]]] = []
    accepted = unchanged = 0
    total = 0
    with transaction.atomic():
        batch.save()
        found = {
            m.number: m
            for m in members.filter(number__in=numbers - {""}).select_related("provider", "scheme")
        }
        ledger.run(today, member_ids=[m.pk for m in found.values()])
        for m in Member.objects.filter(pk__in=[m.pk for m in found.values()]).select_related(
            "provider", "scheme"
        ):
            found[m.number] = m
        seen_refs: dict[tuple[int, str], int] = {}
        touched: set[int] = set()
        for row_no, cells in table:
            shown = {name: _text(cell(cells, name))[:100] for name in where}

            def no(reason: Any) -> None:
                rejected.append((row_no, str(reason), shown))  # noqa: B023

            number = shown.get("nomor_peserta", "")
            membership = found.get(number)
            if not number:
                no(_("Nomor peserta kosong."))
                continue
            if membership is None:
                no(_("Nomor peserta tidak dikenal (atau bukan peserta penyelenggara ini)."))
                continue
            amount = parse_amount(cell(cells, "jumlah"))
            if amount is None:
                no(_("Jumlah tidak terbaca sebagai rupiah utuh."))
                continue
            paid_on = parse_date(cell(cells, "tanggal_bayar"))
            if paid_on is None:
                no(_("Tanggal bayar tidak terbaca; tulis DD-MM-YYYY."))
                continue
            reference = shown.get("referensi", "")
            if not reference:
                no(_("Referensi wajib diisi agar pembayaran tidak tercatat dua kali."))
                continue
            method_word = shown.get("cara_bayar", "").lower()
            method = METHOD_WORDS.get(method_word) if method_word else PaymentMethod.TRANSFER
            if method is None:
                no(_("Cara bayar harus tunai atau transfer."))
                continue
            key = (membership.provider_id, reference)
            if key in seen_refs:
                no(
                    _("Referensi sama dengan baris %(row)s di berkas ini.")
                    % {"row": seen_refs[key]}
                )
                continue
            earlier = PremiumPayment.objects.filter(
                provider_id=membership.provider_id, reference=reference
            ).first()
            if earlier is not None:
                if earlier.membership_id == membership.pk and int(earlier.amount) == amount:
                    unchanged += 1
                    seen_refs[key] = row_no
                else:
                    no(
                        _("Referensi ini sudah dipakai untuk pembayaran lain (%(receipt)s).")
                        % {"receipt": earlier.receipt_number}
                    )
                continue
            errors: dict[str, list[str]] = {}
            value, day = check_payment(membership, amount, paid_on, method, errors)
            if errors:
                no(" ".join(str(m) for messages in errors.values() for m in messages))
                continue
            assert value is not None and day is not None
            try:
                write_payment(
                    user,
                    membership,
                    amount=value,
                    paid_on=day,
                    method=method,
                    reference=reference,
                    note=shown.get("catatan", ""),
                    batch=batch,
                )
            except ValidationError as exc:
                no(" ".join(exc.messages))
                continue
            membership.total_paid += value
            seen_refs[key] = row_no
            touched.add(membership.pk)
            accepted += 1
            total += int(value)
        if touched:
            ledger.run(today, member_ids=touched)
            for lapsed in Member.objects.filter(pk__in=touched, status=MemberStatus.LAPSED):
                settle(user, lapsed, today)
        batch.rows_read = len(table)
        batch.accepted, batch.unchanged, batch.rejected = accepted, unchanged, len(rejected)
        batch.amount = total
        batch.message = _("Baris judul: %(row)s.") % {"row": header_row}
        if rejected:
            content = _report(rejected)
            batch.report.save(
                f"ditolak-{batch.uid.hex[:8]}.csv", ContentFile(content.encode("utf-8")), save=False
            )
            if report:
                Path(report).write_text(content, encoding="utf-8")
        batch.save()
    del info
    return batch
