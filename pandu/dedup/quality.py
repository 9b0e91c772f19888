"""Measuring deduplication: pairwise precision, recall and F1 against known true pairs."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .labelled import LabelledSet, generate
from .linkage import Candidate, Linkage, chunked

THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99)


@dataclass(frozen=True)
class Scores:
    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        real = self.true_positives + self.false_negatives
        return self.true_positives / real if real else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def pairwise_scores(
    predicted: Iterable[tuple[int, int]], truth: Iterable[tuple[int, int]], threshold: float = 0.0
) -> Scores:
    """Pairs are unordered: (a, b) and (b, a) are one pair."""
    found = {(min(a, b), max(a, b)) for a, b in predicted}
    real = {(min(a, b), max(a, b)) for a, b in truth}
    tp = len(found & real)
    return Scores(threshold, tp, len(found - real), len(real - found))


@dataclass
class QualityReport:
    people: int
    records: int
    true_pairs: int
    seed: int
    scores: list[Scores]
    threshold: float
    seconds: float
    timings: dict[str, float]
    missed_by_variation: Counter = field(default_factory=Counter)
    variation_counts: Counter = field(default_factory=Counter)
    model: dict[str, Any] = field(default_factory=dict)

    def at(self, threshold: float) -> Scores:
        return next(s for s in self.scores if s.threshold == threshold)

    def lines(self) -> list[str]:
        out = [
            f"Labelled set: {self.records:,} records ({self.people:,} people), "
            f"{self.true_pairs:,} true pairs, seed {self.seed}",
            "",
            "| threshold | precision | recall | F1 | TP | FP | FN |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for s in self.scores:
            mark = " (default)" if s.threshold == self.threshold else ""
            out.append(
                f"| {s.threshold:g}{mark} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} "
                f"| {s.true_positives} | {s.false_positives} | {s.false_negatives} |"
            )
        if self.missed_by_variation:
            total = self.variation_counts
            missed = ", ".join(
                f"{k} {v}/{total[k]}" for k, v in sorted(self.missed_by_variation.items())
            )
            out += ["", f"Missed true pairs at the default threshold, by variation: {missed}"]
        timing = ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items())
        out.append(f"Pipeline time {self.seconds:.1f} s ({timing})")
        return out


def evaluate(
    labelled: LabelledSet,
    *,
    threshold: float,
    thresholds: Iterable[float] = THRESHOLDS,
    settings: dict[str, Any] | None = None,
) -> QualityReport:
    """Train on the labelled records (unless ``settings`` is given), score, compare with truth."""
    started = time.monotonic()
    levels = sorted({*thresholds, threshold})
    with Linkage() as linkage:
        linkage.load(chunked(labelled.rows()), total=len(labelled.people))
        model = settings if settings is not None else linkage.train()
        linkage.use(model)
        result = linkage.predict(min(levels) / 2)
    candidates: list[Candidate] = result.candidates
    scores = [
        pairwise_scores(
            ((c.id_l, c.id_r) for c in candidates if c.probability >= t), labelled.truth, t
        )
        for t in levels
    ]
    found = {(c.id_l, c.id_r) for c in candidates if c.probability >= threshold}
    by_id = labelled.by_id()
    missed: Counter = Counter()
    for a, b in labelled.truth - found:
        for v in by_id[b].variations or by_id[a].variations:
            missed[v] += 1
    return QualityReport(
        people=len({p.person for p in labelled.people}),
        records=len(labelled.people),
        true_pairs=len(labelled.truth),
        seed=labelled.seed,
        scores=scores,
        threshold=threshold,
        seconds=time.monotonic() - started,
        timings=result.timings,
        missed_by_variation=missed,
        variation_counts=labelled.variation_counts,
        model=model,
    )


def run(people: int, seed: int, threshold: float) -> QualityReport:
    return evaluate(generate(people=people, seed=seed), threshold=threshold)


def learn_m(labelled: LabelledSet, floor: float = 0.001) -> dict[str, dict[str, float]]:
    """m probabilities (share of true pairs at each level) counted on a labelled set.

    Null levels are left out, as Splink does; a level never seen gets ``floor``.
    """
    from . import spec

    by_id = labelled.by_id()
    feats = {pid: labelled.record(p).features() for pid, p in by_id.items()}
    counts: dict[str, Counter] = {c.name: Counter() for c in spec.COMPARISONS}
    for a, b in labelled.truth:
        for comp in spec.COMPARISONS:
            level = comp.level_for(feats[a], feats[b])
            if not level.null:
                counts[comp.name][level.key] += 1
    out: dict[str, dict[str, float]] = {}
    for comp in spec.COMPARISONS:
        total = sum(counts[comp.name].values())
        keys = [lv.key for lv in comp.levels if not lv.null]
        raw = {k: max(floor, counts[comp.name][k] / total if total else 0.0) for k in keys}
        norm = sum(raw.values())
        out[comp.name] = {k: round(v / norm, 4) for k, v in raw.items()}
    return out
