"""generate_registry: fill the registry (or a CSV in the import format) with synthetic data.

For demonstrations, load tests and benchmarks; never run against a database holding real people.
Large loads run the generator in a second process (fork) so building the next chunk overlaps with
writing the current one; each chunk is one transaction.
"""

from __future__ import annotations

import csv
import itertools
import multiprocessing
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from pandu.core import forked
from pandu.demo import bulk
from pandu.demo.synth import (
    CSV_COLUMNS,
    REFERENCE_DATE,
    GenerationError,
    GenHousehold,
    RegistryGenerator,
    csv_rows,
)
from pandu.registry.names import search_key

CHUNK = 20_000  # households per transaction and per batch in memory
PROGRESS_EVERY = 50_000


def _batches(generator: RegistryGenerator, chunk: int) -> Iterator[list[GenHousehold]]:
    iterator = iter(generator)
    while batch := list(itertools.islice(iterator, chunk)):
        yield batch


def _produce(generator: RegistryGenerator, builder: bulk.RowBuilder, chunk: int, out: Any) -> None:
    """Runs in the forked generator process: never touches the database."""
    try:
        for batch in _batches(generator, chunk):
            out.put(("rows", builder.build(batch)))
        out.put(("done", None))
    except GenerationError as exc:
        out.put(("error", str(exc)))
    except BaseException as exc:  # report anything to the parent instead of dying silently
        out.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        out.close()
        out.join_thread()


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
        parser.add_argument(
            "--single-process",
            action="store_true",
            help="generate and write in this process (no second generator process)",
        )

    def handle(self, *args, region: str, households: int, seed: int, out: str | None, **opts):
        region = (region or "").strip()
        chunk = int(opts.get("chunk") or CHUNK)
        if households < 1:
            raise CommandError("--households must be at least 1.")
        if chunk < 1:
            raise CommandError("--chunk must be at least 1.")
        info = bulk.region_info(region)
        if info is None:
            raise CommandError(
                f"Unknown area code {region!r}. Use a code from the area list, e.g. 73.09 "
                "(load the list first with 'manage.py load_areas')."
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
            f"Generating {households:,} households in {region} ({len(info.villages)} villages), "
            f"seed {seed}, dates relative to {REFERENCE_DATE:%d-%m-%Y}"
        )
        started = time.monotonic()
        try:
            if out:
                totals = self._to_csv(generator, Path(out), chunk, started)
            else:
                totals = self._to_db(generator, chunk, started, opts.get("single_process", False))
        except GenerationError as exc:
            raise CommandError(str(exc)) from None
        took = max(time.monotonic() - started, 1e-9)
        rows = totals.people if out else totals.rows
        target = out or f"database ({connection.vendor})"
        self.stdout.write(
            f"Done: {totals.households:,} households, {totals.people:,} people, "
            f"{totals.ppks:,} PPKS, {totals.memberships:,} memberships -> {target}\n"
            f"{took:.1f} s, {rows / took:,.0f} rows/s, {totals.people / took:,.0f} people/s"
        )

    # -- output -----------------------------------------------------------------------------

    def _progress(self, totals: bulk.LoadCounts, started: float, last: list[int]) -> None:
        if totals.households // PROGRESS_EVERY > last[0] // PROGRESS_EVERY:
            took = time.monotonic() - started
            self.stderr.write(
                f"  {totals.households:>9,} households {totals.people:>10,} people {took:7.1f} s"
            )
        last[0] = totals.households

    def _to_db(
        self, generator: RegistryGenerator, chunk: int, started: float, single: bool
    ) -> bulk.LoadCounts:
        if bulk.uid_taken(generator.first_uid()):
            raise CommandError(
                f"Data for seed {generator.seed} in {generator.region.code} is already in this "
                "database; use another --seed."
            )
        totals = bulk.LoadCounts()
        last = [0]
        with bulk.BulkWriter() as writer:
            use_fork = (
                not single
                and generator.households > chunk
                and "fork" in multiprocessing.get_all_start_methods()
            )
            if use_fork:
                for rows in self._forked(generator, writer.builder, chunk):
                    totals.add(writer.write_rows(rows))
                    self._progress(totals, started, last)
            else:
                for batch in _batches(generator, chunk):
                    totals.add(writer.write(batch))
                    self._progress(totals, started, last)
            writer.analyze()
        return totals

    def _forked(
        self, generator: RegistryGenerator, builder: bulk.RowBuilder, chunk: int
    ) -> Iterator[bulk.ChunkRows]:
        """Chunks built by a forked generator process, at most two waiting at a time."""
        ctx = multiprocessing.get_context("fork")
        channel = ctx.Queue(maxsize=2)
        sys.stdout.flush()
        sys.stderr.flush()
        proc = ctx.Process(
            target=_produce, args=(generator, builder, chunk, channel), name="generate_registry"
        )
        proc.daemon = True
        proc.start()
        try:
            for kind, payload in forked.messages(proc, channel):
                if kind == "done":
                    break
                if kind == "error":
                    raise CommandError(f"Generation failed: {payload}")
                yield payload
        except forked.ProducerStopped as exc:
            if exc.exit_code is None:
                raise CommandError("The generator process stopped sending data.") from None
            raise CommandError(
                f"The generator process {exc}; nothing after the last progress line was written."
            ) from None
        finally:
            if proc.is_alive():
                proc.terminate()
            proc.join(timeout=10)
            channel.close()

    def _to_csv(
        self, generator: RegistryGenerator, path: Path, chunk: int, started: float
    ) -> bulk.LoadCounts:
        totals = bulk.LoadCounts()
        last = [0]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)
            for batch in _batches(generator, chunk):
                for household in batch:
                    writer.writerows(csv_rows(household))
                    totals.people += len(household.members)
                    totals.ppks += len(household.ppks)
                totals.households += len(batch)
                self._progress(totals, started, last)
        totals.memberships = totals.people
        return totals
