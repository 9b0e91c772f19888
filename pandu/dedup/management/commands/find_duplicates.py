"""find_duplicates: score every active person (or an area) and store the candidate pairs."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pandu.dedup import actions
from pandu.dedup.pipeline import DEFAULT_THRESHOLD


class Command(BaseCommand):
    help = (
        "Find people registered twice (probabilistic record linkage with Splink on DuckDB) and "
        "store candidate pairs for review. PAIRS.csv columns: nik_a,nik_b,probability."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", default="", help="area code prefix, e.g. 73.09")
        parser.add_argument("--export", help="also write the pairs to this CSV file")
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=f"keep pairs with match probability at least this (default {DEFAULT_THRESHOLD})",
        )
        train = parser.add_mutually_exclusive_group()
        train.add_argument(
            "--train", action="store_true", help="train a new model (u, prior) on this data"
        )
        train.add_argument(
            "--no-train", action="store_true", help="use the stored (or default) model"
        )

    def handle(self, *args, area: str, export: str | None, threshold: float, **opts):
        if not 0 < threshold < 1:
            raise CommandError("--threshold must be between 0 and 1.")
        train = True if opts.get("train") else False if opts.get("no_train") else None
        last = [0.0]

        def progress(stage: str, done: int = 0, total: int | None = None) -> None:
            now = time.monotonic()
            if now - last[0] >= 2 or (total and done == total):
                last[0] = now
                count = f"{done:,}/{total:,}" if total else f"{done:,}"
                sys.stderr.write(f"  {stage}: {count}\n")

        outcome = actions.find_duplicates(
            None,
            area=area.strip(),
            threshold=threshold,
            train=train,
            export=Path(export) if export else None,
            progress=progress,
        )
        run = outcome.run
        timings = ", ".join(f"{k} {v:.1f} s" for k, v in run.timings.items())
        self.stdout.write(
            f"{run.people:,} people, {run.pairs:,} pairs at probability >= {threshold:g} "
            f"({run.new_pairs:,} new), {run.seconds:.1f} s ({timings})"
        )
        if export:
            self.stdout.write(f"Pairs written to {export}")
