"""Benchmark of the targeting-accuracy report: every finding for a regency's KPM, by district.

Usage (from the repository root):

    .venv/bin/python bench/accuracy.py --kpm 20000            # build var/bench/accuracy.sqlite3
    .venv/bin/python bench/accuracy.py --kpm 250000 --write   # the issue's size: ~1M people
    .venv/bin/python bench/accuracy.py --reuse --write        # measure the built database again
    .venv/bin/python bench/accuracy.py --kpm 20000 \\
        --database-url postgres://postgres@127.0.0.1:5432/pandu_accuracy_bench

1. Database: ``migrate``, ``load_areas``, ``generate_registry --region 73.09`` with 4% more
   families than KPM (about four people per family: 250,000 KPM against about a million people),
   into ``var/bench/accuracy.sqlite3`` unless ``--reuse``.
2. Set-up (timed, not a target): a committed targeting run that selects every family and a newer
   one that turns away families of one person (the inclusion errors); the KPM written in bulk
   (the first families, decreed over two years); then what happens to a programme: 1% of the
   recipients die, 1% of the families move away and 0.5% to another district, duplicate pairs
   for 0.5% of the families, 2% of the KPM left during the period and 1% before it, a quota per
   village 3% below its KPM, and 5% of the families also KPM of an overlapping programme.
3. Measured, best of ``--repeat``: the whole report (``accuracy.compute``) for the regency with
   a row per district, the same for one district with a row per village, the first page of each
   finding's families with their reasons, and the whole workbook.

Target at 250,000 KPM: the report ≤ 15 s (SQLite and PostgreSQL). Prints a Markdown block;
``--write`` puts it in docs/benchmarks.md (one block per database kind).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from common import machine, machine_line, write_block

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
TARGET = VAR / "accuracy.sqlite3"
REGION = "73.09"
DATABASE_URL = f"sqlite:///{TARGET}"
START, END = date(2026, 1, 1), date(2026, 3, 31)
BATCH = 5000


def log(msg: str) -> None:
    print(f"[accuracy-bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def manage(*args: str) -> None:
    env = dict(os.environ, DATABASE_URL=DATABASE_URL)
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT
    )


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandu.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(kpm: int) -> None:
    households = int(kpm * 1.04) + 10
    manage("migrate", "--no-input", "-v0")
    manage("load_areas", "--if-empty")
    manage("generate_registry", "--region", REGION, "--households", str(households), "--seed", "1")


def _bulk(model, rows) -> None:
    for at in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[at : at + BATCH], batch_size=BATCH)


def prepare(kpm: int) -> dict:
    """The programme, its runs, KPM and everything the findings find. Bench set-up only: rows
    are written in bulk, past the actions (which write one family at a time)."""
    from django.db import transaction
    from django.db.models import Count

    from pandu.dedup.models import DuplicatePair
    from pandu.programs.models import (
        Enrolment,
        EnrolmentQuota,
        Programme,
        ProgrammeOverlap,
    )
    from pandu.registry.models import Household, Person
    from pandu.targeting import actions as targeting

    rng = random.Random(11)
    started = time.perf_counter()
    pkh, _new = Programme.objects.get_or_create(
        code="BENCH-PKH", defaults={"name": "PKH (benchmark)", "benefit_type": "tunai"}
    )
    bpnt, _new = Programme.objects.get_or_create(
        code="BENCH-BPNT", defaults={"name": "BPNT (benchmark)", "benefit_type": "nontunai"}
    )
    if Enrolment.objects.filter(programme=pkh).exists():
        log("KPM already there: measuring them as they are")
        return {"setup": 0.0}
    log("targeting runs (everyone, then families of two or more)")
    for name, rule in (
        ("bench semua", {"field": "household_size", "op": "gte", "value": 1}),
        ("bench dua", {"field": "household_size", "op": "gte", "value": 2}),
    ):
        ruleset = targeting.save_ruleset(None, name=name, rule=rule)
        run = targeting.start_run(
            None, ruleset=ruleset, area=REGION, programme=pkh, as_of=START, background=False,
            reuse_scores=False,
        )  # fmt: skip
        targeting.commit_run(None, run)

    log(f"{kpm:,} KPM")
    families = list(
        Household.objects.filter(status="active").order_by("pk").values_list("pk", "village_id")
    )[:kpm]
    heads = dict(
        Person.objects.filter(relationship=1, status="active").values_list("household_id", "pk")
    )
    span = (END - date(2024, 1, 1)).days
    with transaction.atomic():
        rows = [
            Enrolment(
                programme=pkh,
                household_id=pk,
                recipient_id=heads.get(pk),
                area_code=village,
                status="aktif",
                step="ditetapkan",
                status_since=date(2024, 1, 1) + timedelta(days=i * span // kpm),
                enrolled_on=date(2024, 1, 1) + timedelta(days=i * span // kpm),
            )
            for i, (pk, village) in enumerate(families)
        ]
        _bulk(Enrolment, rows)
        ids = list(Enrolment.objects.filter(programme=pkh).values_list("pk", "household_id"))
        sample = rng.sample(ids, len(ids))
        cut = iter(range(len(sample)))

        def take(share: float) -> list[tuple[int, int]]:
            n = int(len(sample) * share)
            return [sample[next(cut)] for _i in range(n)]

        log("deaths, moves, exits")
        dead = [heads[h] for _e, h in take(0.01) if h in heads]
        Person.objects.filter(pk__in=dead).update(status="deceased", status_date=date(2026, 2, 1))
        moved = [h for _e, h in take(0.01)]
        Household.objects.filter(pk__in=moved).update(status="moved")
        elsewhere = [h for _e, h in take(0.005)]
        village = "73.09.01.1001" if not REGION.startswith("73.09.01") else "73.09.02.1001"
        Household.objects.filter(pk__in=elsewhere).update(village_id=village)
        Person.objects.filter(household_id__in=elsewhere).update(area_code=village)
        Enrolment.objects.filter(pk__in=[e for e, _h in take(0.02)]).update(
            status="keluar", status_since=date(2026, 2, 15)
        )
        Enrolment.objects.filter(pk__in=[e for e, _h in take(0.01)]).update(
            status="keluar", status_since=date(2025, 6, 30)
        )

        log("duplicate pairs")
        spouses = dict(
            Person.objects.filter(relationship=2, status="active").values_list("household_id", "pk")
        )
        people = [spouses[h] for _e, h in take(0.005) if h in spouses]
        others = rng.sample(list(spouses.values()), len(people))
        pairs = {tuple(sorted((a, b))) for a, b in zip(people, others, strict=True) if a != b}
        _bulk(
            DuplicatePair,
            [
                DuplicatePair(
                    person_a_id=a,
                    person_b_id=b,
                    probability=0.95,
                    match_weight=8.0,
                    status="open" if i % 3 else "confirmed",
                )  # fmt: skip
                for i, (a, b) in enumerate(sorted(pairs))
            ],
        )

        log("quotas and an overlapping programme")
        per_village = (
            Enrolment.objects.filter(programme=pkh)
            .values("area_code")
            .annotate(n=Count("pk"))
            .values_list("area_code", "n")
        )
        _bulk(
            EnrolmentQuota,
            [
                EnrolmentQuota(programme=pkh, area_id=code, quota=int(n * 0.97))
                for code, n in per_village
            ],
        )
        both = take(0.05)
        village_of = dict(families)
        _bulk(
            Enrolment,
            [
                Enrolment(
                    programme=bpnt,
                    household_id=h,
                    recipient_id=heads.get(h),
                    area_code=village_of.get(h, REGION),
                    status="aktif",
                    step="ditetapkan",
                    status_since=date(2025, 1, 1),
                    enrolled_on=date(2025, 1, 1),
                )
                for _e, h in both
            ],
        )
        ProgrammeOverlap.objects.get_or_create(
            programme=min(pkh, bpnt, key=lambda p: p.pk),
            other=max(pkh, bpnt, key=lambda p: p.pk),
            area_id=REGION,
        )
    from django.db import connection

    with connection.cursor() as cursor:  # statistics for the planner, as after a real load
        cursor.execute("ANALYZE")
    return {"setup": time.perf_counter() - started}


def best(repeat: int, fn):
    times, value = [], None
    for _i in range(repeat):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return min(times), value


def measure(repeat: int, workbook: bool) -> dict:
    from pandu.programs import accuracy
    from pandu.programs.models import Programme
    from pandu.registry.models import Person

    pkh = Programme.objects.get(code="BENCH-PKH")
    regency = accuracy.Subject(pkh, REGION, START, END)
    log("the regency's report")
    whole, report = best(repeat, lambda: accuracy.compute(regency))
    district_code = max(report.rows, key=lambda r: r.kpm).code if report.rows else REGION
    log(f"one district's report ({district_code})")
    district, _r = best(repeat, lambda: accuracy.compute(regency.within(district_code)))
    pages = {}
    for figure in accuracy.FIGURES:

        def page(key=figure.key):
            rows = list(accuracy.ordered(regency, key)[:50])
            return accuracy.lines(regency, key, rows)

        pages[figure.key], _lines = best(repeat, page)
    book_seconds, size = None, 0
    if workbook:
        log("the whole workbook")
        book_seconds, data = best(1, lambda: accuracy.report_workbook(report))
        size = len(data)
    return {
        "kpm": report.total.kpm,
        "people": Person.objects.count(),
        "counts": dict(report.total.counts),
        "flagged": report.total.flagged,
        "eligible": report.total.eligible,
        "districts": len(report.rows),
        "whole": whole,
        "district": district,
        "district_code": district_code,
        "pages": pages,
        "workbook": book_seconds,
        "workbook_bytes": size,
    }


def markdown(r: dict, backend: str, setup: float) -> str:
    m = machine()
    lines = [
        f"{machine_line(m)}; {backend}; {r['kpm']:,} KPM of {REGION} in the period, "
        f"{r['people']:,} people in the registry (generate_registry).",
        "",
        "| measure | result | target at 250,000 KPM |",
        "|---|---|---|",
        f"| whole report of the regency, {r['districts']} districts | {r['whole']:.2f} s "
        "| ≤ 15 s |",
        f"| whole report of district {r['district_code']}, by village | {r['district']:.2f} s | |",
        "| first 50 families of a finding with reasons, slowest finding | "
        f"{max(r['pages'].values()) * 1000:.0f} ms | |",
    ]
    if r["workbook"] is not None:
        lines.append(
            f"| the whole workbook (summary + 7 sheets, {r['workbook_bytes'] / 1e6:.1f} MB) | "
            f"{r['workbook']:.2f} s | |"
        )
    counts = ", ".join(f"{k} {v:,}" for k, v in r["counts"].items())
    lines += [
        "",
        f"Findings: {counts}; {r['flagged']:,} KPM with at least one; {r['eligible']:,} "
        f"families eligible. Set-up (runs, KPM and their changes written in bulk) {setup:.0f} s.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kpm", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-workbook", action="store_true", help="skip the whole workbook")
    parser.add_argument("--reuse", action="store_true", help="measure the built database again")
    parser.add_argument("--write", action="store_true", help="write into docs/benchmarks.md")
    parser.add_argument(
        "--database-url", help="measure on this database (PostgreSQL, or another SQLite file)"
    )
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    global DATABASE_URL
    if args.database_url:
        DATABASE_URL = args.database_url
    if not args.reuse:
        if DATABASE_URL.startswith("sqlite:///"):
            target = DATABASE_URL.removeprefix("sqlite:///")
            for suffix in ("", "-wal", "-shm"):
                Path(target + suffix).unlink(missing_ok=True)
        log(f"building a registry for {args.kpm:,} KPM")
        build(args.kpm)
    else:
        manage("migrate", "--no-input", "-v0")
    setup_django()
    setup = prepare(args.kpm)["setup"]
    log("measuring")
    result = measure(args.repeat, not args.no_workbook)
    backend = "SQLite" if DATABASE_URL.startswith("sqlite") else "PostgreSQL"
    text = markdown(result, backend, setup)
    print(text)
    if args.write:
        write_block(
            f"accuracy-bench {backend.lower()}",
            text.splitlines(),
            section="## Targeting accuracy (bench/accuracy.py)",
        )
        log("written to docs/benchmarks.md")


if __name__ == "__main__":
    main()
