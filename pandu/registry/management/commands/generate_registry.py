"""generate_registry: fill the registry (or a CSV in the import format) with synthetic data.

For demonstrations, load tests and benchmarks; never run against a database holding real people.
"""

from __future__ import annotations

import csv
import itertools
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from pandu.registry import bulk
from pandu.registry.names import search_key
from pandu.registry.synth import (
    CSV_COLUMNS,
    REFERENCE_DATE,
    GenerationError,
    RegistryGenerator,
    csv_rows,
)

CHUNK = 20_000  # households per transaction / per batch in memory
PROGRESS_EVERY = 50_000


class Command(BaseCommand):
    help = (
        "Generate deterministic synthetic households, people and PPKS for an area and write "
        "them to the database (bulk) or to a CSV file in the import format."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="area code, e.g. 73, 73.09, 73.09.13")
        parser.add_argument("--households", required=True, type=int, help="number of households")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data")
        parser.add_argument("--out", help="write a CSV file here instead of the database")
        parser.add_argument(
            "--chunk", type=int, default=CHUNK, help="households per transaction (default 20000)"
        )

    def handle(self, *args, region: str, households: int, seed: int, out: str | None, **opts):
        region = region.strip()
        chunk = max(1, int(opts.get("chunk") or CHUNK))
        if households < 1:
            raise CommandError("--households must be at least 1.")
        info = bulk.region_info(region)
        if info is None:
            raise CommandError(
                f"Unknown area code {region!r}. Use a code from the area list, e.g. 73.09 "
                "(load it first with 'manage.py load_areas')."
            )
        if not info.villages:
            raise CommandError(f"Area {region} has no villages to put households in.")
        rules = bulk.category_rules()
        if not rules:
            raise CommandError("No PPKS categories in the database: run 'manage.py migrate'.")

        nik_serials: dict[str, int] = {}
        kk_serials: dict[str, int] = {}
        if not out:
            # Continue serial numbers after the ones already used, so nothing collides.
            nik_serials, kk_serials = bulk.existing_serials(bulk.number_prefix(region))
        try:
            generator = RegistryGenerator(
                info,
                households=households,
                seed=seed,
                categories=rules,
                name_key=search_key,
                nik_serials=nik_serials,
                kk_serials=kk_serials,
            )
        except GenerationError as exc:
            raise CommandError(str(exc)) from None

        self.stderr.write(
            f"Generating {households} households in {region} ({len(info.villages)} villages), "
            f"seed {seed}, dates relative to {REFERENCE_DATE:%d-%m-%Y}"
        )
        started = time.monotonic()
        try:
            if out:
                totals = self._to_csv(generator, Path(out), chunk, started)
            else:
                totals = self._to_db(generator, chunk, started)
        except GenerationError as exc:
            raise CommandError(str(exc)) from None
        took = time.monotonic() - started
        rate = totals.rows / took if took else 0.0
        target = out or f"database ({connection.vendor})"
        self.stdout.write(
            f"Done: {totals.households} households, {totals.people} people, "
            f"{totals.ppks} PPKS, {totals.memberships} memberships -> {target}\n"
            f"{took:.1f} s, {rate:,.0f} rows/s ({totals.people / took if took else 0:,.0f} "
            "people/s)"
        )

    def _progress(self, totals: bulk.LoadCounts, started: float, last: list[int]) -> None:
        if totals.households // PROGRESS_EVERY > last[0] // PROGRESS_EVERY:
            took = time.monotonic() - started
            self.stderr.write(
                f"  {totals.households:>9,} households  {totals.people:>10,} people  "
                f"{took:6.1f} s"
            )
        last[0] = totals.households

    def _batches(self, generator: RegistryGenerator, chunk: int):
        iterator = iter(generator)
        while batch := list(itertools.islice(iterator, chunk)):
            yield batch

    def _to_db(self, generator: RegistryGenerator, chunk: int, started: float) -> bulk.LoadCounts:
        totals = bulk.LoadCounts()
        last = [0]
        batches = self._batches(generator, chunk)
        first = next(batches)
        if bulk.uid_taken(first[0].uid):
            raise CommandError(
                f"Data for seed {generator.seed} in {generator.region.code} is already in this "
                "database; use another --seed."
            )
        with bulk.BulkWriter() as writer:
            for batch in itertools.chain([first], batches):
                totals.add(writer.write(batch))
                self._progress(totals, started, last)
            writer.analyze()
        return totals

    def _to_csv(
        self, generator: RegistryGenerator, path: Path, chunk: int, started: float
    ) -> bulk.LoadCounts:
        totals = bulk.LoadCounts()
        last = [0]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)
            for batch in self._batches(generator, chunk):
                for household in batch:
                    writer.writerows(csv_rows(household))
                    totals.people += len(household.members)
                    totals.ppks += len(household.ppks)
                totals.households += len(batch)
                self._progress(totals, started, last)
        totals.memberships = totals.people
        return totals
