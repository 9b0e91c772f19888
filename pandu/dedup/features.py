"""What a person looks like to the linkage model: names, dates, places and family reduced to
comparison features. Pure functions, shared by the batch run (DuckDB), the online check and the
labelled test data, so the three see exactly the same values.

Names are normalised with :mod:`pandu.registry.names` (old/new spelling, Muhammad forms, titles,
doubled letters); see ``docs/dedup.md`` for the features built on top of that key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, TypedDict

from pandu.registry.names import normalise_name

# Feature columns, in the order of the DuckDB input table.
COLUMNS = [
    "unique_id",
    "nik",
    "name_key",
    "name_compact",
    "name_sorted",
    "name_first",
    "name_last",
    "name_rest",
    "name_phon",
    "birth_date",
    "dob",
    "dob_year",
    "dob_key",
    "dob6",
    "nik_date",
    "sex",
    "birth_place",
    "village",
    "district",
    "regency",
    "parents_a",
    "parents_b",
    "spouse_a",
    "spouse_b",
]

HEAD, SPOUSE, CHILD = 1, 2, 3  # choices.Relationship
_PLACE_WORDS = frozenset({"kota", "kab", "kabupaten", "kec", "kecamatan", "desa", "kel"})
# Letter groups that Indonesian spellings swap freely (f/p in Fatimah/Patimah, z/j/s, q/k, v/f).
_PHON_MAP = str.maketrans({"q": "k", "v": "f", "p": "f", "z": "s", "x": "s", "y": "i", "w": "u"})
_PHON_PAIRS = (("kh", "h"), ("sy", "s"), ("dz", "s"), ("ts", "s"), ("ng", "n"), ("ny", "n"))
_VOWELS_AND_H = re.compile(r"[aeiouh]")
_REPEAT = re.compile(r"(.)\1+")


@dataclass(frozen=True, slots=True)
class NameFeatures:
    key: str
    compact: str
    sorted: str
    first: str
    last: str
    rest: str  # every word after the first: "muhamad arsyad" -> "arsyad"
    tokens: tuple[str, ...]
    phon: str


@lru_cache(maxsize=200_000)
def name_features_from_key(key: str) -> NameFeatures | None:
    """Features of an already normalised name key (``Person.name_key``)."""
    tokens = tuple(key.split())
    if not tokens:
        return None
    compact = "".join(tokens)
    return NameFeatures(
        key=" ".join(tokens),
        compact=compact,
        sorted=" ".join(sorted(tokens)),
        first=tokens[0],
        last=tokens[-1],
        rest=" ".join(tokens[1:]),
        tokens=tokens,
        phon=phonetic_key(compact),
    )


def name_features(name: str | None) -> NameFeatures | None:
    return name_features_from_key(normalise_name(name))


@lru_cache(maxsize=200_000)
def phonetic_key(compact: str) -> str:
    """A coarse sound key for blocking: first letter, then consonants with look-alikes merged.

    "muhamadrahman", "mukhamadrakhman" and "muhamadrahmang" all give "mmdrmn".
    """
    if not compact:
        return ""
    s = compact
    for a, b in _PHON_PAIRS:
        s = s.replace(a, b)
    s = s.translate(_PHON_MAP)
    head, rest = s[0], _VOWELS_AND_H.sub("", s[1:])
    return _REPEAT.sub(r"\1", head + rest)


@lru_cache(maxsize=50_000)
def place_key(place: str | None) -> str | None:
    """Birth place for comparison: the name key without "Kota", "Kab." and spaces."""
    tokens = [t for t in normalise_name(place).split() if t not in _PLACE_WORDS]
    return "".join(tokens) or None


def dob_key(born: date) -> str:
    """Year and the day/month pair in either order: a swapped day and month give the same key."""
    a, b = sorted((born.day, born.month))
    return f"{born.year:04d}{a:02d}{b:02d}"


def area_parts(code: str | None) -> tuple[str | None, str | None, str | None]:
    """(village, district, regency) of a dotted area code; missing levels are None."""
    code = (code or "").strip()
    village = code if len(code) >= 13 else None
    district = code[:8] if len(code) >= 8 else None
    regency = code[:5] if len(code) >= 5 else None
    return village, district, regency


def nik_date(nik: str | None) -> str | None:
    """The birth date a NIK holds, as ``YYMMDD`` (40 taken off a woman's day); None if unreadable.

    Compared with the other record's ``dob6`` it tells a typo in a typed birth date from
    another person: see the ``birth_date`` comparison in :mod:`pandu.dedup.spec`.
    """
    if not nik or len(nik) != 16 or not (nik.isascii() and nik.isdigit()):  # as the SQL's [0-9]
        return None
    day, month = int(nik[6:8]), int(nik[8:10])
    if not 1 <= month <= 12 or not (1 <= day <= 31 or 41 <= day <= 71):
        return None
    return f"{nik[10:12]}{month:02d}{day % 40:02d}"


def clean_nik(value: Any) -> str | None:
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    return digits if len(digits) == 16 and digits != "0" * 16 else None


@dataclass(slots=True)
class Record:
    """One person as the linkage sees them (a registry row, a form being filled, a test record)."""

    unique_id: int
    full_name: str = ""
    name_key: str | None = None
    nik: str | None = None
    sex: str | None = None
    birth_date: date | None = None
    birth_place: str | None = None
    area_code: str | None = None
    parents: list[str] = field(default_factory=list)  # names (or keys) of father/mother
    spouse: list[str] = field(default_factory=list)  # names (or keys) of husband/wife

    def features(self) -> dict[str, Any]:
        key = self.name_key if self.name_key is not None else normalise_name(self.full_name)
        nf = name_features_from_key(key)
        born = self.birth_date
        village, district, regency = area_parts(self.area_code)
        nik = clean_nik(self.nik)
        return {
            "unique_id": self.unique_id,
            "nik": nik,
            "name_key": nf.key if nf else None,
            "name_compact": nf.compact if nf else None,
            "name_sorted": nf.sorted if nf else None,
            "name_first": nf.first if nf else None,
            "name_last": nf.last if nf else None,
            "name_rest": (nf.rest or None) if nf else None,
            "name_phon": nf.phon if nf else None,
            "birth_date": born,
            "dob": f"{born:%Y%m%d}" if born else None,
            "dob_year": born.year if born else None,
            "dob_key": dob_key(born) if born else None,
            "dob6": f"{born:%y%m%d}" if born else None,
            "nik_date": nik_date(nik),
            "sex": self.sex or None,
            "birth_place": place_key(self.birth_place),
            "village": village,
            "district": district,
            "regency": regency,
            **_two("parents", self.parents),
            **_two("spouse", self.spouse),
        }


def _two(prefix: str, names: list[str]) -> dict[str, str | None]:
    """The first two distinct name keys, sorted (a head with several wives keeps two)."""
    keys = sorted({k for k in (normalise_name(n) for n in names) if k})
    return {
        f"{prefix}_a": keys[0] if keys else None,
        f"{prefix}_b": keys[1] if len(keys) > 1 else None,
    }


class Family(TypedDict):
    parents: list[str]
    spouse: list[str]


def family_of(relationship: int, members: list[tuple[int, str]]) -> Family:
    """Parents (for a child: the head and spouse) and spouse (head <-> spouse) by household.

    The batch run derives the same lists in SQL (see ``linkage.Linkage._features``).
    """
    heads = [name for rel, name in members if rel == HEAD]
    wives = [name for rel, name in members if rel == SPOUSE]
    parents = heads + wives if relationship == CHILD else []
    spouse = wives if relationship == HEAD else heads if relationship == SPOUSE else []
    return {"parents": parents, "spouse": spouse}
