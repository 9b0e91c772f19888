"""Deduplication benchmark: the batch run over ~1M people and the online check's latency.

    .venv/bin/python bench/dedup.py [--db var/bench/dedup.sqlite3] [--samples 200] [--no-docs]

The database is a separate SQLite file. When it does not exist it is made from another bench
database under var/bench/ holding the same data (copied with SQLite's backup API), or else
migrated and filled with ``generate_registry --region 73 --households 250000 --seed 1``.
Results go to stdout and to the "Deduplication" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from common import machine, machine_line, write_block

ROOT = Path(__file__).resolve().parent.parent


def prepare(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandu.settings")
    sys.path.insert(0, str(ROOT))
    created = not db.exists()
    if created:
        source = _existing_million(db.parent)
        if source is not None:
            print(f"copying {source} -> {db}", file=sys.stderr)
            with sqlite3.connect(source) as src, sqlite3.connect(db) as dst:
                src.backup(dst)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from pandu.registry.models import Person

    if not Person.objects.exists():
        call_command("load_areas", "--if-empty", verbosity=0)
        call_command("generate_registry", "--region", "73", "--households", "250000", "--seed", "1")


def _existing_million(folder: Path) -> Path | None:
    """Another bench database with at least a million people (read only, never changed)."""
    for path in sorted(folder.glob("*.sqlite3")):
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
                (n,) = con.execute("SELECT count(*) FROM registry_person").fetchone()
        except sqlite3.Error:
            continue
        if n >= 1_000_000:
            return path
    return None


def bench_batch(train: bool) -> dict:
    from pandu.dedup import actions

    export = ROOT / "var" / "bench" / "dedup-pairs.csv"
    outcome = actions.find_duplicates(None, threshold=0.8, train=train, export=export)
    run = outcome.run
    return {
        "people": run.people,
        "pairs": run.pairs,
        "seconds": run.seconds,
        "timings": run.timings,
    }


def bench_online(samples: int, seed: int = 1) -> dict:
    from pandu.accounts.models import User
    from pandu.dedup import online
    from pandu.registry.models import Person

    user, _ = User.objects.get_or_create(
        username="bench-dedup", defaults={"role": "admin", "is_superuser": True}
    )
    rng = random.Random(seed)
    top = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(samples * 2)]
    people = list(Person.objects.filter(pk__in=ids, status="active")[:samples])
    online.possible_duplicates({"full_name": "warm up", "birth_date": date(1980, 1, 1)}, user=user)
    times, found = [], 0
    for p in people:
        data = _perturb(p, rng)
        started = time.perf_counter()
        matches = online.possible_duplicates(data, user=user)
        times.append((time.perf_counter() - started) * 1000)
        found += any(m.pk == p.pk for m, _prob, _ev in matches)
    times.sort()
    return {
        "samples": len(times),
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "max": times[-1],
        "found": found,
    }


def _perturb(p, rng: random.Random) -> dict:
    """The same person typed again: another Muhammad form, a typo, or day and month swapped."""
    name = p.full_name
    born = p.birth_date
    kind = rng.choice(["muhammad", "typo", "swap", "none"])
    if kind == "muhammad" and name.split()[0].rstrip(".") in ("Muhammad", "Muh", "Moh", "M"):
        name = "Moh. " + " ".join(name.split()[1:])
    elif kind == "typo" and len(name) > 4:
        i = rng.randrange(1, len(name) - 1)
        name = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    elif kind == "swap" and born.day <= 12 and born.day != born.month:
        born = date(born.year, born.day, born.month)
    return {
        "full_name": name,
        "birth_date": born,
        "sex": p.sex,
        "birth_place": p.birth_place,
        "village": p.area_code,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=str(ROOT / "var" / "bench" / "dedup.sqlite3"))
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    db = Path(args.db).resolve()
    db.parent.mkdir(parents=True, exist_ok=True)
    about = machine()
    prepare(db)

    trained = bench_batch(train=True)
    print("batch, training the model:", trained, flush=True)
    stored = bench_batch(train=False)
    print("batch, stored model:", stored, flush=True)
    latency = bench_online(args.samples)
    print("online check:", latency, flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()

    def timing(t: dict) -> str:
        return ", ".join(f"{k} {v:.1f} s" for k, v in t.items())

    lines = [
        f"`bench/dedup.py`, {machine_line(about)}; load average at the end {load[0]:.1f}. "
        f"SQLite (`{db.name}`):",
        "",
        "| what | people | pairs ≥ 0.8 | seconds | stages |",
        "|---|---:|---:|---:|---|",
        f"| `find_duplicates --train` | {trained['people']:,} | {trained['pairs']:,} "
        f"| {trained['seconds']:.1f} | {timing(trained['timings'])} |",
        f"| `find_duplicates` (stored model) | {stored['people']:,} | {stored['pairs']:,} "
        f"| {stored['seconds']:.1f} | {timing(stored['timings'])} |",
        "",
        f"Peak memory of the process: {peak:,.0f} MB.",
        "",
        f"Online check (`possible_duplicates`, {latency['samples']} people typed again with a "
        f"Muhammad form, a typo or a swapped date): p50 {latency['p50']:.0f} ms, "
        f"p95 {latency['p95']:.0f} ms, max {latency['max']:.0f} ms; the original person was "
        f"suggested for {latency['found']} of {latency['samples']}.",
    ]
    print("\n".join(lines))
    if not args.no_docs:
        write_block("dedup-bench", lines, section="## Deduplication")


if __name__ == "__main__":
    main()
