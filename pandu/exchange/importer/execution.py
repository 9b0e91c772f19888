"""Writing a planned batch: households, people, memberships and PPKS in one statement per table."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pandu.registry.models import Household, Person, PPKSAssignment
from pandu.registry.validation import mask_account

from ..models import ImportChange
from ..rows import birth_date_text
from ..writer import Table, new_uid, new_uids
from .values import (
    _QUIET,
    Plan,
    _created_runs,
    _db_value,
    _jsonable,
    _kk,
    _nik,
    _person_values,
    _runs_of_same_keys,
)

_NOT_NULL_HOUSEHOLD = {
    f.attname for f in Household._meta.concrete_fields if not f.null and f.has_default()
} | {"desil_source", "desil_reference", "address"}


def _logged(name: str, value: Any) -> Any:
    """A value as the change log keeps it: financial numbers masked."""
    if name == "bank_account":
        return mask_account(value)
    return _jsonable(value)


if TYPE_CHECKING:
    from datetime import date

    from ..models import ImportBatch
    from ..rows import Category
    from ..writer import SqlWriter


class Execution:
    """Part of :class:`Importer`; its methods use the importer's state."""

    # Set by Importer.__init__ and the run that opens the file.
    batch: ImportBatch
    connection: Any
    sql: SqlWriter
    today: date
    reason: str
    categories: dict[int, Category]
    _tables: dict[str, Table] | None

    def _execute(self, plan: Plan) -> None:
        counts = plan.counts
        sql = self.sql
        d = sql.date
        now = sql.now()
        today = d(self.today)
        batch_id = self.batch.pk
        reason = self.reason[:300]
        tables = self.tables
        log_rows: list[tuple] = []

        # Households, a column at a time (see the people below).
        new_households = plan.new_households
        ids = sql.reserve_ids("registry_household", len(new_households))
        for target, hh_id in zip(new_households, ids, strict=True):
            target["id"] = hh_id
        n = len(new_households)
        if n:
            household_table = tables["household"]
            given: dict[str, Sequence[Any]] = {
                "uid": new_uids(n),
                "created_at": (now,) * n,
                "updated_at": (now,) * n,
                "status": ("active",) * n,
                "assets": ("[]",) * n,
                "livestock": ("{}",) * n,
                "cards": ("[]",) * n,
                "has_business": (False,) * n,
            }
            required = household_table.defaults
            for key in dict.fromkeys(k for t in new_households for k in t):
                column = [t.get(key) for t in new_households]
                if key in _NOT_NULL_HOUSEHOLD and None in column:  # a column no row filled
                    column = [required[key] if v is None else v for v in column]
                given[key] = column
            sql.insert_columns(
                household_table.name, household_table.columns, household_table.fill(given, n)
            )
        log_rows.extend(_created_runs(batch_id, "household", ids))
        counts["households_created"] += n
        #: Registered records this batch changes: their versions go up together at the end.
        changed_people: set[int] = set()
        changed_households: set[int] = {hh["id"] for hh, _c in plan.household_updates}
        self._update_households(plan.household_updates, now, log_rows)
        counts["households_updated"] += len(plan.household_updates)

        # New people, each with a membership. Written a column at a time: a batch's rows share
        # their keys, and most columns are one value for all (defaults, timestamps).
        targets = plan.targets
        new_people = plan.new_people
        new_people.sort(key=_nik)  # the NIK index is then filled page by page
        ids = sql.reserve_ids("registry_person", len(new_people))
        ppks: list[dict[str, Any]] = []
        person_table = tables["person"]
        households = [targets[kk] for kk in map(_kk, new_people)]
        household_ids = [t["id"] for t in households]
        areas = [t["village_id"] for t in households]
        for start, end in _runs_of_same_keys(new_people):
            records = new_people[start:end]
            by_column = zip(*map(_person_values, records), strict=True)
            given = dict(zip(records[0][4], by_column, strict=True))
            n = end - start
            given.update(
                id=ids[start:end],
                uid=new_uids(n),
                created_at=(now,) * n,
                updated_at=(now,) * n,
                nik=list(map(_nik, records)),
                household_id=household_ids[start:end],
                area_code=areas[start:end],
            )
            given["birth_date"] = list(map(birth_date_text, given["birth_date"]))
            if "bank_account" in given:  # masked in the file: nothing to keep for a new person
                given["bank_account"] = ["" if v is None else v for v in given["bank_account"]]
            sql.insert_columns(person_table.name, person_table.columns, person_table.fill(given, n))
        member_people, member_households = list(ids), household_ids
        member_roles = [r.relationship for r in new_people]
        for r, pid, area in zip(new_people, ids, areas, strict=True):
            for number in r.ppks_person:
                ppks.append(self._ppks_row(number, pid, None, area, now))
        log_rows.extend(_created_runs(batch_id, "person", ids))
        counts["created"] += len(new_people)

        # People already registered: changed fields, moves between households, new PPKS.
        updates: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
        moved: list[tuple[int, int, int, str]] = []
        for r, p, changes, added in plan.person_updates:
            target = targets[r.kk]
            if "household_id" in changes:
                changes["household_id"] = target["id"]
                moved.append((p["id"], target["id"], r.relationship, target["village_id"]))
            for number in added:
                ppks.append(self._ppks_row(number, p["id"], None, target["village_id"], now))
            counts["updated"] += 1
            before = {k: _logged(k, p.get(k)) for k in changes if k not in _QUIET}
            after: dict[str, Any] = {
                k: _logged(k, v) for k, v in changes.items() if k not in _QUIET
            }
            if added:
                after["ppks_added"] = added
            log_rows.append(
                (
                    batch_id,
                    "person",
                    p["id"],
                    None,
                    "updated",
                    json.dumps(before),
                    json.dumps(after),
                )
            )
            if changes:
                changed = tuple(sorted(changes))
                new_values = [_db_value(k, changes[k], d) for k in changed]
                updates[(*changed, "updated_at")].append((*new_values, now, p["id"]))
                changed_people.add(p["id"])
        for update_columns, update_rows in updates.items():
            sql.update_many("registry_person", update_columns, update_rows)
        if moved:
            sql.update_many(
                "registry_membership",
                ["ended", "reason"],
                [(today, reason, pid) for pid, _h, _r, _v in moved],
                key="ended IS NULL AND person_id",
            )
            sql.update_many(
                "registry_ppksassignment",
                ["area_code"],
                [(village, pid) for pid, _h, _r, village in moved],
                key="person_id",
            )
            for pid, hid, rel, _v in moved:
                member_people.append(pid)
                member_households.append(hid)
                member_roles.append(rel)
        n = len(member_people)
        sql.insert_columns(
            "registry_membership",
            ["person_id", "household_id", "relationship", "started", "ended", "reason"],
            [member_people, member_households, member_roles, (today,) * n, (None,) * n,
             (reason,) * n],
        )  # fmt: skip

        # Breadwinners (known now that every person has an id) and businesses.
        ids_by_nik = dict(zip(map(_nik, new_people), ids, strict=True))
        changed_households |= self._set_breadwinners(plan, ids_by_nik, now, log_rows)
        self._replace_businesses(plan)
        sql.bump_versions("registry_person", changed_people)
        sql.bump_versions("registry_household", changed_households)

        # Household-level PPKS (written on any member's row, usually the head's).
        for target, numbers in plan.household_ppks:
            for number in numbers:
                ppks.append(self._ppks_row(number, None, target["id"], target["village_id"], now))
        ppks_columns, getter = tables["ppks"].without_id()
        defaults = tables["ppks"].defaults
        sql.insert(tables["ppks"].name, ppks_columns, [getter({**defaults, **v}) for v in ppks])
        counts["ppks_created"] += len(ppks)

        sql.insert(
            ImportChange._meta.db_table,
            ["batch_id", "model", "object_id", "last_object_id", "action", "before", "after"],
            log_rows,
        )

    def _set_breadwinners(
        self, plan: Plan, ids_by_nik: dict[str, int], now, log_rows: list[tuple]
    ) -> set[int]:
        """Set each household's breadwinner; returns the registered households it changed."""
        rows: list[tuple] = []
        registered: set[int] = set()
        for kk, nik, pid in plan.breadwinners:
            target = plan.targets[kk]
            pid = pid if pid is not None else ids_by_nik.get(nik)
            old = target.get("breadwinner_id")
            if pid is None or pid == old:
                continue
            rows.append((pid, now, target["id"]))
            if old is not None or target.get("uid") is not None:  # a registered household
                registered.add(target["id"])
                log_rows.append(
                    (
                        self.batch.pk,
                        "household",
                        target["id"],
                        None,
                        "updated",
                        json.dumps({"breadwinner": old}),
                        json.dumps({"breadwinner": pid}),
                    )
                )
        if rows:
            self.sql.update_many("registry_household", ["breadwinner_id", "updated_at"], rows)
        return registered

    def _replace_businesses(self, plan: Plan) -> None:
        if not plan.businesses:
            return
        household_ids = [plan.targets[kk]["id"] for kk, _b in plan.businesses]
        self.sql.delete_in("registry_householdbusiness", "household_id", household_ids)
        rows = [
            (hid, kind, sector, workers, turnover)
            for hid, (_kk, found) in zip(household_ids, plan.businesses, strict=True)
            for kind, sector, workers, turnover in found
        ]
        uids = new_uids(len(rows))
        self.sql.insert(
            "registry_householdbusiness",
            ["uid", "household_id", "kind", "sector", "workers", "turnover_monthly"],
            [(uid, *row) for uid, row in zip(uids, rows, strict=True)],
        )

    @property
    def tables(self) -> dict[str, Table]:
        if self._tables is None:
            self._tables = {
                "household": Table(Household, self.connection),
                "person": Table(Person, self.connection),
                "ppks": Table(PPKSAssignment, self.connection),
            }
        return self._tables

    def _ppks_row(self, number: int, person_id, household_id, area_code: str, now) -> dict:
        return {
            "uid": new_uid(),
            "created_at": now,
            "updated_at": now,
            "category_id": self.categories[number].id,
            "person_id": person_id,
            "household_id": household_id,
            "area_code": area_code,
            "identified_on": self.sql.date(self.today),
            "source": PPKSAssignment.Source.IMPORT.value,
            "active": True,
            # Written raw, so encrypted here as the field would (decision 0019); the same
            # import's reason once for all its rows.
            "note": self._ppks_note(),
        }

    def _ppks_note(self) -> str:
        text = self.reason[:500]
        cached = getattr(self, "_encrypted_note", None)
        if cached is None or cached[0] != text:
            field = PPKSAssignment._meta.get_field("note")
            cached = (text, field.get_db_prep_save(text, self.connection))
            self._encrypted_note = cached
        return cached[1]

    def _update_households(
        self, updates: list[tuple[dict, dict]], now, log_rows: list[tuple]
    ) -> None:
        sql = self.sql
        grouped: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
        for hh, changes in updates:
            columns = tuple(sorted(changes))
            grouped[(*columns, "updated_at")].append(
                (*[changes[k] for k in columns], now, hh["id"])
            )
            before = {k: _jsonable(hh.get(k)) for k in changes}
            after = {k: _jsonable(v) for k, v in changes.items()}
            log_rows.append(
                (
                    self.batch.pk,
                    "household",
                    hh["id"],
                    None,
                    "updated",
                    json.dumps(before),
                    json.dumps(after),
                )
            )
            if "village_id" in changes:
                # People and PPKS carry their household's village for area scoping.
                village = changes["village_id"]
                sql.execute(
                    "UPDATE registry_person SET area_code = %s, version = version + 1 "
                    "WHERE household_id = %s",
                    [village, hh["id"]],
                )
                sql.execute(
                    "UPDATE registry_ppksassignment SET area_code = %s WHERE household_id = %s "
                    "OR person_id IN (SELECT id FROM registry_person WHERE household_id = %s)",
                    [village, hh["id"], hh["id"]],
                )
        for columns, rows in grouped.items():
            sql.update_many("registry_household", columns, rows)

    def _analyze(self) -> None:
        """Fresh planner statistics after a large load (sampled, so cheap)."""
        if self.batch.created < 50_000:
            return
        with self.connection.cursor() as cursor:
            if self.sql.sqlite:
                cursor.execute("PRAGMA analysis_limit = 1000")
            for table in ("registry_household", "registry_person", "registry_membership"):
                cursor.execute(f"ANALYZE {table}")
