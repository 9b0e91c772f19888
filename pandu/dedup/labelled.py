"""Labelled test data for deduplication: a synthetic population with known duplicates.

The population comes from the registry's synthetic generator (:mod:`pandu.demo.synth`:
realistic names by tradition and cohort, households, birth places, NIKs). A share of people is
then registered a second (or third) time with the variations seen in the field: old/new spelling,
Muhammad forms, typos of one or two letters, day and month swapped, no NIK or another NIK,
nicknames and short forms ("Andi Baso" → "Baso"), titles, another village or the same card.
Every pair of records of one person is a *true pair*; every other pair is not.

Pure Python and deterministic for a seed: nothing touches the database.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from pandu.demo.synth import (
    REFERENCE_DATE,
    VARIANTS,
    RegionInfo,
    RegistryGenerator,
    Village,
)
from pandu.registry.names import normalise_name

from .features import HEAD, SPOUSE, Record, family_of

OTHER = 8  # relationship "other" (choices.Relationship)

# A fixed region: Kabupaten Maros (6 districts) and part of Kota Makassar, so people can "move".
_DISTRICTS = {
    "73.09.01": "Mandai",
    "73.09.02": "Moncongloe",
    "73.09.03": "Maros Baru",
    "73.09.04": "Turikale",
    "73.09.05": "Bontoa",
    "73.09.06": "Lau",
    "73.71.01": "Mariso",
    "73.71.02": "Mamajang",
}
REGION = RegionInfo(
    code="73",
    villages=[
        Village(f"{d}.{(1 if d.startswith('73.71') else 2)}{v:03d}", f"{name} {v}")
        for d, name in _DISTRICTS.items()
        for v in range(1, 6)
    ],
    district_names=dict(_DISTRICTS),
    regency_names={"73.09": "Kabupaten Maros", "73.71": "Kota Makassar"},
    districts_by_regency={
        "73.09": [d.replace(".", "") for d in _DISTRICTS if d.startswith("73.09")],
        "73.71": [d.replace(".", "") for d in _DISTRICTS if d.startswith("73.71")],
    },
)

# How a duplicate differs from the first registration: (variation, weight).
VARIATIONS = [
    ("spelling", 18),  # old/new spelling of one word, or another form of Muhammad/Siti/Abdul...
    ("typo1", 22),  # one letter wrong, missing, doubled or swapped
    ("typo2", 8),  # two such mistakes
    ("swap_day_month", 14),  # 05-17-1980 for 17-05-1980
    ("date_typo", 6),  # one digit of the day or year wrong
    ("nickname", 10),  # first given name dropped: "Andi Baso" -> "Baso"
    ("title", 10),  # H., Hj., Drs., ", S.Pd." added
    ("place", 6),  # birth place missing or spelt differently
]
# What happened to the NIK of the second registration: (kind, weight).
NIK_CHANGES = [("missing", 30), ("different", 40), ("typo", 10), ("serial", 20)]
# Where the second registration was made: (kind, weight).
PLACEMENTS = [
    ("same_household", 20),  # entered twice on one family card
    ("same_village", 30),  # in another family of the same village (e.g. a married child)
    ("same_district", 20),  # moved within the district
    ("elsewhere", 30),  # moved further, or registered by another office
]

_TITLES_BEFORE = {"L": ["H.", "Drs.", "Ir.", "Haji"], "P": ["Hj.", "Dra.", "Hajjah"]}
_TITLES_AFTER = [", S.Pd.", ", S.E.", ", S.Sos.", ", S.Pd.I", ", A.Md.", " S.Ag"]
_NEAR_KEYS = {
    "a": "es", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "r": "et", "s": "ad", "t": "ry", "u": "yi", "w": "qe", "y": "tu", "z": "x",
}  # fmt: skip
_PLACE_SPELLINGS = {
    "Makassar": ["Makasar", "Ujung Pandang", "Kota Makassar"],
    "Maros": ["Kab. Maros", "Marros"],
    "Gowa": ["Sungguminasa", "Kab. Gowa"],
    "Bone": ["Watampone", "Kab. Bone"],
}


@dataclass
class LabelledPerson:
    id: int
    full_name: str
    nik: str | None
    sex: str
    birth_date: date
    birth_place: str
    area_code: str
    household_id: int
    relationship: int
    person: int  # the real person this record is of (the first record's id)
    variations: tuple[str, ...] = ()

    def raw(self) -> tuple:
        return (
            self.id,
            self.nik,
            normalise_name(self.full_name),
            self.sex,
            self.birth_date,
            self.birth_place or None,
            self.area_code,
            self.household_id,
            self.relationship,
        )


@dataclass
class LabelledSet:
    people: list[LabelledPerson]
    truth: set[tuple[int, int]]
    seed: int
    variation_counts: Counter = field(default_factory=Counter)

    def rows(self) -> list[tuple]:
        return [p.raw() for p in self.people]

    def by_id(self) -> dict[int, LabelledPerson]:
        return {p.id: p for p in self.people}

    def duplicates(self) -> list[LabelledPerson]:
        return [p for p in self.people if p.id != p.person]

    def record(self, person: LabelledPerson) -> Record:
        """The person as the online check would see them (family from their household)."""
        members = self._households().get(person.household_id, [])
        return Record(
            unique_id=person.id,
            full_name=person.full_name,
            nik=person.nik,
            sex=person.sex,
            birth_date=person.birth_date,
            birth_place=person.birth_place,
            area_code=person.area_code,
            **family_of(person.relationship, [(m.relationship, m.full_name) for m in members]),
        )

    def _households(self) -> dict[int, list[LabelledPerson]]:
        cache = getattr(self, "_hh_cache", None)
        if cache is None:
            cache = {}
            for p in self.people:
                cache.setdefault(p.household_id, []).append(p)
            self._hh_cache = cache
        return cache


def generate(people: int = 5000, seed: int = 1, duplicate_share: float = 0.08) -> LabelledSet:
    """About ``people`` first registrations, of whom ``duplicate_share`` are registered again."""
    rng = random.Random(f"pandu-dedup-labelled|{seed}")
    generator = RegistryGenerator(
        REGION,
        households=max(1, people // 3),
        seed=seed,
        categories=[],
        name_key=normalise_name,
    )
    records: list[LabelledPerson] = []
    households: list[tuple[int, str, list[LabelledPerson]]] = []
    next_id = 1
    for hh_index, household in enumerate(generator, start=1):
        members = []
        for gp in household.members:
            p = LabelledPerson(
                id=next_id,
                full_name=gp.full_name,
                nik=gp.nik,
                sex=gp.sex,
                birth_date=gp.birth_date,
                birth_place=gp.birth_place,
                area_code=household.village_code,
                household_id=hh_index,
                relationship=gp.relationship,
                person=next_id,
            )
            next_id += 1
            members.append(p)
        records.extend(members)
        households.append((hh_index, household.village_code, members))
        if len(records) >= people:
            break

    originals = list(records)
    chosen = rng.sample(originals, int(len(originals) * duplicate_share))
    next_household = len(households) + 1
    counts: Counter = Counter()
    truth: set[tuple[int, int]] = set()
    by_village: dict[str, list] = {}
    by_district: dict[str, list] = {}
    for h in households:
        by_village.setdefault(h[1], []).append(h)
        by_district.setdefault(h[1][:8], []).append(h)
    for original in chosen:
        copies = 2 if rng.random() < 0.1 else 1
        cluster = [original.id]
        for _ in range(copies):
            dup, kinds = _variant(original, rng)
            placement = _pick(PLACEMENTS, rng)
            if placement == "same_household":
                dup.household_id, dup.area_code = original.household_id, original.area_code
                dup.relationship = (
                    OTHER if original.relationship in (HEAD, SPOUSE) else (original.relationship)
                )
            else:
                if placement == "same_village":
                    pool = by_village.get(original.area_code, [])
                elif placement == "same_district":
                    pool = by_district.get(original.area_code[:8], [])
                else:
                    pool = households
                pool = [h for h in pool if h[0] != original.household_id] or households
                if rng.random() < 0.6:
                    hh_id, village, _members = pool[rng.randrange(len(pool))]
                    dup.household_id, dup.area_code, dup.relationship = hh_id, village, OTHER
                else:
                    dup.household_id, dup.area_code, dup.relationship = (
                        next_household,
                        pool[rng.randrange(len(pool))][1],
                        HEAD,
                    )
                    next_household += 1
            dup.id = next_id
            next_id += 1
            dup.variations = (*kinds, f"nik_{dup._nik_change}", placement)  # type: ignore[attr-defined]
            counts.update(dup.variations)
            records.append(dup)
            cluster.append(dup.id)
        for i, a in enumerate(cluster):
            for b in cluster[i + 1 :]:
                truth.add((min(a, b), max(a, b)))
    return LabelledSet(people=records, truth=truth, seed=seed, variation_counts=counts)


def _pick(table: list[tuple[str, int]], rng: random.Random) -> str:
    total = sum(w for _k, w in table)
    r = rng.random() * total
    for key, weight in table:
        r -= weight
        if r < 0:
            return key
    return table[-1][0]


def _variant(p: LabelledPerson, rng: random.Random) -> tuple[LabelledPerson, list[str]]:
    """A second registration of ``p`` with one to three variations."""
    dup = LabelledPerson(
        id=0,
        full_name=p.full_name,
        nik=p.nik,
        sex=p.sex,
        birth_date=p.birth_date,
        birth_place=p.birth_place,
        area_code=p.area_code,
        household_id=p.household_id,
        relationship=p.relationship,
        person=p.person,
    )
    # One variation for most, two for a quarter, three for a few (on top of the NIK and place).
    r = rng.random()
    n = 1 if r < 0.67 else 2 if r < 0.94 else 3
    kinds: list[str] = []
    while len(kinds) < n:
        kind = _pick(VARIATIONS, rng)
        if kind in kinds or (kind == "nickname" and "typo2" in kinds):
            continue
        if kind == "typo2" and "nickname" in kinds:
            continue
        if kind == "swap_day_month" and (
            p.birth_date.day > 12 or p.birth_date.day == p.birth_date.month
        ):
            kind = "date_typo"
            if kind in kinds:
                continue
        applied = _apply(dup, kind, rng)
        if applied:
            kinds.append(kind)
        elif len(kinds) == 0 and kind in ("nickname", "spelling"):
            continue  # nothing to vary in this name that way; draw another variation
    change = _pick(NIK_CHANGES, rng)
    dup.nik = _change_nik(p.nik, change, rng)
    dup._nik_change = change  # type: ignore[attr-defined]
    return dup, kinds


def _apply(d: LabelledPerson, kind: str, rng: random.Random) -> bool:
    if kind == "spelling":
        return _respell(d, rng)
    if kind in ("typo1", "typo2"):
        name = d.full_name
        for _ in range(1 if kind == "typo1" else 2):
            name = _typo(name, rng)
        d.full_name = name
        return True
    if kind == "swap_day_month":
        b = d.birth_date
        if b.day > 12 or b.day == b.month:
            return False
        d.birth_date = date(b.year, b.day, b.month)
        return True
    if kind == "date_typo":
        # One digit of the day or of the year typed wrong (the month is picked from a list).
        b = d.birth_date
        for _ in range(20):
            text = f"{b:%d%m%Y}"
            i = rng.choice([0, 1, 7, 7, 6])
            typed = text[:i] + rng.choice("0123456789".replace(text[i], "")) + text[i + 1 :]
            try:
                new = date(int(typed[4:]), int(typed[2:4]), int(typed[:2]))
            except ValueError:
                continue
            if abs(new.year - b.year) <= 10 and new <= REFERENCE_DATE:
                d.birth_date = new
                return True
        return False
    if kind == "nickname":
        words = d.full_name.split(",")[0].split()
        if len(words) < 2:
            return False
        d.full_name = " ".join(words[1:] if rng.random() < 0.75 else words[:-1])
        return True
    if kind == "title":
        if rng.random() < 0.6:
            d.full_name = f"{rng.choice(_TITLES_BEFORE[d.sex])} {d.full_name}"
        else:
            d.full_name = d.full_name.split(",")[0] + rng.choice(_TITLES_AFTER)
        return True
    if kind == "place":
        options = _PLACE_SPELLINGS.get(d.birth_place)
        if options and rng.random() < 0.6:
            d.birth_place = rng.choice(options)
        elif rng.random() < 0.5:
            d.birth_place = ""
        else:
            d.birth_place = _typo(d.birth_place or "Maros", rng)
        return True
    return False


def _respell(d: LabelledPerson, rng: random.Random) -> bool:
    words = d.full_name.split()
    forms = [i for i, w in enumerate(words) if w.rstrip(".,") in VARIANTS]
    if forms and rng.random() < 0.6:
        i = rng.choice(forms)
        base = words[i].rstrip(".,")
        pick = VARIANTS[base]
        choices = [v for v in pick.values if v != base]
        if choices:
            words[i] = str(rng.choice(choices))
            d.full_name = " ".join(words)
            return True
    candidates = [
        i
        for i, w in enumerate(words)
        if any(s in w.lower() for s in "ujcy") or "kh" in w.lower() or "sy" in w.lower()
    ]
    if not candidates:
        return False
    i = rng.choice(candidates)
    words[i] = to_old_spelling(words[i])
    d.full_name = " ".join(words)
    return True


def to_old_spelling(word: str) -> str:
    """Modern → pre-1972 spelling: u→oe, j→dj, c→tj, y→j, kh→ch, sy→sj ("Yusuf"→"Joesoef")."""
    lower = word.lower()
    out = (
        lower.replace("kh", "\2")
        .replace("sy", "\1")
        .replace("j", "\0")
        .replace("c", "tj")
        .replace("y", "j")
        .replace("\0", "dj")
        .replace("\1", "sj")
        .replace("\2", "ch")
        .replace("u", "oe")
    )
    return out[:1].upper() + out[1:] if word[:1].isupper() else out


def _typo(name: str, rng: random.Random) -> str:
    """One keyboard or hearing mistake, never on the first letter."""
    chars = list(name)
    letters = [i for i, ch in enumerate(chars) if ch.isalpha() and i > 0]
    if not letters:
        return name
    i = rng.choice(letters)
    kind = rng.random()
    ch = chars[i].lower()
    if kind < 0.35:
        near = _NEAR_KEYS.get(ch, "aeiou")
        chars[i] = rng.choice(near)
    elif kind < 0.6:
        del chars[i]
    elif kind < 0.8:
        chars.insert(i, rng.choice("aeiounrh"))
    elif i + 1 < len(chars) and chars[i + 1].isalpha():
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    else:
        chars.insert(i, chars[i])
    return "".join(chars)


def _change_nik(nik: str | None, change: str, rng: random.Random) -> str | None:
    if not nik or change == "missing":
        return None
    if change == "typo":
        i = rng.randrange(12, 16) if rng.random() < 0.5 else rng.randrange(0, 16)
        digit = str((int(nik[i]) + rng.randint(1, 9)) % 10)
        return nik[:i] + digit + nik[i + 1 :]
    if change == "serial":
        return nik[:12] + f"{rng.randint(1, 9999):04d}"
    # A different NIK altogether: another district and date (a borrowed or made-up number).
    return f"73{rng.randint(1, 99):02d}{rng.randint(1, 30):02d}{rng.randint(1, 28):02d}" + (
        f"{rng.randint(1, 12):02d}{rng.randint(40, 99):02d}{rng.randint(1, 9999):04d}"
    )
