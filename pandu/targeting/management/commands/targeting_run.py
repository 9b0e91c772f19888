"""``targeting_run``: eligibility, PMT score and desil for one programme over an area, from files.

    python manage.py targeting_run --programme PKH --area 73.09.13 --rules pkh.json \
        [--pmt pmt.json] [--dry-run] [--out hasil.csv]

Without ``--dry-run`` the result is committed (a rule that selects nobody is not). The CSV has one
row per family of the population: ``kk_number,score,desil,eligible,reasons``.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pandu.core.spreadsheets import safe_cell

from ... import actions
from ...explain import reasons
from ...models import TargetingResult


def _json(path: str, what: str):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise CommandError(f"{what}: berkas {path} tidak dapat dibaca ({e.strerror}).") from None
    except json.JSONDecodeError as e:
        raise CommandError(
            f"{what}: {path} bukan JSON yang sah (baris {e.lineno}, kolom {e.colno}: {e.msg})."
        ) from None


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [m for msgs in error.message_dict.values() for m in msgs]
    return list(error.messages)


class Command(BaseCommand):
    help = "Hitung kelayakan, skor PMT dan desil satu program untuk satu wilayah."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="Kode program, mis. PKH")
        parser.add_argument("--area", required=True, help="Kode wilayah, mis. 73.09.13")
        parser.add_argument("--rules", required=True, help="Berkas JSON aturan kelayakan")
        parser.add_argument("--name", default="", help="Nama aturan (bawaan: nama berkas)")
        parser.add_argument("--pmt", help="Berkas JSON model PMT")
        parser.add_argument("--dry-run", action="store_true", help="Uji coba, tidak ditetapkan")
        parser.add_argument("--out", help="Tulis hasil per keluarga ke CSV ini")
        parser.add_argument("--amount", type=int, default=0, help="Nilai bantuan per keluarga")
        parser.add_argument("--as-of", help="Tanggal acuan umur (YYYY-MM-DD), bawaan hari ini")

    def handle(self, *args, **opts):
        from pandu.programs.models import Programme

        programme = Programme.objects.filter(code=opts["programme"]).first()
        if programme is None:
            raise CommandError(f"Program {opts['programme']} tidak ada dalam katalog.")
        as_of = None
        if opts["as_of"]:
            try:
                as_of = date.fromisoformat(opts["as_of"])
            except ValueError:
                raise CommandError(f"--as-of {opts['as_of']}: tulis YYYY-MM-DD.") from None
        rule = _json(opts["rules"], "--rules")
        spec = _json(opts["pmt"], "--pmt") if opts["pmt"] else None
        name = opts["name"] or f"{programme.code} {Path(opts['rules']).stem}"
        try:
            ruleset = actions.save_ruleset(None, name=name, rule=rule)
            model = actions.save_pmt_model(None, spec) if spec is not None else None
            run = actions.start_run(
                None,
                ruleset=ruleset,
                pmt_model=model,
                area=opts["area"],
                amount=opts["amount"],
                as_of=as_of,
                programme=programme,
                background=False,
            )
        except ValidationError as e:
            raise CommandError("\n".join(_messages(e))) from None
        out = self.stdout
        out.write(
            f"Penetapan {run.uid}: {ruleset} · {model or 'tanpa PMT'} · wilayah {run.area_code}"
        )
        out.write(
            f"{run.population} keluarga, {run.eligible} layak, {run.unscored} tanpa skor PMT, "
            f"{run.seconds:.2f} detik; biaya Rp{run.summary.get('cost', 0)}"
        )
        for missing in run.summary.get("missing", []):
            out.write(f"  variabel {missing['variable']} kosong: {missing['households']} keluarga")
        compare = run.summary.get("compare")
        if compare:
            out.write(f"  dibanding penetapan sebelumnya: +{compare['entering']} masuk, "
                      f"-{compare['leaving']} keluar")  # fmt: skip
        for warning in run.warnings:
            self.stderr.write(f"Peringatan: {warning}")
        if opts["out"]:
            try:
                actions.store_rows(run)  # a dry run that was only counted
            except ValidationError as e:
                raise CommandError(" ".join(_messages(e))) from None
            written = self._write_csv(run, opts["out"])
            out.write(f"{written} baris ditulis ke {opts['out']}")
        if not opts["dry_run"]:
            try:
                actions.commit_run(None, run)
            except ValidationError as e:
                raise CommandError("Tidak ditetapkan: " + " ".join(_messages(e))) from None
            out.write(self.style.SUCCESS("Ditetapkan."))
        else:
            out.write("Uji coba: belum ditetapkan.")

    def _write_csv(self, run, path: str) -> int:
        rows = (
            TargetingResult.objects.filter(run=run)
            .order_by("household__kk_number")
            .values_list(
                "household__kk_number", "score", "desil", "eligible", "failed_mask", "missing_mask"
            )
        )
        said: dict[tuple[int, int], str] = {}
        n = 0
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["kk_number", "score", "desil", "eligible", "reasons"])
            for kk, score, desil, eligible, failed, missing in rows.iterator(chunk_size=5000):
                key = (failed, missing)
                if key not in said:
                    said[key] = reasons(run, failed, missing)
                writer.writerow(
                    [
                        kk,
                        "" if score is None else f"{score:.6f}",
                        "" if desil is None else desil,
                        "1" if eligible else "0",
                        safe_cell(said[key]),
                    ]
                )
                n += 1
        return n
