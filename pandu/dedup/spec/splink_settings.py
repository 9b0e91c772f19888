"""The Splink settings JSON: blocking rules, training blocks and default m/u probabilities."""

from __future__ import annotations

from typing import Any

from .comparisons import COMPARISONS

# Candidate pairs for the batch run: any one rule is enough (see docs/dedup.md).
BLOCKING_RULES = [
    # Same birth date (or day and month swapped) and sex, and one name starts the same way.
    "l.dob_key = r.dob_key AND l.sex = r.sex AND l.name_first[1] = r.name_first[1]",
    "l.dob_key = r.dob_key AND l.sex = r.sex AND l.name_last[1] = r.name_last[1]",
    # A typo in the day, or in the year: the name sounds the same.
    "l.name_phon = r.name_phon AND substr(l.dob, 1, 6) = substr(r.dob, 1, 6)",
    "l.name_phon = r.name_phon AND substr(l.dob, 5, 4) = substr(r.dob, 5, 4)",
    # The same NIK but for its serial: same district, birth date and sex in the number itself,
    # whatever the name and the typed birth date say.
    "substr(l.nik, 1, 12) = substr(r.nik, 1, 12)",
    # A typo in the date and a changed name at once, inside one village: the same initial and
    # the same year and month, or the same day and month. Their pairs grow with the square of
    # a village's size: over a million people in villages of about 10,000, "same year" without
    # the month and "day and month" without the initial made 23 million pairs; these make 3 million.
    "l.village = r.village AND l.sex = r.sex AND substr(l.dob, 1, 6) = substr(r.dob, 1, 6) "
    "AND l.name_first[1] = r.name_first[1]",
    "l.village = r.village AND l.sex = r.sex AND substr(l.dob, 5, 4) = substr(r.dob, 5, 4) "
    "AND l.name_first[1] = r.name_first[1]",
    # A typo in the date and a changed or mistyped first word: the last word is the same and
    # the date differs only in the day, or in the last digit of the year.
    "l.name_last = r.name_last AND l.sex = r.sex AND substr(l.dob, 1, 6) = substr(r.dob, 1, 6)",
    "l.name_last = r.name_last AND l.sex = r.sex AND substr(l.dob, 5, 4) = substr(r.dob, 5, 4) "
    "AND substr(l.dob, 1, 3) = substr(r.dob, 1, 3)",
]
# Blocks used to train m probabilities by expectation maximisation (each leaves its own
# comparison out of the estimate, so together they cover every comparison).
TRAINING_BLOCKS = [
    "l.name_key = r.name_key AND l.sex = r.sex",
    "l.dob = r.dob AND l.district = r.district",
]

# m/u probabilities per comparison and level key. m is counted on true pairs of the labelled
# data (``quality.learn_m`` on seed 1001, 20,000 people), tempered where the generator never
# varies a field (sex, parents, spouse, birth place) so one disagreement cannot veto a pair.
# u is a starting value only: ``Linkage.train`` estimates it on the data from random pairs.
DEFAULT_MU: dict[str, dict[str, tuple[float, float]]] = {
    "name": {
        "exact": (0.438, 0.0008),
        "reordered": (0.005, 0.00001),
        "typo1": (0.35, 0.001),
        "typo2": (0.065, 0.0017),
        "initial": (0.0021, 0.00005),
        "short": (0.092, 0.0023),
        "words": (0.018, 0.0005),
        "similar": (0.023, 0.004),
        "partial": (0.0021, 0.06),
        "else": (0.019, 0.93),
    },
    "birth_date": {
        "exact": (0.67, 0.00006),
        "swapped": (0.086, 0.00002),
        "nik": (0.064, 0.00001),
        "nik_own": (0.003, 0.026),
        "typo_day": (0.051, 0.0002),
        "typo_year": (0.117, 0.0004),
        "typo_month": (0.01, 0.0004),
        "year": (0.01, 0.028),
        "else": (0.02, 0.97),
    },
    "sex": {"exact": (0.98, 0.5), "else": (0.02, 0.5)},
    "birth_place": {"exact": (0.85, 0.17), "close": (0.05, 0.012), "else": (0.1, 0.82)},
    "area": {
        "village": (0.557, 0.04),
        "district": (0.162, 0.12),
        "regency": (0.134, 0.32),
        "else": (0.147, 0.52),
    },
    "parents": {"shared": (0.85, 0.0066), "else": (0.15, 0.9934)},
    "spouse": {"shared": (0.8, 0.0009), "else": (0.2, 0.9991)},
}
# The prior comes from pairs that agree exactly on name, birth date and sex: about a quarter of
# the true pairs of the labelled data do (the rule's recall).
EXACT_RULE = "l.name_key = r.name_key AND l.dob = r.dob AND l.sex = r.sex"
EXACT_RULE_RECALL = 0.27
# A name held by one person in a million still counts as that common (Splink's floor).
TF_MINIMUM_U = 1e-6
# Share of people who have a duplicate, for the prior when no model is trained.
DEFAULT_DUPLICATE_SHARE = 0.01


def prior_for(people: int, share: float = DEFAULT_DUPLICATE_SHARE) -> float:
    """Probability that two random records are one person, in a registry of ``people``."""
    people = max(int(people), 2)
    return min(0.5, share * people / (people * (people - 1) / 2))


def settings_dict(
    mu: dict[str, dict[str, tuple[float, float]]] | None = None,
    prior: float = 1e-4,
    blocking_rules: list[str] | None = None,
) -> dict[str, Any]:
    """The Splink settings (and model) JSON for :data:`COMPARISONS`."""
    mu = DEFAULT_MU if mu is None else mu
    comparisons = []
    for comp in COMPARISONS:
        levels = []
        for level in comp.levels:
            entry: dict[str, Any] = {
                "sql_condition": level.sql,
                "label_for_charts": level.key,
            }
            if level.null:
                entry["is_null_level"] = True
            elif level.key in mu.get(comp.name, {}):
                m, u = mu[comp.name][level.key]
                entry["m_probability"] = m
                entry["u_probability"] = u
            if level.tf:
                entry["tf_adjustment_column"] = level.tf
                entry["tf_adjustment_weight"] = 1.0
                entry["tf_minimum_u_value"] = TF_MINIMUM_U
            levels.append(entry)
        comparisons.append(
            {
                "output_column_name": comp.name,
                "comparison_description": comp.name,
                "comparison_levels": levels,
            }
        )
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "blocking_rules_to_generate_predictions": list(blocking_rules or BLOCKING_RULES),
        "comparisons": comparisons,
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
    }
