"""Bulk loading of generated registry data, bypassing the ORM's per-object save.

A million people cannot go through ``Model.save()`` (and the per-record history) in reasonable
time, so households, people, memberships and PPKS are written with one statement per table and
chunk: ``executemany`` in one big transaction on SQLite, ``COPY ... FROM STDIN`` on PostgreSQL.
All indexes and constraints stay in place. Bulk loads write no simple-history rows.

Primary keys of households and people are assigned here (SQLite: after the current maximum,
inside the write transaction; PostgreSQL: drawn from the table's sequence) because the people
rows must point at their household and the memberships at both.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.db import connection as default_connection
from django.db import models, transaction
from django.utils import timezone

from pandu.regions.models import Area, Level
from pandu.registry.models import Household, Membership, Person, PPKSAssignment, PPKSCategory

from .synth import CategoryRule, GenHousehold, RegionInfo, Village

# --- Inputs from the database ---------------------------------------------------------------


def region_info(code: str) -> RegionInfo | None:
    """Villages inside ``code`` and the names the generator needs; None for an unknown area."""
    area = Area.objects.filter(code=code).first()
    if area is None:
        return None
    villages = [
        Village(c, n)
        for c, n in Area.objects.filter(code__startswith=code, level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", "name")
    ]
    province = code[:2]
    district_names = dict(
        Area.objects.filter(code__startswith=province, level=Level.DISTRICT).values_list(
            "code", "name"
        )
    )
    regency_names = dict(
        Area.objects.filter(code__startswith=province, level=Level.REGENCY).values_list(
            "code", "name"
        )
    )
    by_regency: dict[str, list[str]] = defaultdict(list)
    for district in sorted(district_names):
        by_regency[district[:5]].append(district.replace(".", ""))
    return RegionInfo(code, villages, district_names, regency_names, dict(by_regency))


def category_rules() -> list[CategoryRule]:
    """The PPKS categories with their age/sex rules, as configured in this database."""
    return [
        CategoryRule(
            number=c.number,
            min_age=c.min_age,
            max_age=c.max_age,
            min_age_exclusive=c.min_age_exclusive,
            max_age_exclusive=c.max_age_exclusive,
            sex=c.sex,
            sensitive=c.sensitive,
            household_level=c.household_level,
        )
        for c in PPKSCategory.objects.order_by("number")
    ]


def number_prefix(region_code: str) -> str:
    """Digits every generated NIK/KK starts with: the regency (people move within it)."""
    return region_code.replace(".", "")[:4]


def existing_serials(prefix: str, connection=None) -> tuple[dict[str, int], dict[str, int]]:
    """Highest serial used per 12-digit NIK prefix and per KK prefix starting with ``prefix``.

    A range condition on the unique column lets the index answer it (LIKE would not on SQLite).
    """
    connection = connection or default_connection
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    result = []
    with connection.cursor() as cursor:
        for table, column in (("registry_person", "nik"), ("registry_household", "kk_number")):
            cursor.execute(
                f"SELECT substr({column}, 1, 12), max(substr({column}, 13, 4)) FROM {table} "  # noqa: S608
                f"WHERE {column} >= %s AND {column} < %s GROUP BY 1",
                [prefix, upper],
            )
            serials = {}
            for key, serial in cursor.fetchall():
                if key and serial and serial.isdigit():
                    serials[key] = int(serial)
            result.append(serials)
    return result[0], result[1]


def uid_taken(uid_hex: str) -> bool:
    """Whether a generated household uid already exists (the same seed loaded before)."""
    return Household.objects.filter(uid=uid_hex).exists()


# --- Writer ---------------------------------------------------------------------------------


@dataclass
class LoadCounts:
    households: int = 0
    people: int = 0
    memberships: int = 0
    ppks: int = 0

    def add(self, other: LoadCounts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def rows(self) -> int:
        return self.households + self.people + self.memberships + self.ppks


# Columns filled from the generated data, in the order the row builders below produce them.
HOUSEHOLD_COLUMNS = [
    "id", "uid", "created_at", "updated_at", "kk_number", "village_id", "rt", "rw", "address",
    "status", "desil", "ownership", "land_ownership", "floor_area", "floor_material",
    "wall_material", "wall_condition", "roof_material", "roof_condition", "bedrooms",
    "water_source", "lighting", "wattage", "cooking_fuel", "toilet_use", "toilet_type",
    "waste_disposal", "assets", "livestock", "has_business", "cards",
]  # fmt: skip
PERSON_COLUMNS = [
    "id", "uid", "created_at", "updated_at", "nik", "household_id", "area_code", "full_name",
    "name_key", "sex", "birth_place", "birth_date", "relationship", "head_reason",
    "marital_status", "has_marriage_certificate", "on_family_card", "has_id_card",
    "school_participation", "education", "worked_last_week", "work_status", "work_sector",
    "disability_type", "disability_severity", "chronic_illness", "pregnant", "status",
    "status_date", "status_reason", "quality_flags", "flagged",
]  # fmt: skip
MEMBERSHIP_COLUMNS = ["person_id", "household_id", "relationship", "started", "ended", "reason"]
PPKS_COLUMNS = [
    "uid", "created_at", "updated_at", "category_id", "person_id", "household_id", "area_code",
    "identified_on", "source", "verified_by_id", "verified_on", "active", "ended_on", "note",
]  # fmt: skip
EMPTY_FLAGS = "[]"
MISMATCH_FLAGS = json.dumps(["nik_birth_date_mismatch"])


def _extra_columns(model: type[models.Model], known: Sequence[str], connection) -> tuple:
    """Columns added to the model after this writer was written get their default value.

    Returns (column names, constant values); a new required column without a default stops the
    load with a clear message instead of a constraint error half-way.
    """
    names, values = [], []
    known_set = set(known)
    for f in model._meta.concrete_fields:
        if f.column in known_set or (f.primary_key and f.column == "id"):
            continue
        blank_text = f.blank and f.empty_strings_allowed  # an empty string is its default
        if not f.has_default() and not f.null and not blank_text:
            raise RuntimeError(
                f"{model.__name__}.{f.name} is required and has no default: teach "
                "pandu.demo.bulk how to fill it."
            )
        value = f.get_default() if f.has_default() or blank_text else None
        names.append(f.column)
        values.append(f.get_db_prep_save(value, connection))
    return names, tuple(values)


@dataclass
class ChunkRows:
    """Rows of one chunk, ready to insert except that ids are local (0, 1, 2, ... per chunk).

    Built without touching the database, so a separate process can build the next chunk while
    this one is written. The id columns come first so rebasing them is cheap.
    """

    households: list[tuple]
    people: list[tuple]
    memberships: list[tuple]
    ppks: list[tuple]


class RowBuilder:
    """Turns generated households into table rows (pure; no database access)."""

    def __init__(self, *, now: Any, extras: dict[str, tuple], categories: dict[int, int]):
        self.now = now
        self.extras = extras
        self.categories = categories

    def build(self, households: Sequence[GenHousehold]) -> ChunkRows:
        now = self.now
        hh_extra = self.extras["household"]
        person_extra = self.extras["person"]
        ms_extra = self.extras["membership"]
        ppks_extra = self.extras["ppks"]
        categories = self.categories
        dumps = json.dumps
        hh_rows: list[tuple] = []
        person_rows: list[tuple] = []
        ms_rows: list[tuple] = []
        ppks_rows: list[tuple] = []
        pid = 0
        for hh_id, h in enumerate(households):
            village = h.village_code
            hh_rows.append(
                (
                    hh_id, h.uid, now, now, h.kk_number, village, h.rt, h.rw, h.address,
                    "active", h.desil, h.ownership, h.land_ownership, h.floor_area,
                    h.floor_material, h.wall_material, h.wall_condition, h.roof_material,
                    h.roof_condition, h.bedrooms, h.water_source, h.lighting, h.wattage,
                    h.cooking_fuel, h.toilet_use, h.toilet_type, h.waste_disposal,
                    dumps(h.assets), dumps(h.livestock), h.has_business, dumps(h.cards),
                )
                + hh_extra
            )  # fmt: skip
            first = pid
            for p in h.members:
                person_rows.append(
                    (
                        pid, p.uid, now, now, p.nik, hh_id, village, p.full_name, p.name_key,
                        p.sex, p.birth_place, p.birth_date.isoformat(), p.relationship, "",
                        p.marital_status, p.has_marriage_certificate, True, p.has_id_card,
                        p.school_participation, p.education, p.worked_last_week,
                        p.work_status, p.work_sector, p.disability_type,
                        p.disability_severity, p.chronic_illness, p.pregnant, "active", None,
                        "", MISMATCH_FLAGS if p.flagged else EMPTY_FLAGS, p.flagged,
                    )
                    + person_extra
                )  # fmt: skip
                ms_rows.append(
                    (pid, hh_id, p.relationship, p.membership_started.isoformat(), None, "")
                    + ms_extra
                )
                pid += 1
            for a in h.ppks:
                category = categories.get(a.category)
                if category is None:
                    continue
                ppks_rows.append(
                    (
                        a.uid, now, now, category,
                        None if a.member is None else first + a.member,
                        hh_id if a.member is None else None,
                        village, a.identified_on.isoformat(), a.source, None,
                        a.verified_on.isoformat() if a.verified_on else None, True, None, "",
                    )
                    + ppks_extra
                )  # fmt: skip
        return ChunkRows(hh_rows, person_rows, ms_rows, ppks_rows)


class BulkWriter:
    """Writes chunks of generated households; one transaction per chunk."""

    def __init__(self, connection=None, *, now=None) -> None:
        self.connection = connection or default_connection
        self.vendor = self.connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise RuntimeError(f"bulk loading is not implemented for {self.vendor}")
        now = now or timezone.now()
        self.columns: dict[str, list[str]] = {}
        extras: dict[str, tuple] = {}
        for key, model, known in (
            ("household", Household, HOUSEHOLD_COLUMNS),
            ("person", Person, PERSON_COLUMNS),
            ("membership", Membership, MEMBERSHIP_COLUMNS),
            ("ppks", PPKSAssignment, PPKS_COLUMNS),
        ):
            extra_names, extra_values = _extra_columns(model, known, self.connection)
            self.columns[key] = list(known) + extra_names
            extras[key] = extra_values
        self.builder = RowBuilder(
            now=self.connection.ops.adapt_datetimefield_value(now),
            extras=extras,
            categories=dict(PPKSCategory.objects.values_list("number", "id")),
        )
        self._tuned = False

    # -- session tuning ---------------------------------------------------------------------

    def __enter__(self) -> BulkWriter:
        self.connection.ensure_connection()
        # PRAGMAs cannot change inside a transaction (e.g. in a test); then load without them.
        if self.vendor == "sqlite" and not self.connection.in_atomic_block:
            with self.connection.cursor() as cursor:
                # Durability is not needed mid-load (a failed load is re-run from scratch);
                # a big page cache keeps the index B-trees in memory.
                cursor.execute("PRAGMA synchronous = OFF")
                cursor.execute("PRAGMA cache_size = -1048576")
                cursor.execute("PRAGMA temp_store = MEMORY")
            self._tuned = True
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._tuned:
            return
        if self.vendor == "sqlite":
            with self.connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = NORMAL")
                cursor.execute("PRAGMA cache_size = -64000")
        self._tuned = False

    def analyze(self) -> None:
        """Refresh planner statistics for the loaded tables."""
        tables = ["registry_household", "registry_person", "registry_membership"]
        tables.append("registry_ppksassignment")
        with self.connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
            if self.vendor == "sqlite" and not self.connection.in_atomic_block:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- ids --------------------------------------------------------------------------------

    def _ids(self, raw, table: str, count: int) -> Sequence[int]:
        if count == 0:
            return []
        if self.vendor == "sqlite":
            # Called inside the write transaction (BEGIN IMMEDIATE): nobody else can insert.
            cur = raw.cursor()
            top = cur.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0  # noqa: S608
            row = cur.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
            start = max(top, row[0] if row else 0) + 1
            return range(start, start + count)
        with raw.cursor() as cur:
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                (table, count),
            )
            return [r[0] for r in cur.fetchall()]

    # -- writing ----------------------------------------------------------------------------

    def write(self, households: Sequence[GenHousehold]) -> LoadCounts:
        """Build and insert one chunk in one transaction."""
        return self.write_rows(self.builder.build(households))

    def write_rows(self, chunk: ChunkRows) -> LoadCounts:
        """Insert one chunk built by :class:`RowBuilder` in one transaction."""
        with transaction.atomic(using=self.connection.alias):
            raw = self.connection.connection
            hids = self._ids(raw, "registry_household", len(chunk.households))
            pids = self._ids(raw, "registry_person", len(chunk.people))
            households = [(hids[r[0]],) + r[1:] for r in chunk.households]
            people = [(pids[r[0]],) + r[1:5] + (hids[r[5]],) + r[6:] for r in chunk.people]
            memberships = [(pids[r[0]], hids[r[1]]) + r[2:] for r in chunk.memberships]
            ppks = [
                r[:4]
                + (
                    None if r[4] is None else pids[r[4]],
                    None if r[5] is None else hids[r[5]],
                )
                + r[6:]
                for r in chunk.ppks
            ]
            self._insert(raw, "registry_household", self.columns["household"], households)
            self._insert(raw, "registry_person", self.columns["person"], people)
            self._insert(raw, "registry_membership", self.columns["membership"], memberships)
            self._insert(raw, "registry_ppksassignment", self.columns["ppks"], ppks)
        return LoadCounts(len(households), len(people), len(memberships), len(ppks))

    def _insert(self, raw, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        if self.vendor == "sqlite":
            marks = ", ".join("?" * len(columns))
            raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
            return
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            write_row: Callable[[Any], None] = copy.write_row
            for row in rows:
                write_row(row)
