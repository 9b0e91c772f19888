"""dedup_quality: measure deduplication on labelled synthetic data (precision, recall, F1)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pandu.dedup import quality
from pandu.dedup.labelled import generate
from pandu.dedup.pipeline import DEFAULT_THRESHOLD

MARK = "<!-- dedup-quality {people} {seed}:{end} -->"


class Command(BaseCommand):
    help = (
        "Generate people with known duplicates (spelling, typos, swapped dates, missing NIK, "
        "nicknames, titles), run the linkage on them and report pairwise precision/recall/F1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=5000, help="people (default 5000)")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data")
        parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
        parser.add_argument(
            "--no-docs", action="store_true", help="do not update docs/benchmarks.md"
        )
        parser.add_argument(
            "--learn-m",
            action="store_true",
            help="also print m probabilities counted on a separate labelled set (seed + 1000)",
        )

    def handle(self, *args, people: int, seed: int, threshold: float, **opts):
        if people < 50:
            raise CommandError("--people must be at least 50.")
        report = quality.evaluate(generate(people=people, seed=seed), threshold=threshold)
        lines = report.lines()
        self.stdout.write("\n".join(lines))
        if opts.get("learn_m"):
            learned = quality.learn_m(generate(people=people, seed=seed + 1000))
            for name, levels in learned.items():
                self.stdout.write(f"m {name}: {levels}")
        if not opts.get("no_docs"):
            path = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
            write_section(path, lines, people=people, seed=seed)
            self.stdout.write(f"Updated {path}")


def write_section(path: Path, lines: list[str], *, people: int, seed: int) -> None:
    """Replace this run's block (same people and seed) in the Deduplication section, or append."""
    start = MARK.format(people=people, seed=seed, end="start")
    end = MARK.format(people=people, seed=seed, end="end")
    body = "\n".join(
        [
            start,
            f"`manage.py dedup_quality --people {people} --seed {seed}`, "
            f"run {date.today():%Y-%m-%d}:",
            "",
            *lines,
            end,
        ]
    )
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if start in text and end in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m: body, text, flags=re.S)
    else:
        if "## Deduplication" not in text:
            text = text.rstrip("\n") + "\n\n## Deduplication\n"
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    path.write_text(text, encoding="utf-8")
