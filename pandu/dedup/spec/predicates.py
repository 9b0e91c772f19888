"""The tests behind the comparison levels, in SQL and in Python, written to agree."""

from __future__ import annotations

from .distances import levenshtein
from .levels import Features, Predicate


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
