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
    tf: str | None = None  # term-frequency adjusted on this column (rarer values weigh more)


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


def levenshtein(a: str, b: str) -> int:
    """Levenshtein distance (DuckDB's ``levenshtein``)."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity (DuckDB's ``jaro_winkler_similarity``: prefix weight 0.1 over at
    most four letters, applied above 0.7; 0 when either side is empty)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    bound = max(max(la, lb) // 2 - 1, 0)
    used_a, used_b = [False] * la, [False] * lb
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - bound), min(lb, i + bound + 1)):
            if not used_b[j] and b[j] == ch:
                used_a[i] = used_b[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    half_transpositions, j = 0, 0
    for i in range(la):
        if used_a[i]:
            while not used_b[j]:
                j += 1
            half_transpositions += a[i] != b[j]
            j += 1
    m = matches
    sim = (m / la + m / lb + (m - half_transpositions // 2) / m) / 3
    if sim > 0.7:
        prefix = 0
        for x, y in zip(a[:4], b[:4], strict=False):
            if x != y:
                break
            prefix += 1
        sim += prefix * 0.1 * (1 - sim)
    return sim


def _null(*cols: str) -> Predicate:
    return lambda a, b: any(a.get(c) is None or b.get(c) is None for c in cols)


def _eq(col: str) -> Predicate:
    return lambda a, b: a[col] == b[col]


def _shared_sql(col: str) -> str:
    """Any of the (at most two) names on one side equals one on the other side."""
    a, b = f"{col}_a", f"{col}_b"
    return f"{a}_l = {a}_r OR {a}_l = {b}_r OR {b}_l = {a}_r OR {b}_l = {b}_r"


def _shared(col: str) -> Predicate:
    first, second = f"{col}_a", f"{col}_b"

    def test(a: Features, b: Features) -> bool:
        left = {a[first], a[second]} - {None}
        return bool(left & ({b[first], b[second]} - {None}))

    return test


def _part_of(a: Features, b: Features) -> bool:
    """One name is a run of whole words of the other: "baso" in "andi baso"."""
    x, y = f" {a['name_key']} ", f" {b['name_key']} "
    return x in y or y in x


# The edit distance is dear in SQL; cheap tests first rule out most pairs. Python applies the
# same tests, so both always agree. One edit leaves the first two or the last two letters alone
# (in names over five letters); two edits leave the first or the last letter alone, nearly always.
_NEAR1_SQL = (
    "abs(length(name_compact_l) - length(name_compact_r)) <= 1 "
    "AND (length(name_compact_l) <= 5 OR length(name_compact_r) <= 5 "
    "OR left(name_compact_l, 2) = left(name_compact_r, 2) "
    "OR right(name_compact_l, 2) = right(name_compact_r, 2)) "
    "AND levenshtein(name_compact_l, name_compact_r) <= 1"
)
_NEAR2_SQL = (
    "abs(length(name_compact_l) - length(name_compact_r)) <= 2 "
    "AND (left(name_compact_l, 1) = left(name_compact_r, 1) "
    "OR right(name_compact_l, 1) = right(name_compact_r, 1)) "
    "AND levenshtein(name_compact_l, name_compact_r) <= 2"
)


def _near1(a: Features, b: Features) -> bool:
    if a["name_phon"] == b["name_phon"]:
        return True
    x, y = a["name_compact"], b["name_compact"]
    return (
        abs(len(x) - len(y)) <= 1
        and (len(x) <= 5 or len(y) <= 5 or x[:2] == y[:2] or x[-2:] == y[-2:])
        and levenshtein(x, y) <= 1
    )


def _near2(a: Features, b: Features) -> bool:
    x, y = a["name_compact"], b["name_compact"]
    return (
        abs(len(x) - len(y)) <= 2
        and (x[:1] == y[:1] or x[-1:] == y[-1:])
        and levenshtein(x, y) <= 2
    )


# Every word of the shorter name is a word of the other or one letter away from one (words of
# three letters or more): a nickname or a shortened name typed with a slip, "naufl" for
# "fadil naufal", "karim abulah" for "abdul karim abdulah". In DuckDB a macro (Splink's SQL
# parser does not read lambdas), created on every linkage connection from :data:`SQL_MACROS`.
SQL_MACROS = [
    "CREATE OR REPLACE MACRO words_inside(s, l) AS "
    "len(str_split(s, ' ')) <= len(str_split(l, ' ')) "
    "AND list_bool_and(list_transform(str_split(s, ' '), lambda t: "
    "list_bool_or(list_transform(str_split(l, ' '), lambda u: t = u "
    "OR (length(t) >= 3 AND length(u) >= 3 AND levenshtein(t, u) <= 1)))))",
    "CREATE OR REPLACE MACRO words_close(a, b) AS words_inside(a, b) OR words_inside(b, a)",
]
_WORDS_CLOSE_SQL = "words_close(name_key_l, name_key_r)"


def _inside(short: list[str], long: list[str]) -> bool:
    return len(short) <= len(long) and all(
        any(t == u or (len(t) >= 3 and len(u) >= 3 and levenshtein(t, u) <= 1) for u in long)
        for t in short
    )


def _words_close(a: Features, b: Features) -> bool:
    x, y = a["name_key"].split(" "), b["name_key"].split(" ")
    return _inside(x, y) or _inside(y, x)


def _one_digit(x: str, y: str) -> bool:
    """At most one position differs (DuckDB's ``hamming`` on equal-length strings)."""
    return sum(c != d for c, d in zip(x, y, strict=True)) <= 1


def _days_apart(a: Features, b: Features) -> bool:
    return abs((a["birth_date"] - b["birth_date"]).days) <= 365


# A NIK holds its owner's birth date (``features.nik_date``). Two typed dates that differ are
# explained by a typo when the NIK of one holds the other's date, or both NIKs hold one date;
# they are two people's dates when each NIK holds its own record's date.
_NIK_EXPLAINS_SQL = "nik_date_l = dob6_r OR nik_date_r = dob6_l OR nik_date_l = nik_date_r"
_NIK_CONFIRMS_SQL = (
    "nik_date_l = dob6_l AND nik_date_r = dob6_r AND (hamming(dob_l, dob_r) <= 1 "
    "OR abs(date_diff('day', birth_date_l, birth_date_r)) <= 365)"
)


def _nik_explains(a: Features, b: Features) -> bool:
    x, y = a["nik_date"], b["nik_date"]
    return (x is not None and (x == b["dob6"] or x == y)) or (y is not None and y == a["dob6"])


def _nik_confirms(a: Features, b: Features) -> bool:
    return (
        a["nik_date"] is not None
        and a["nik_date"] == a["dob6"]
        and b["nik_date"] is not None
        and b["nik_date"] == b["dob6"]
        and (_one_digit(a["dob"], b["dob"]) or _days_apart(a, b))
    )


ELSE = "ELSE"
# Jaro-Winkler similarity from which two names that no other level explains count as similar
# (three or more typing errors in one name, letters swapped).
SIMILAR_NAME = 0.8

COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        _("Nama"),
        ("name_key", "name_compact", "name_sorted", "name_phon", "name_first", "name_rest"),
        (
            Level("null", _("tidak diisi"), "name_key_l IS NULL OR name_key_r IS NULL",
                  _null("name_key"), null=True),
            Level("exact", _("sama (setelah normalisasi ejaan dan gelar)"),
                  "name_key_l = name_key_r", _eq("name_key"), tf="name_key"),
            Level("reordered", _("kata sama, urutan atau spasi berbeda"),
                  "name_sorted_l = name_sorted_r OR name_compact_l = name_compact_r",
                  lambda a, b: a["name_sorted"] == b["name_sorted"]
                  or a["name_compact"] == b["name_compact"]),
            Level("typo1", _("beda satu huruf atau bunyi sama"),
                  "name_phon_l = name_phon_r OR (" + _NEAR1_SQL + ")", _near1),
            Level("typo2", _("beda dua huruf"), _NEAR2_SQL, _near2),
            Level("initial", _("kata pertama disingkat atau salah ketik, sisanya sama"),
                  "name_rest_l = name_rest_r AND name_first_l[1] = name_first_r[1]",
                  lambda a, b: a["name_rest"] is not None and a["name_rest"] == b["name_rest"]
                  and a["name_first"][0] == b["name_first"][0]),
            Level("short", _("nama pendek/panggilan: bagian dari nama yang lain"),
                  "contains(' ' || name_key_r || ' ', ' ' || name_key_l || ' ') "
                  "OR contains(' ' || name_key_l || ' ', ' ' || name_key_r || ' ')",
                  _part_of),
            Level("words", _("setiap kata nama yang pendek sama atau beda satu huruf dengan "
                             "kata nama yang lain"),
                  _WORDS_CLOSE_SQL, _words_close),
            Level("similar", _("mirip (beberapa huruf berbeda)"),
                  f"jaro_winkler_similarity(name_compact_l, name_compact_r) >= {SIMILAR_NAME}",
                  lambda a, b: jaro_winkler(a["name_compact"], b["name_compact"])
                  >= SIMILAR_NAME),
            Level("partial", _("hanya nama depan atau nama belakang sama"),
                  "name_first_l = name_first_r OR name_last_l = name_last_r",
                  lambda a, b: a["name_first"] == b["name_first"]
                  or a["name_last"] == b["name_last"]),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "birth_date",
        _("Tanggal lahir"),
        ("birth_date", "dob", "dob_key", "dob6", "nik_date"),
        (
            Level("null", _("tidak diisi"), "dob_l IS NULL OR dob_r IS NULL", _null("dob"),
                  null=True),
            Level("exact", _("sama"), "dob_l = dob_r", _eq("dob")),
            Level("swapped", _("tanggal dan bulan tertukar"), "dob_key_l = dob_key_r",
                  _eq("dob_key")),
            Level("nik", _("berbeda, tetapi NIK yang satu memuat tanggal lahir yang lain"),
                  _NIK_EXPLAINS_SQL, _nik_explains),
            Level("nik_own", _("berdekatan, tetapi NIK masing-masing memuat tanggal lahirnya "
                               "sendiri"),
                  _NIK_CONFIRMS_SQL, _nik_confirms),
            Level("typo_day", _("beda satu angka pada tanggal"),
                  "substr(dob_l, 1, 6) = substr(dob_r, 1, 6) AND hamming(dob_l, dob_r) <= 1",
                  lambda a, b: a["dob"][:6] == b["dob"][:6] and _one_digit(a["dob"], b["dob"])),
            Level("typo_year", _("beda satu angka pada tahun"),
                  "substr(dob_l, 5, 4) = substr(dob_r, 5, 4) AND hamming(dob_l, dob_r) <= 1",
                  lambda a, b: a["dob"][4:] == b["dob"][4:] and _one_digit(a["dob"], b["dob"])),
            Level("typo_month", _("beda satu angka pada bulan"), "hamming(dob_l, dob_r) <= 1",
                  lambda a, b: _one_digit(a["dob"], b["dob"])),
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
                  "abs(length(birth_place_l) - length(birth_place_r)) <= 2 "
                  "AND left(birth_place_l, 1) = left(birth_place_r, 1) "
                  "AND levenshtein(birth_place_l, birth_place_r) <= 2",
                  lambda a, b: abs(len(a["birth_place"]) - len(b["birth_place"])) <= 2
                  and a["birth_place"][0] == b["birth_place"][0]
                  and levenshtein(a["birth_place"], b["birth_place"]) <= 2),
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
        "parents",
        _("Nama orang tua"),
        ("parents_a", "parents_b"),
        (
            Level("null", _("tidak diketahui"), "parents_a_l IS NULL OR parents_a_r IS NULL",
                  _null("parents_a"), null=True),
            Level("shared", _("ada nama orang tua yang sama"), _shared_sql("parents"),
                  _shared("parents")),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "spouse",
        _("Nama suami/istri"),
        ("spouse_a", "spouse_b"),
        (
            Level("null", _("tidak diketahui"), "spouse_a_l IS NULL OR spouse_a_r IS NULL",
                  _null("spouse_a"), null=True),
            Level("shared", _("nama suami/istri sama"), _shared_sql("spouse"),
                  _shared("spouse")),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
)  # fmt: skip

BY_NAME = {c.name: c for c in COMPARISONS}

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
