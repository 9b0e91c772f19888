"""Planning a batch of parsed rows against the registry: new, changed, unchanged or rejected."""

from __future__ import annotations

import json
from collections import defaultdict
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from pandu.registry import choices as c
from pandu.registry import existence

from ..layout import FIELD_BY_NAME
from ..rows import Issue, RowRecord
from .scan import (
    HOUSEHOLD_COMPARED,
    HOUSEHOLD_SELECT,
    PERSON_COMPARED,
    PERSON_SELECT,
    FileFacts,
    _rows_text,
)
from .values import (
    _ALWAYS,
    _ALWAYS_HH,
    EMPTY_HOUSEHOLD,
    Plan,
    _differs,
    _household_values,
    _json_list,
    _second_head_message,
)

if TYPE_CHECKING:
    from ..models import ImportBatch
    from ..rows import Category, RowParser
    from ..writer import SqlWriter


class Planning:
    """Part of :class:`Importer`; its methods use the importer's state."""

    # Set by Importer.__init__ and the run that opens the file.
    batch: ImportBatch
    sql: SqlWriter
    parser: RowParser
    scope: str
    categories: dict[int, Category]
    started_empty: bool

    def _plan(self, items: list[tuple[int, Any]], facts: FileFacts) -> Plan:
        plan = Plan()
        counts, rejected = plan.counts, plan.rejected
        records: list[RowRecord] = []
        for row_no, result in items:
            if result is None:
                counts["skipped_empty"] += 1
            elif not isinstance(result, RowRecord):
                rejected[row_no] = result
            else:
                issues = self._file_issues(result, facts)
                if issues:
                    rejected[row_no] = issues
                else:
                    records.append(result)
        if not records:
            return plan
        sql = self.sql
        people: dict[str, dict[str, Any]] = {}
        households: dict[str, dict[str, Any]] = {}
        if not self.started_empty:
            people = {
                row[2]: dict(zip(PERSON_SELECT, row, strict=True))
                for row in sql.select_in(
                    f"SELECT {', '.join(PERSON_SELECT)} FROM registry_person WHERE {{cond}}",  # noqa: S608
                    "nik",
                    [r.nik for r in records],
                )
            }
            households = {
                row[2]: dict(zip(HOUSEHOLD_SELECT, row, strict=True))
                for row in sql.select_in(
                    f"SELECT {', '.join(HOUSEHOLD_SELECT)} FROM registry_household WHERE {{cond}}",  # noqa: S608
                    "kk_number",
                    list(dict.fromkeys(r.kk for r in records)),
                )
            }
        # A NIK or KK registered outside the importer's area: the registry's neutral refusal,
        # the same words for both and for every area (see ``registry.existence``).
        scope = self.scope
        elsewhere = existence.elsewhere_message()
        groups: dict[str, list[RowRecord]] = defaultdict(list)
        for r in records:
            p = people.get(r.nik)
            if p is not None and scope and not (p["area_code"] or "").startswith(scope):
                rejected[r.row] = [(self.label("nik"), "", elsewhere)]
                counts["outside_scope"] += 1
            else:
                groups[r.kk].append(r)

        # Household rules: scope of a registered KK (as for a NIK), one value per household
        # column, a head for a new household, and no second head next to the registry's.
        heads: dict[int, set[str]] = defaultdict(set)
        for hh_id, nik in sql.select_in(
            "SELECT household_id, nik FROM registry_person "
            "WHERE relationship = 1 AND status = 'active' AND {cond}",
            "household_id",
            [h["id"] for kk, h in households.items() if kk in groups],
        ):
            heads[hh_id].add(nik)
        for kk, group in list(groups.items()):
            hh = households.get(kk)
            if hh is not None and scope and not hh["village_id"].startswith(scope):
                problem = elsewhere
                counts["outside_scope"] += len(group)
            else:
                problem = self._household_problem(kk, group, hh, facts)
            if problem:
                for r in group:
                    rejected[r.row] = [(self.label("kk_number"), "", problem)]
                del groups[kk]
                continue
            if hh is not None and heads.get(hh["id"]):
                demoted = {r.nik for r in group if r.relationship != c.Relationship.HEAD}
                for r in group:
                    if r.relationship == c.Relationship.HEAD and (
                        heads[hh["id"]] - demoted - {r.nik}
                    ):
                        rejected[r.row] = [(self.label("relationship"), "", _second_head_message())]
                group[:] = [r for r in group if r.row not in rejected]
                if not group:
                    del groups[kk]

        # What changes.
        mapping = self.batch.mapping
        person_fields = [f for f in PERSON_COMPARED if f in _ALWAYS or f in mapping]
        person_fields.append("area_code")
        household_fields = [f for f in HOUSEHOLD_COMPARED if f in _ALWAYS_HH or f in mapping]
        # Most rows of a re-import are unchanged: compare all fields at once first (in C).
        same_person = itemgetter(*person_fields)
        for kk, group in groups.items():
            values = _household_values(group, household_fields)
            for name, empty in EMPTY_HOUSEHOLD.items():
                if name in values and values[name] is None:
                    values[name] = empty
            hh = households.get(kk)
            self._plan_extras(plan, kk, group, hh, values, people)
            if hh is None:
                target = {"kk_number": kk, "id": None, **values}
                plan.new_households.append(target)
            else:
                changes = {k: v for k, v in values.items() if _differs(hh.get(k), v, k)}
                if changes:
                    plan.household_updates.append((hh, changes))
                target = {**hh, **values}
            plan.targets[kk] = target
        existing_businesses = self._businesses_of(
            [plan.targets[kk]["id"] for kk, _b in plan.businesses if plan.targets[kk]["id"]]
        )
        plan.businesses = [
            (kk, b)
            for kk, b in plan.businesses
            if existing_businesses.get(plan.targets[kk]["id"], ()) != b
        ]
        existing_ppks = self._active_ppks(
            [people[r.nik]["id"] for g in groups.values() for r in g if r.nik in people],
            [households[kk]["id"] for kk in groups if kk in households],
        )
        cat = self.categories
        for kk, group in groups.items():
            target = plan.targets[kk]
            for r in group:
                p = people.get(r.nik)
                if p is None:
                    plan.new_people.append(r)
                    continue
                values = r.person  # its own dict
                values["area_code"] = target["village_id"]
                if values.get("bank_account", "") is None:  # masked in the file: keep it
                    values["bank_account"] = p.get("bank_account") or ""
                if same_person(p) == same_person(values):
                    changes = {}
                else:
                    changes = {k: values[k] for k in person_fields if _differs(p.get(k), values[k])}
                if "full_name" in changes:
                    changes["name_key"] = values["name_key"]
                stored = p.get("quality_flags")
                if stored != values["quality_flags"]:  # text on SQLite, a list on PostgreSQL
                    flags = json.loads(values["quality_flags"])
                    if _json_list(stored) != flags:
                        changes["quality_flags"] = flags
                        changes["flagged"] = values["flagged"]
                moved = target["id"] is None or p["household_id"] != target["id"]
                if moved:
                    changes["household_id"] = None  # known once the household has its id
                added = [n for n in r.ppks_person if (cat[n].id, p["id"]) not in existing_ppks]
                if (changes or added) and p["status"] != c.PersonStatus.ACTIVE:
                    rejected[r.row] = [
                        (
                            self.label("nik"),
                            "",
                            _(
                                "Penduduk ini berstatus “%(status)s” di registri; "
                                "datanya tidak diubah lewat impor."
                            )
                            % {"status": c.PersonStatus(p["status"]).label},
                        )
                    ]
                    continue
                if not changes and not added:
                    counts["unchanged"] += 1
                    continue
                plan.person_updates.append((r, p, changes, added))
            wanted: list[int] = []
            for r in group:
                if r.row in rejected:
                    continue
                for n in r.ppks_household:
                    if n not in wanted and (
                        target["id"] is None or (cat[n].id, -target["id"]) not in existing_ppks
                    ):
                        wanted.append(n)
            if wanted:
                plan.household_ppks.append((target, wanted))
        return plan

    def _plan_extras(
        self,
        plan: Plan,
        kk: str,
        group: list[RowRecord],
        hh: dict | None,
        values: dict[str, Any],
        people: dict[str, dict[str, Any]],
    ) -> None:
        """The family's businesses (a related table; ``has_business`` follows them) and its
        breadwinner (a flag on a member's row)."""
        mapping = self.batch.mapping
        if "businesses" in mapping:
            given = next(
                (r.household["businesses"] for r in group if "businesses" in r.household), None
            )
            if given is not None:
                plan.businesses.append((kk, given))
                values["has_business"] = bool(given)
            else:
                values["has_business"] = bool(hh["has_business"]) if hh is not None else False
        if "breadwinner" in mapping:
            nik = next(
                (r.household["breadwinner"] for r in group if "breadwinner" in r.household), None
            )
            if nik:
                known = people.get(nik)
                pid = known["id"] if known is not None else None
                if hh is None or pid is None or hh["breadwinner_id"] != pid:
                    plan.breadwinners.append((kk, nik, pid))

    def _businesses_of(self, household_ids: list[int]) -> dict[int, tuple]:
        """The registered businesses of these households, as the parser gives them."""
        found: dict[int, list[tuple]] = defaultdict(list)
        for hid, kind, sector, workers, turnover in self.sql.select_in(
            "SELECT household_id, kind, sector, workers, turnover_monthly "
            "FROM registry_householdbusiness WHERE {cond} ORDER BY id",
            "household_id",
            household_ids,
        ):
            found[hid].append((kind, sector, workers, turnover))
        return {hid: tuple(rows) for hid, rows in found.items()}

    def label(self, name: str) -> str:
        return self.parser.labels.get(name, name)

    def _file_issues(self, r: RowRecord, facts: FileFacts) -> list[Issue]:
        issues: list[Issue] = []
        others = facts.duplicates.get(r.nik)
        if others:
            issues.append(
                (
                    self.label("nik"),
                    "",
                    _(
                        "NIK ini muncul lebih dari sekali di berkas (baris %(rows)s); semua baris "
                        "dengan NIK ini ditolak. Periksa mana yang benar."
                    )
                    % {"rows": _rows_text(others)},
                )
            )
        rows = facts.kk_conflicts.get(r.kk)
        if rows:
            issues.append(
                (
                    self.label("kk_number"),
                    "",
                    _(
                        "Nomor KK ini tercatat dengan desa/RT/RW berbeda di baris %(rows)s; satu "
                        "keluarga harus satu alamat, semua barisnya ditolak."
                    )
                    % {"rows": _rows_text(rows)},
                )
            )
        rows = facts.kk_heads.get(r.kk)
        if rows:
            issues.append(
                (
                    self.label("relationship"),
                    "",
                    _(
                        "Nomor KK ini memiliki lebih dari satu kepala keluarga di berkas (baris "
                        "%(rows)s); semua barisnya ditolak."
                    )
                    % {"rows": _rows_text(rows)},
                )
            )
        return issues

    def _household_problem(
        self, kk: str, group: list[RowRecord], hh: dict | None, facts: FileFacts
    ) -> str:
        given = [(r.row, r.household) for r in group] if self.parser.household_optional else []
        for name in self.parser.household_optional:
            values = {hh[name] for _row, hh in given if name in hh}
            if len(values) > 1:
                rows = [row for row, hh in given if name in hh]
                return _(
                    "Isian “%(label)s” berbeda antarbaris dengan nomor KK yang sama "
                    "(baris %(rows)s); satu keluarga hanya boleh satu nilai."
                ) % {"label": FIELD_BY_NAME[name].label, "rows": _rows_text(rows)}
        if hh is None and not any(r.relationship == c.Relationship.HEAD for r in group):
            head_row = facts.kk_head.get(kk)
            if head_row:
                return _(
                    "Keluarga baru ini tidak dapat dibuat karena baris kepala keluarganya "
                    "(baris %(row)s) ditolak."
                ) % {"row": head_row}
            return _(
                "Nomor KK ini belum terdaftar dan tidak ada baris kepala keluarga (hubungan 1) "
                "untuknya di berkas; keluarga baru harus memiliki kepala keluarga."
            )
        return ""

    def _active_ppks(self, person_ids: list[int], household_ids: list[int]) -> set[tuple]:
        """(category id, person id) and (category id, -household id) of active PPKS."""
        found: set[tuple] = set()
        for cat, pid in self.sql.select_in(
            "SELECT category_id, person_id FROM registry_ppksassignment "
            "WHERE active = %s AND {cond}",
            "person_id",
            person_ids,
            extra=[True],
        ):
            found.add((cat, pid))
        for cat, hid in self.sql.select_in(
            "SELECT category_id, household_id FROM registry_ppksassignment "
            "WHERE active = %s AND person_id IS NULL AND {cond}",
            "household_id",
            household_ids,
            extra=[True],
        ):
            found.add((cat, -hid))
        return found
