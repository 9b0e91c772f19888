"""Scoring a pair in Python with the m/u probabilities of a Splink model."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .comparisons import BY_NAME, COMPARISONS
from .levels import Features
from .splink_settings import DEFAULT_MU, TF_MINIMUM_U, prior_for


@dataclass(frozen=True)
class Model:
    """m/u per comparison level and the prior, read from a Splink model JSON."""

    mu: dict[str, dict[str, tuple[float, float]]]
    prior: float

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Model:
        mu: dict[str, dict[str, tuple[float, float]]] = {}
        for comp in settings.get("comparisons", []):
            name = comp.get("output_column_name")
            levels = {}
            for level in comp.get("comparison_levels", []):
                if level.get("is_null_level"):
                    continue
                key = level.get("label_for_charts")
                m, u = level.get("m_probability"), level.get("u_probability")
                default = DEFAULT_MU.get(name, {}).get(key)
                if (m is None or u is None) and default is not None:
                    m, u = default
                if m is not None and u is not None:
                    levels[key] = (float(m), float(u))
            mu[name] = levels
        return cls(mu=mu, prior=float(settings.get("probability_two_random_records_match", 1e-4)))

    @classmethod
    def default(cls, people: int) -> Model:
        return cls(mu=DEFAULT_MU, prior=prior_for(people))

    def weight(self, comparison: str, level_key: str) -> float:
        """log2 Bayes factor of one level (0 for a null level or an unknown level)."""
        m, u = self.mu.get(comparison, {}).get(level_key, (1.0, 1.0))
        m, u = max(m, 1e-12), max(u, 1e-12)
        return math.log2(m / u)

    def tf_adjustment(self, comparison: str, level_key: str, frequency: float | None) -> float:
        """Splink's term-frequency adjustment: log2(u of the level) - log2(value's frequency)."""
        comp = BY_NAME.get(comparison)
        level = next((lv for lv in comp.levels if lv.key == level_key), None) if comp else None
        if level is None or not level.tf or frequency is None:
            return 0.0
        _m, u = self.mu.get(comparison, {}).get(level_key, (1.0, 1.0))
        return math.log2(max(u, 1e-12)) - math.log2(max(frequency, TF_MINIMUM_U))

    def score_levels(
        self, levels: dict[str, str], adjust: dict[str, float] | None = None
    ) -> tuple[float, float, list[dict[str, Any]]]:
        """(probability, match weight, evidence) for a pair's levels (plus TF adjustments)."""
        prior_weight = math.log2(self.prior / (1 - self.prior))
        total = prior_weight
        evidence = []
        adjust = adjust or {}
        for comp in COMPARISONS:
            key = levels.get(comp.name, "null")
            w = 0.0 if key == "null" else self.weight(comp.name, key)
            w += adjust.get(comp.name, 0.0)
            total += w
            evidence.append({"comparison": comp.name, "level": key, "weight": round(w, 2)})
        return probability(total), total, evidence

    def score(
        self, left: Features, right: Features, frequencies: dict[str, float] | None = None
    ) -> tuple[float, float, list[dict[str, Any]]]:
        """Score two feature dicts; ``frequencies`` maps a TF column's value to its share."""
        levels = {c.name: c.level_for(left, right).key for c in COMPARISONS}
        adjust = {}
        for comp in COMPARISONS:
            level = next(lv for lv in comp.levels if lv.key == levels[comp.name])
            if level.tf and frequencies is not None:
                adjust[comp.name] = self.tf_adjustment(
                    comp.name, level.key, frequencies.get(str(left.get(level.tf)))
                )
        return self.score_levels(levels, adjust)


def levels_from_gammas(gammas: dict[str, int | None]) -> dict[str, str]:
    """Splink's comparison vector (``gamma_*``: -1 null, then n-1 … 0 down the levels) as keys."""
    out = {}
    for comp in COMPARISONS:
        g = gammas.get(comp.name)
        if g is None or g < 0:
            out[comp.name] = "null"
            continue
        non_null = [lv for lv in comp.levels if not lv.null]
        out[comp.name] = non_null[len(non_null) - 1 - int(g)].key
    return out


def probability(match_weight: float) -> float:
    if match_weight > 60:
        return 1.0
    if match_weight < -60:
        return 0.0
    bf = 2.0**match_weight
    return bf / (1 + bf)


def level_label(comparison: str, key: str):
    comp = BY_NAME.get(comparison)
    if comp is None:
        return key
    for level in comp.levels:
        if level.key == key:
            return level.label
    return key
