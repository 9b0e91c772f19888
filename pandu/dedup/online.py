""" "This may be the same person as ...": the linkage check for one person being registered.

A few indexed queries find candidates (the same name key; a name starting with the same word and
the same or swapped birth date; the same village and birth year; the same NIK region and date),
then the trained model scores each one in Python with the same comparison levels as the batch
run. Only people the user may see are suggested.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet

from pandu.regions.models import Area, Level
from pandu.registry.models import Household, Person
from pandu.registry.nik import nik_date_digits

from . import spec
from .features import Record, clean_nik, dob_key, family_of
from .pipeline import current_model

ONLINE_THRESHOLD = 0.5  # suggest from here: a person at the desk settles it in seconds
CANDIDATES_PER_QUERY = 200
_FIELDS = (
    "id",
    "uid",
    "nik",
    "full_name",
    "name_key",
    "sex",
    "birth_date",
    "birth_place",
    "area_code",
    "household_id",
    "relationship",
)
COUNT_CACHE_SECONDS = 600
MODEL_CACHE_SECONDS = 60


def possible_duplicates(
    data: dict[str, Any],
    *,
    user=None,
    among: QuerySet[Person] | None = None,
    limit: int = 5,
    exclude: Person | None = None,
) -> list[tuple[Person, float, list[dict[str, Any]]]]:
    """People the user may see who may be the person described by ``data``, best first.

    Work done for an area rather than for a person (an import's check of the people it
    created) passes the people to look among instead: ``among=Person.objects.in_area(code)``.
    ``data`` holds form or import fields: full_name, birth_date (date or "dd-mm-yyyy" or ISO),
    sex, birth_place, nik, village (or area_code), household (a Household or its uid) and
    relationship. Returns ``(person, probability, evidence)`` with probability >= 0.5.
    """
    record = record_from_data(data)
    features = record.features()
    if features["name_key"] is None or features["birth_date"] is None:
        return []
    if among is None:
        among = Person.objects.visible_to(user)
    visible = among.filter(status="active")
    if exclude is not None:
        visible = visible.exclude(pk=exclude.pk)
    rows = _candidates(visible, features)
    if not rows:
        return []
    families = _families({r["household_id"] for r in rows if r["household_id"]})
    model = _model()
    frequencies = _name_frequencies(features["name_key"])
    scored = []
    for row in rows:
        other = Record(
            unique_id=row["id"],
            full_name=row["full_name"],
            name_key=row["name_key"],
            nik=row["nik"],
            sex=row["sex"],
            birth_date=row["birth_date"],
            birth_place=row["birth_place"],
            area_code=row["area_code"],
            **family_of(row["relationship"], families.get(row["household_id"], [])),
        ).features()
        probability, _weight, evidence = model.score(features, other, frequencies)
        if probability >= ONLINE_THRESHOLD:
            scored.append((row["id"], probability, evidence))
    scored.sort(key=lambda t: -t[1])
    scored = scored[:limit]
    people = Person.objects.in_bulk([pk for pk, _p, _e in scored])
    return [(people[pk], p, ev) for pk, p, ev in scored if pk in people]


def record_from_data(data: dict[str, Any]) -> Record:
    village = str(data.get("village") or data.get("area_code") or "").strip()
    household = data.get("household")
    relationship = _int(data.get("relationship"))
    members: list[tuple[int, str]] = []
    if household:
        hh = household if isinstance(household, Household) else _household(household)
        if hh is not None:
            village = village or hh.village_id
            members = [
                (rel, name)
                for rel, name in Person.objects.filter(
                    household=hh, status="active", relationship__in=(1, 2)
                ).values_list("relationship", "full_name")
            ]
    return Record(
        unique_id=0,
        full_name=str(data.get("full_name") or ""),
        nik=clean_nik(data.get("nik")),
        sex=str(data.get("sex") or "") or None,
        birth_date=parse_date(data.get("birth_date")),
        birth_place=str(data.get("birth_place") or "") or None,
        area_code=getattr(village, "code", village) or None,
        **family_of(relationship or 0, members),
    )


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    # Day first, as written in Indonesia; a month over 12 means it was written month first.
    for fmt in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%m-%d-%Y", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _household(uid) -> Household | None:
    try:
        return Household.objects.filter(uid=uid).first()
    except Exception:  # a malformed uuid
        return None


def _dates(born: date) -> list[date]:
    out = [born]
    if born.day <= 12 and born.day != born.month:
        out.append(date(born.year, born.day, born.month))
    return out


def _candidates(visible, f: dict[str, Any]) -> list[dict[str, Any]]:
    """Union of small indexed look-ups (see the module docstring)."""
    born: date = f["birth_date"]
    dates = _dates(born)
    queries = [visible.filter(name_key=f["name_key"])]
    # A name starting like this one (first word and the start of the second, so "muhamad"
    # alone never scans a tenth of the registry), or starting with its last word.
    first = f["name_first"]
    if f["name_rest"]:
        first = f"{first} {f['name_rest'][:2]}"
    for word in {first, f["name_last"]}:
        if word and len(word) >= 3:
            queries.append(visible.filter(name_key__prefix=word, birth_date__in=dates))
    # Same birth date (or swapped) and sex anywhere in the regency, through the NIK index:
    # a NIK holds the district and the birth date (day + 40 for women).
    nik_ranges = _nik_date_prefixes(f["regency"], dates, f["sex"])
    if nik_ranges:
        match = Q()
        for prefix in nik_ranges:
            match |= Q(nik__gte=prefix, nik__lt=prefix + "~")
        queries.append(visible.filter(match))
    if f["village"]:
        queries.append(
            visible.filter(
                area_code=f["village"],
                birth_date__gte=date(born.year - 1, 1, 1),
                birth_date__lte=date(born.year + 1, 12, 31),
            )
        )
    if f["nik"]:
        prefix = f["nik"][:12]
        queries.append(visible.filter(nik__gte=prefix, nik__lt=prefix + "~"))
    rows: dict[int, dict[str, Any]] = {}
    for qs in queries:
        for row in qs.order_by().values(*_FIELDS)[:CANDIDATES_PER_QUERY]:
            rows.setdefault(row["id"], row)
    key = dob_key(born)
    # The village look-up brings everyone born that year: keep those the model could match.
    return [
        r
        for r in rows.values()
        if r["name_key"] == f["name_key"]
        or dob_key(r["birth_date"]) == key
        or _shares_word(r["name_key"], f)
    ]


def _nik_date_prefixes(regency: str | None, dates: list[date], sex: str | None) -> list[str]:
    if not regency:
        return []
    districts = _districts_of(regency)
    sexes = [sex] if sex in ("L", "P") else ["L", "P"]
    return [f"{d}{nik_date_digits(born, s)}" for d in districts for born in dates for s in sexes]


def _districts_of(regency: str) -> list[str]:
    """The 6-digit district codes of a regency (cached: the area list rarely changes)."""
    key = f"dedup:districts:{regency}"
    codes = cache.get(key)
    if codes is None:
        codes = [
            c.replace(".", "")
            for c in Area.objects.filter(level=Level.DISTRICT, code__prefix=regency + ".")
            .order_by("code")
            .values_list("code", flat=True)
        ]
        cache.set(key, codes, 3600)
    return codes


def _shares_word(name_key: str, f: dict[str, Any]) -> bool:
    words = set(name_key.split())
    return bool(words & {f["name_first"], f["name_last"]}) or (
        spec.levenshtein(name_key.replace(" ", ""), f["name_compact"]) <= 2
    )


def _families(household_ids: set[int]) -> dict[int, list[tuple[int, str]]]:
    out: dict[int, list[tuple[int, str]]] = {}
    if not household_ids:
        return out
    for hh, rel, name in Person.objects.filter(
        household_id__in=household_ids, status="active", relationship__in=(1, 2)
    ).values_list("household_id", "relationship", "full_name"):
        out.setdefault(hh, []).append((rel, name))
    return out


def _model() -> spec.Model:
    cached = cache.get("dedup:model")
    if cached is not None:
        return cached
    row = current_model()
    model = (
        spec.Model.from_settings(row.settings_json)
        if row is not None
        else spec.Model.default(_people())
    )
    cache.set("dedup:model", model, MODEL_CACHE_SECONDS)
    return model


def _people() -> int:
    count = cache.get("dedup:people")
    if count is None:
        count = Person.objects.filter(status="active").count()
        cache.set("dedup:people", count, COUNT_CACHE_SECONDS)
    return max(count, 2)


def _name_frequencies(name_key: str) -> dict[str, float]:
    """Share of people with this name key, for the term-frequency adjustment."""
    same = Person.objects.filter(name_key=name_key, status="active").count()
    return {name_key: max(same, 1) / _people()}


def forget_cached_model() -> None:
    cache.delete_many(["dedup:model", "dedup:people"])
