"""``import_reconciliation``: a bank's, PT Pos's or an e-warong's reconciliation file.

    python manage.py import_reconciliation hasil-bank.csv [--report ditolak.csv]

Prints rows read, recorded, already recorded and rejected (read = the three together); the
rejected rows, with their row number and reason, go to the report (by default next to the
import's copy of the file under var/jobs/payments/).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ... import actions


class Command(BaseCommand):
    help = "Impor berkas rekonsiliasi penyaluran (dibayar, gagal, dikembalikan)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Berkas CSV atau XLSX")
        parser.add_argument("--report", help="Tulis baris yang ditolak ke CSV ini")

    def handle(self, *args, **opts):
        source = Path(opts["file"])
        if not source.is_file():
            raise CommandError(f"{source}: berkas tidak ada.")
        batch = actions.start_reconciliation(None, source, copy=True, report=opts["report"])
        if batch.status == "gagal":
            raise CommandError(batch.message)
        self.stdout.write(
            f"{batch.file_name}: {batch.rows_read} baris dibaca, {batch.recorded} dicatat, "
            f"{batch.unchanged} sudah tercatat sebelumnya, {batch.rejected} ditolak "
            f"({batch.seconds:.2f} detik)."
        )
        for status, n in sorted((batch.outcomes or {}).items()):
            self.stdout.write(f"  {status}: {n}")
        if batch.rejected:
            self.stdout.write(f"Baris yang ditolak: {batch.report_path}")
