"""``cycle_compute``: compute one cycle's entitlements from the command line.

    python manage.py cycle_compute --programme PKH --cycle 3f2a…   (the cycle's UUID or number)

Prints how many KPM were counted and owed, the total, and the time it took.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format

from ... import actions
from ._common import cycle_of, messages


class Command(BaseCommand):
    help = "Hitung hak bantuan satu siklus penyaluran (semua KPM aktif di wilayahnya)."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="Kode program, mis. PKH")
        parser.add_argument("--cycle", required=True, help="ID siklus (UUID atau nomor)")

    def handle(self, *args, **opts):
        cycle = cycle_of(opts["cycle"])
        if cycle.programme.code != opts["programme"].strip().upper():
            raise CommandError(
                f"Siklus {cycle.uid} adalah siklus {cycle.programme.code}, bukan siklus "
                f"program {opts['programme']}."
            )
        try:
            cycle = actions.compute_cycle(None, cycle)
        except ValidationError as e:
            raise CommandError("\n".join(messages(e))) from None
        f = cycle.figures
        amount = number_format(f.get("amount", 0), force_grouping=True)
        self.stdout.write(
            f"{cycle.name} ({cycle.uid}): {f.get('counted', 0)} KPM dihitung, "
            f"{f.get('entitled', 0)} penerima, {f.get('owed_nothing', 0)} tanpa komponen; "
            f"jumlah Rp{amount}; {f.get('seconds', 0):.2f} detik."
        )
        for code, part in (f.get("components") or {}).items():
            self.stdout.write(f"  {code}: {part['members']} jiwa, Rp{part['amount']}")
