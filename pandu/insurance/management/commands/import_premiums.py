"""``import_premiums``: a file of Askesos premium payments (a provider's cash book, a bank's
transfer statement), CSV or XLSX.

    python manage.py import_premiums iuran-maret.xlsx [--report ditolak.csv] [--provider LKS01]

Columns: nomor_peserta, jumlah, tanggal_bayar, cara_bayar, referensi. Prints rows read,
accepted, already recorded and rejected (read = the three together) and where the report of
the rejected rows (row number and reason) is. ``--provider`` accepts only that provider's
members.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ... import actions
from ...models import Provider


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(m for messages in exc.message_dict.values() for m in messages)
    return " ".join(exc.messages)


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _("Impor pembayaran iuran Askesos dari berkas CSV atau XLSX.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Berkas CSV atau XLSX"))
        parser.add_argument("--report", help=_("Tulis baris yang ditolak ke CSV ini"))
        parser.add_argument(
            "--provider", help=_("Kode penyelenggara: hanya peserta penyelenggara ini")
        )

    def handle(self, *args, **opts):
        source = Path(opts["file"])
        if not source.exists():
            raise CommandError(_("%(file)s: berkas tidak ada.") % {"file": source})
        if not source.is_file():
            raise CommandError(_("%(file)s: bukan berkas.") % {"file": source})
        provider = None
        if opts["provider"]:
            provider = Provider.objects.filter(code__iexact=opts["provider"].strip()).first()
            if provider is None:
                raise CommandError(
                    _("Penyelenggara dengan kode %(code)s tidak ada.") % {"code": opts["provider"]}
                )
        report = Path(opts["report"]) if opts["report"] else None
        if report is not None and not report.parent.is_dir():
            raise CommandError(
                _("%(folder)s: folder untuk laporan tidak ada.") % {"folder": report.parent}
            )
        try:
            batch = actions.import_premiums(None, source, provider=provider, report=report)
        except ValidationError as exc:
            raise CommandError(f"{source.name}: {_messages(exc)}") from None
        if batch.status == "gagal":
            raise CommandError(f"{source.name}: {batch.message}")
        self.stdout.write(
            _(
                "%(file)s: %(read)s baris dibaca, %(accepted)s diterima, %(unchanged)s sudah "
                "tercatat sebelumnya, %(rejected)s ditolak."
            )
            % {
                "file": batch.file_name,
                "read": batch.rows_read,
                "accepted": batch.accepted,
                "unchanged": batch.unchanged,
                "rejected": batch.rejected,
            }
        )
        if batch.rejected:
            where = report if report is not None else (batch.report.path if batch.report else "")
            self.stdout.write(_("Baris yang ditolak: %(path)s") % {"path": where})
