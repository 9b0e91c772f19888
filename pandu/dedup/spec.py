"""The linkage model: which fields are compared, at which levels, and how a pair is scored.

Each comparison level has its SQL (for Splink on DuckDB, the batch run) and the same test in
Python (for the online check and the review screen), so a pair gets the same levels either way.
A trained model is a Splink settings JSON; its m/u probabilities are read back by level key.
When none is trained, :data:`DEFAULT_MU` holds the values learned on the labelled test data.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

Features = dict[str, Any]
Predicate = Callable[[Features, Features], bool]


@dataclass(frozen=True)
class Level:
    key: str
    label: Any  # a lazy translation
    sql: str
    test: Predicate | None = None  # None: the ELSE level
    null: bool = False


@dataclass(frozen=True)
class Comparison:
    name: str
    label: Any
    columns: tuple[str, ...]
    levels: tuple[Level, ...]

    def level_for(self, left: Features, right: Features) -> Level:
        for level in self.levels:
            if level.test is None or level.test(left, right):
                return level
        raise AssertionError("a comparison must end with an ELSE level")


# --- Distances that match DuckDB's functions exactly ----------------------------------------


def damerau_levenshtein(a: str, b: str) -> int:
    """Unrestricted Damerau-Levenshtein distance (DuckDB's ``damerau_levenshtein``)."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if not la or not lb:
        return la or lb
    if abs(la - lb) > 2 and min(la, lb) > 0:
        # Only thresholds up to 2 are ever asked; the exact value above that does not matter.
        return abs(la - lb)
    big = la + lb
    last_row: dict[str, int] = {}
    d = [[big] * (lb + 2)] + [[big] + [0] * (lb + 1) for _ in range(la + 1)]
    for i in range(la + 1):
        d[i + 1][1] = i
    for j in range(lb + 1):
        d[1][j + 1] = j
    for i in range(1, la + 1):
        ca = a[i - 1]
        last_match_col = 0
        for j in range(1, lb + 1):
            cb = b[j - 1]
            k = last_row.get(cb, 0)
            el = last_match_col
            if ca == cb:
                cost = 0
                last_match_col = j
            else:
                cost = 1
            d[i + 1][j + 1] = min(
                d[i][j] + cost,
                d[i + 1][j] + 1,
                d[i][j + 1] + 1,
                d[k][el] + (i - k - 1) + 1 + (j - el - 1),
            )
        last_row[ca] = i
    return d[la + 1][lb + 1]


def _null(*cols: str) -> Predicate:
    return lambda l, r: any(l.get(c) is None or r.get(c) is None for c in cols)


def _eq(col: str) -> Predicate:
    return lambda l, r: l[col] == r[col]


def _dl(col: str, most: int) -> Predicate:
    return lambda l, r: damerau_levenshtein(l[col], r[col]) <= most


def _any_shared(col: str) -> Predicate:
    return lambda l, r: bool(set(l[col]) & set(r[col]))


def _subset(l: Features, r: Features) -> bool:
    a, b = set(l["name_tokens"]), set(r["name_tokens"])
    return a <= b or b <= a


def _days_apart(l: Features, r: Features) -> bool:
    return abs((l["birth_date"] - r["birth_date"]).days) <= 365


ELSE = "ELSE"

COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        _("Nama"),
        ("name_key", "name_compact", "name_sorted", "name_phon", "name_tokens"),
        (
            Level("null", _("tidak diisi"), "name_key_l IS NULL OR name_key_r IS NULL",
                  _null("name_key"), null=True),
            Level("exact", _("sama (setelah normalisasi ejaan dan gelar)"),
                  "name_key_l = name_key_r", _eq("name_key")),
            Level("reordered", _("kata sama, urutan atau spasi berbeda"),
                  "name_sorted_l = name_sorted_r OR name_compact_l = name_compact_r",
                  lambda l, r: l["name_sorted"] == r["name_sorted"]
                  or l["name_compact"] == r["name_compact"]),
            Level("typo1", _("beda satu huruf atau bunyi sama"),
                  "damerau_levenshtein(name_compact_l, name_compact_r) <= 1 "
                  "OR name_phon_l = name_phon_r",
                  lambda l, r: l["name_phon"] == r["name_phon"]
                  or damerau_levenshtein(l["name_compact"], r["name_compact"]) <= 1),
            Level("typo2", _("beda dua huruf"),
                  "damerau_levenshtein(name_compact_l, name_compact_r) <= 2",
                  _dl("name_compact", 2)),
            Level("short", _("nama pendek/panggilan: semua kata ada di nama yang lain"),
                  "list_has_all(name_tokens_l, name_tokens_r) "
                  "OR list_has_all(name_tokens_r, name_tokens_l)",
                  _subset),
            Level("partial", _("hanya nama depan atau nama belakang sama"),
                  "name_first_l = name_first_r OR name_last_l = name_last_r",
                  lambda l, r: l["name_first"] == r["name_first"]
                  or l["name_last"] == r["name_last"]),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "birth_date",
        _("Tanggal lahir"),
        ("birth_date", "dob", "dob_key"),
        (
            Level("null", _("tidak diisi"), "dob_l IS NULL OR dob_r IS NULL", _null("dob"),
                  null=True),
            Level("exact", _("sama"), "dob_l = dob_r", _eq("dob")),
            Level("swapped", _("tanggal dan bulan tertukar"), "dob_key_l = dob_key_r",
                  _eq("dob_key")),
            Level("typo", _("beda satu angka"), "damerau_levenshtein(dob_l, dob_r) <= 1",
                  _dl("dob", 1)),
            Level("year", _("selisih kurang dari setahun"),
                  "abs(date_diff('day', birth_date_l, birth_date_r)) <= 365", _days_apart),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "sex",
        _("Jenis kelamin"),
        ("sex",),
        (
            Level("null", _("tidak diisi"), "sex_l IS NULL OR sex_r IS NULL", _null("sex"),
                  null=True),
            Level("exact", _("sama"), "sex_l = sex_r", _eq("sex")),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "birth_place",
        _("Tempat lahir"),
        ("birth_place",),
        (
            Level("null", _("tidak diisi"), "birth_place_l IS NULL OR birth_place_r IS NULL",
                  _null("birth_place"), null=True),
            Level("exact", _("sama"), "birth_place_l = birth_place_r", _eq("birth_place")),
            Level("close", _("mirip (beda 1–2 huruf)"),
                  "damerau_levenshtein(birth_place_l, birth_place_r) <= 2",
                  _dl("birth_place", 2)),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "area",
        _("Wilayah tempat tinggal"),
        ("village", "district", "regency"),
        (
            Level("null", _("tidak diketahui"), "regency_l IS NULL OR regency_r IS NULL",
                  _null("regency"), null=True),
            Level("village", _("desa/kelurahan sama"), "village_l = village_r",
                  _eq("village")),
            Level("district", _("kecamatan sama"), "district_l = district_r", _eq("district")),
            Level("regency", _("kabupaten/kota sama"), "regency_l = regency_r", _eq("regency")),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "nik",
        _("NIK"),
        ("nik",),
        (
            Level("null", _("salah satu tanpa NIK"), "nik_l IS NULL OR nik_r IS NULL",
                  _null("nik"), null=True),
            Level("close", _("sama atau beda satu angka"),
                  "damerau_levenshtein(nik_l, nik_r) <= 1", _dl("nik", 1)),
            Level("prefix", _("wilayah dan tanggal di NIK sama, nomor urut beda"),
                  "substr(nik_l, 1, 12) = substr(nik_r, 1, 12)",
                  lambda l, r: l["nik"][:12] == r["nik"][:12]),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "parents",
        _("Nama orang tua"),
        ("parents",),
        (
            Level("null", _("tidak diketahui"), "parents_l IS NULL OR parents_r IS NULL",
                  _null("parents"), null=True),
            Level("shared", _("ada nama orang tua yang sama"),
                  "list_has_any(parents_l, parents_r)", _any_shared("parents")),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "spouse",
        _("Nama suami/istri"),
        ("spouse",),
        (
            Level("null", _("tidak diketahui"), "spouse_l IS NULL OR spouse_r IS NULL",
                  _null("spouse"), null=True),
            Level("shared", _("nama suami/istri sama"), "list_has_any(spouse_l, spouse_r)",
                  _any_shared("spouse")),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
)  # fmt: skip

BY_NAME = {c.name: c for c in COMPARISONS}

# Candidate pairs for the batch run: any one rule is enough (see docs/dedup.md).
BLOCKING_RULES = [
    "l.dob_key = r.dob_key",  # same birth date, or day and month swapped
    "l.name_phon = r.name_phon AND l.dob_year = r.dob_year",
    "l.name_phon = r.name_phon AND l.district = r.district",
    "substr(l.nik, 1, 12) = substr(r.nik, 1, 12)",
]
# Blocks used to train m probabilities by expectation maximisation (each leaves its own
# comparison out of the estimate, so together they cover every comparison).
TRAINING_BLOCKS = [
    "l.name_key = r.name_key AND l.sex = r.sex",
    "l.dob = r.dob AND l.district = r.district",
]

# m/u probabilities per comparison and level key, learned on the labelled data set
# (``manage.py dedup_quality``); used until a model is trained on the registry itself.
DEFAULT_MU: dict[str, dict[str, tuple[float, float]]] = {
    "name": {
        "exact": (0.62, 0.0004),
        "reordered": (0.01, 0.00001),
        "typo1": (0.2, 0.002),
        "typo2": (0.05, 0.004),
        "short": (0.08, 0.01),
        "partial": (0.02, 0.08),
        "else": (0.02, 0.9),
    },
    "birth_date": {
        "exact": (0.8, 0.00008),
        "swapped": (0.08, 0.00003),
        "typo": (0.05, 0.0006),
        "year": (0.03, 0.01),
        "else": (0.04, 0.99),
    },
    "sex": {"exact": (0.99, 0.5), "else": (0.01, 0.5)},
    "birth_place": {"exact": (0.8, 0.35), "close": (0.05, 0.02), "else": (0.15, 0.63)},
    "area": {
        "village": (0.6, 0.02),
        "district": (0.15, 0.1),
        "regency": (0.15, 0.5),
        "else": (0.1, 0.38),
    },
    "nik": {"close": (0.3, 0.000001), "prefix": (0.1, 0.0001), "else": (0.6, 0.999)},
    "parents": {"shared": (0.7, 0.01), "else": (0.3, 0.99)},
    "spouse": {"shared": (0.6, 0.001), "else": (0.4, 0.999)},
}
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


# --- Scoring in Python ----------------------------------------------------------------------


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

    def levels_from_gammas(self, gammas: dict[str, int]) -> dict[str, str]:
        """Splink's comparison vector (gamma per comparison) as level keys."""
        out = {}
        for comp in COMPARISONS:
            g = gammas.get(comp.name)
            if g is None or g < 0:
                out[comp.name] = "null"
                continue
            non_null = [lv for lv in comp.levels if not lv.null]
            out[comp.name] = non_null[len(non_null) - 1 - int(g)].key
        return out

    def score_levels(self, levels: dict[str, str]) -> tuple[float, float, list[dict[str, Any]]]:
        """(probability, match weight, evidence) for a pair's levels."""
        prior_weight = math.log2(self.prior / (1 - self.prior))
        total = prior_weight
        evidence = []
        for comp in COMPARISONS:
            key = levels.get(comp.name, "null")
            w = 0.0 if key == "null" else self.weight(comp.name, key)
            total += w
            evidence.append({"comparison": comp.name, "level": key, "weight": round(w, 2)})
        return probability(total), total, evidence

    def score(self, left: Features, right: Features) -> tuple[float, float, list[dict[str, Any]]]:
        levels = {c.name: c.level_for(left, right).key for c in COMPARISONS}
        return self.score_levels(levels)


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
