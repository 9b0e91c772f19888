"""``export_payments``: the payment list of one channel of an approved cycle, to a file.

    python manage.py export_payments --cycle 3f2a… --channel bank --out daftar.xlsx

The format follows the file's extension (.csv or .xlsx); the layouts are in docs/payments.md.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ... import exports
from ...choices import Channel
from ._common import cycle_of, messages


class Command(BaseCommand):
    help = "Tulis daftar bayar satu saluran (bank, pos, ewarong) dari siklus yang disetujui."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="ID siklus (UUID atau nomor)")
        parser.add_argument("--channel", required=True, choices=Channel.values)
        parser.add_argument("--out", required=True, help="Berkas tujuan: .csv atau .xlsx")

    def handle(self, *args, **opts):
        cycle = cycle_of(opts["cycle"])
        out = Path(opts["out"])
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in exports.FORMATS:
            raise CommandError(f"{out.name}: beri akhiran .csv atau .xlsx.")
        started = time.perf_counter()
        try:
            n = exports.write(cycle, opts["channel"], fmt, out)
        except ValidationError as e:
            raise CommandError("\n".join(messages(e))) from None
        except OSError as e:
            raise CommandError(f"{out}: tidak dapat ditulis ({e.strerror}).") from None
        self.stdout.write(
            f"{n} baris daftar bayar {opts['channel']} {cycle.name} ditulis ke {out} "
            f"({time.perf_counter() - started:.2f} detik)."
        )
