"""Benchmark of payments: a cycle of N KPM computed, its payment lists exported, an N-row
reconciliation imported (and imported again), on SQLite or PostgreSQL.

Usage (from the repository root):

    .venv/bin/python bench/payments.py --kpm 20000            # build var/bench/payments.sqlite3
    .venv/bin/python bench/payments.py --reuse --write        # measure again, write the block
    .venv/bin/python bench/payments.py --kpm 250000 --write --postgres   # pandu_paybench

1. Database: ``migrate``, ``load_areas``, ``generate_registry --region 73.09 --households N``
   (about four people per family) unless ``--reuse``. Then, straight in the tables: children
   of school age get a school level by age, seven heads in ten a BRI account (the rest are paid
   by PT Pos), and every active family becomes an active KPM of PKH (the catalogue's PKH with
   its default scheme and components).
2. Measure, in this process, through the actions:
   - the computation of a PKH cycle (tahap 1 2026) over the regency, best of ``--repeat``;
   - after the Dinas's and the head's approval, the payment lists: bank and PT Pos as CSV
     (together: "the payment list") and the bank list as XLSX;
   - a reconciliation file of every entitlement (97 % paid, 2 % failed, 1 % returned, and
     0.2 % bad rows: another amount, a date outside the cycle, a KK not in the cycle) imported,
     then the same file imported again (nothing changes).

Targets at 250,000 KPM: computed ≤ 10 s, exported ≤ 10 s, reconciliation imported ≤ 20 s, on
both databases. Prints a Markdown block; ``--write`` puts it in docs/benchmarks.md (one block
per database kind).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from common import machine, machine_line, write_block

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
TARGET = VAR / "payments.sqlite3"
REGION = "73.09"
DATABASE_URL = f"sqlite:///{TARGET}"
START = date(2026, 1, 1)


def log(msg: str) -> None:
    print(f"[payments-bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def manage(*args: str) -> None:
    env = dict(os.environ, DATABASE_URL=DATABASE_URL)
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT
    )


def fresh_postgres(base: str, name: str) -> None:
    """Drop and create the benchmark's own database (a local server only)."""
    from urllib.parse import urlparse

    import psycopg

    if urlparse(base).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("BENCH_PG_URL must point at 127.0.0.1 or localhost")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandu.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(households: int) -> None:
    manage("migrate", "--no-input", "-v0")
    manage("load_areas", "--if-empty")
    manage("generate_registry", "--region", REGION, "--households", str(households), "--seed", "1")


def _born_between(older: int, younger: int) -> tuple[date, date]:
    """Birth dates of someone ``younger``..``older`` years old on START."""
    return date(START.year - older - 1, START.month, START.day + 1), date(
        START.year - younger, START.month, START.day
    )


def prepare() -> None:
    """School levels, bank accounts and the KPM, written straight into the tables."""
    from django.db import connection, transaction

    from pandu.programs.models import Enrolment, Programme
    from pandu.registry.models import Household, Person

    pkh = Programme.objects.get(code="PKH")
    if Enrolment.objects.filter(programme=pkh).exists():
        return
    q = connection.ops.quote_name
    with transaction.atomic():
        for level, (older, younger) in {2: (12, 7), 3: (15, 13), 4: (18, 16)}.items():
            Person.objects.filter(
                status="active", birth_date__range=_born_between(older, younger)
            ).update(school_level=level)
        with connection.cursor() as cursor:
            person = q(Person._meta.db_table)
            cursor.execute(
                f"UPDATE {person} SET bank_name = 'BRI', bank_account = "  # noqa: S608
                f"'00' || CAST(id AS VARCHAR(20)) WHERE relationship = 1 AND id % 10 < 7"
            )
            uid = (
                "gen_random_uuid()"
                if connection.vendor == "postgresql"
                else ("lower(hex(randomblob(16)))")
            )
            enrolment, household = q(Enrolment._meta.db_table), q(Household._meta.db_table)
            cursor.execute(
                f"INSERT INTO {enrolment} (uid, created_at, updated_at, programme_id, "  # noqa: S608
                "household_id, recipient_id, area_code, status, step, status_since, "
                "status_reason, visit_result, visit_note, visit_photo, enrolled_on) "
                f"SELECT {uid}, %s, %s, %s, h.id, (SELECT MIN(p.id) FROM {person} p WHERE "
                "p.household_id = h.id AND p.relationship = 1 AND p.status = 'active'), "
                "h.village_id, 'aktif', 'ditetapkan', %s, 'bench', '', '', '', %s "
                f"FROM {household} h WHERE h.status = 'active' ORDER BY h.id",
                [START, START, pkh.pk, date(2025, 1, 1), date(2025, 1, 1)],
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def users():
    from pandu.accounts.models import User

    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": "admin", "area_id": REGION}
    )
    head, _ = User.objects.get_or_create(
        username="bench-head", defaults={"role": "head", "area_id": REGION}
    )
    return admin, head


def reconciliation_file(cycle, path: Path, lists: dict[str, Path]) -> int:
    """Every row of the payment lists with an outcome, and a few bad rows."""
    rng = random.Random(5)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["siklus", "penerima", "status", "nominal", "tanggal", "referensi",
                         "alasan"])  # fmt: skip
        for channel, source in lists.items():
            with source.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                for row in reader:
                    n += 1
                    draw = rng.random()
                    status, reason, amount, day = "dibayar", "", row["nominal"], "15-02-2026"
                    if draw < 0.02:
                        status, reason = "gagal", "rekening tidak aktif"
                    elif draw < 0.03:
                        status, reason = "dikembalikan", "dana tidak ditarik"
                    elif draw < 0.031:
                        amount = str(int(amount) + 1000)
                    elif draw < 0.032:
                        day = "15-02-2027"
                    writer.writerow([row["siklus"], row["penerima"], status, amount, day,
                                     f"{channel.upper()}-{n:08d}", reason])  # fmt: skip
        for i in range(max(1, n // 1000)):
            n += 1
            writer.writerow([str(cycle.uid), f"9999{i:012d}", "dibayar", "600000", "15-02-2026",
                             f"X-{i:08d}", ""])  # fmt: skip
    return n


def clear() -> None:
    """The payments of an earlier measurement (``--reuse``), in one statement per table."""
    from django.db import connection

    tables = (
        "payments_payment",
        "payments_reconciliationimport",
        "payments_treasuryreturn",
        "payments_entitlement",
        "payments_conditionalityrecord",
        "payments_cycle",
    )
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608


def baseline_read(cycle) -> float:
    """The raw SQL the computation starts from: the same KPM joined to their members and
    grouped, read to the end and thrown away (nothing written)."""
    from django.db import connection, transaction

    from pandu.payments import computation
    from pandu.payments.actions.cycles import scheme_on

    plan = computation.plan_for(cycle, scheme_on(cycle.programme, cycle.period_start))
    inner, params = computation.counts_sql(plan)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        computation.roomy()
        cursor.execute(f"SELECT COUNT(*), SUM(t.c0) FROM ({inner}) t", params)  # noqa: S608
        cursor.fetchone()
    return time.perf_counter() - started


def baseline_copy(path: Path) -> float:
    """The least a database can do with the reconciliation file: its rows read by the csv
    module and copied, as they are, into a temporary table (COPY on PostgreSQL, one
    ``executemany`` on SQLite); then dropped."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_copy (siklus TEXT, penerima TEXT, status TEXT, "
            "nominal TEXT, tanggal TEXT, referensi TEXT, alasan TEXT)"
        )
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY bench_copy FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            connection.connection.executemany(
                "INSERT INTO bench_copy VALUES (?, ?, ?, ?, ?, ?, ?)", rows
            )
        cursor.execute("DROP TABLE bench_copy")
    return time.perf_counter() - started


def measure(repeat: int) -> dict:
    from pandu.payments import actions, exports
    from pandu.programs.models import Programme
    from pandu.regions.models import Area

    admin, head = users()
    pkh = Programme.objects.get(code="PKH")
    area = Area.objects.get(code=REGION)
    clear()
    cycle = actions.create_cycle(admin, programme=pkh, area=area, period_start=START)
    timings, reads = [], []
    for _i in range(repeat):  # turn about with the raw read, so their ratio means something
        reads.append(baseline_read(cycle))
        started = time.perf_counter()
        cycle = actions.compute_cycle(admin, cycle)
        timings.append(time.perf_counter() - started)
    log(f"computed {cycle.figures['entitled']:,} entitlements")
    actions.approve_cycle_dinas(admin, cycle)
    cycle = actions.approve_cycle_head(head, cycle)
    out = VAR / "payments-out"
    out.mkdir(parents=True, exist_ok=True)
    lists = {}
    started = time.perf_counter()
    rows = 0
    for channel in ("bank", "pos"):
        lists[channel] = out / f"{channel}.csv"
        rows += exports.write(cycle, channel, "csv", lists[channel])
    csv_seconds = time.perf_counter() - started
    started = time.perf_counter()
    xlsx_rows = exports.write(cycle, "bank", "xlsx", out / "bank.xlsx")
    xlsx_seconds = time.perf_counter() - started
    log(f"exported {rows:,} rows")
    recon = out / "rekonsiliasi.csv"
    recon_rows = reconciliation_file(cycle, recon, lists)
    copied = baseline_copy(recon)
    started = time.perf_counter()
    first = actions.start_reconciliation(admin, recon, copy=False)
    import_seconds = time.perf_counter() - started
    copied = min(copied, baseline_copy(recon))
    log(f"imported: {first.message}")
    started = time.perf_counter()
    again = actions.start_reconciliation(admin, recon, copy=False)
    reimport_seconds = time.perf_counter() - started
    log(f"imported again: {again.message}")
    return {
        "kpm": cycle.figures["counted"],
        "entitled": cycle.figures["entitled"],
        "amount": cycle.figures["amount"],
        "compute": min(timings),
        "computes": timings,
        "read": min(reads),
        "copy": copied,
        "export_rows": rows,
        "export_csv": csv_seconds,
        "xlsx_rows": xlsx_rows,
        "export_xlsx": xlsx_seconds,
        "recon_rows": recon_rows,
        "import": import_seconds,
        "recorded": first.recorded,
        "rejected": first.rejected,
        "reimport": reimport_seconds,
        "unchanged": again.unchanged,
        "recorded_again": again.recorded,
    }


def markdown(r: dict, people: int, backend: str) -> str:
    m = machine()
    return "\n".join(
        [
            f"{machine_line(m)}; {backend}; {r['kpm']:,} active KPM of PKH, {people:,} people "
            f"(generate_registry, region {REGION}).",
            "",
            "| measure | result | target at 250,000 KPM |",
            "|---|---|---|",
            f"| PKH cycle computed ({r['entitled']:,} entitlements, "
            f"Rp{r['amount']:,}) | {r['compute']:.2f} s (runs: "
            f"{', '.join(f'{t:.1f}' for t in r['computes'])} s) | ≤ 10 s |",
            f"| baseline, turn about with it: the raw grouped read of the KPM and their members "
            f"| {r['read']:.2f} s (computation {r['compute'] / r['read']:.1f}×) | — |",
            f"| payment lists, bank + PT Pos, CSV ({r['export_rows']:,} rows) "
            f"| {r['export_csv']:.2f} s | ≤ 10 s |",
            f"| bank list as XLSX ({r['xlsx_rows']:,} rows) | {r['export_xlsx']:.2f} s | ≤ 10 s |",
            f"| reconciliation imported ({r['recon_rows']:,} rows: {r['recorded']:,} recorded, "
            f"{r['rejected']:,} rejected) | {r['import']:.2f} s | ≤ 20 s |",
            f"| baseline before and after it: the file read by `csv` and copied as it is into a "
            f"table | {r['copy']:.2f} s (import {r['import'] / r['copy']:.1f}×) | — |",
            f"| the same file again ({r['unchanged']:,} already recorded, "
            f"{r['recorded_again']:,} recorded) | {r['reimport']:.2f} s | ≤ 20 s |",
            "",
            "Measured at this size only; the targets are for 250,000 KPM.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kpm", type=int, default=20_000, help="families generated (all KPM)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="measure the built database again")
    parser.add_argument("--write", action="store_true", help="write into docs/benchmarks.md")
    parser.add_argument(
        "--database-url", help="measure on this database (PostgreSQL, or another SQLite file)"
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="measure on PostgreSQL: database pandu_paybench at BENCH_PG_URL "
        "(postgres://postgres@127.0.0.1:5432), made afresh unless --reuse",
    )
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    global DATABASE_URL
    if args.database_url:
        DATABASE_URL = args.database_url
    if args.postgres:
        base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
        DATABASE_URL = f"{base}/pandu_paybench"
        if not args.reuse:
            fresh_postgres(base, "pandu_paybench")
    if not args.reuse:
        if DATABASE_URL.startswith("sqlite:///"):
            target = DATABASE_URL.removeprefix("sqlite:///")
            for suffix in ("", "-wal", "-shm"):
                Path(target + suffix).unlink(missing_ok=True)
        log(f"building a registry of {args.kpm:,} families")
        build(args.kpm)
    else:
        manage("migrate", "--no-input", "-v0")
    setup_django()
    from pandu.registry.models import Person

    log("preparing the KPM")
    prepare()
    log("measuring")
    result = measure(args.repeat)
    backend = "SQLite" if DATABASE_URL.startswith("sqlite") else "PostgreSQL"
    text = markdown(result, Person.objects.count(), backend)
    print(text)
    if args.write:
        write_block(
            f"payments-bench {backend.lower()}",
            text.splitlines(),
            section="## Payments (bench/payments.py)",
        )
        log("written to docs/benchmarks.md")


if __name__ == "__main__":
    main()
