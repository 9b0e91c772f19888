"""The set-based run: a handful of SQL statements score, rank and judge a whole population.

People are read **once** per run, grouped by family (:func:`facts_sql`): one ``GROUP BY`` over the
area's families joined to their active members gives, per family, the number of active members,
one flag per member condition of the rule ("some member is 0–6"), one count per ``members``
variable of the PMT model and the head's answer for each ``head`` variable. The rule compiles to
one condition per top-level part (a bit of ``failed_mask`` each) and the PMT model to one
expression per variable, over the family's row and that aggregate; the results land in a
temporary table, from which the window functions ``ROW_NUMBER``/``NTILE(10)`` rank the scored
families and cut them into tenths (each desil holds a tenth, ±1) and one more pass averages each
variable for the explanations. No statement looks a family's people up one family at a time.

A dry run of a changed rule with the same PMT model, area and date, while the registry has not
changed, takes the scores, ranks and desil of that earlier run and computes the rule alone
(:func:`insert_rule_only`); a part of the rule that is the same as a part of the earlier run's
rule is not computed again either: its bit is copied (:func:`reusable_parts`).

The same SQL runs on SQLite and PostgreSQL. Nothing here loops over families in Python;
:mod:`.explain` does, for one family.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.sql import Query

from . import pmt, rules

#: The alias of the per-family aggregate in a run's statement.
FACTS = "tgt_f"


@dataclass
class Plan:
    """What a run computes: the rule (already validated) and the PMT model, if any."""

    area: str
    rule: dict
    model: pmt.Model | None
    as_of: date


def population(area: str) -> QuerySet:
    """The active families inside ``area`` (a dotted code prefix)."""
    from pandu.registry.models import Household

    return Household.objects.filter(status="active").in_area(area)


def condition_sql(model, q: Q) -> tuple[str, list]:
    """``q`` as an SQL condition over ``model``'s own table (no joins), for a ``CASE WHEN``."""
    query = Query(model)
    where = query.build_where(q)
    compiler = query.get_compiler(connection=connection)
    try:
        sql, params = compiler.compile(where)
    except EmptyResultSet:
        return "1 = 0", []
    except FullResultSet:
        return "1 = 1", []
    return sql, list(params)


@dataclass
class PeoplePass:
    """What the run reads of people, gathered while the rule and the model are compiled."""

    as_of: date
    flags: list[tuple[str, list]] = field(default_factory=list)
    parts: list[tuple[int, str, Q, Q]] = field(default_factory=list)
    needs_size: bool = False

    def flag(self, q: Q) -> Q:
        """ "Some active member satisfies ``q``" as a test of the aggregate's flag column."""
        from pandu.registry.models import Person

        compiled = condition_sql(Person, q)
        key = (compiled[0], repr(compiled[1]))
        for k, (sql, params) in enumerate(self.flags):
            if (sql, repr(params)) == key:
                return Q(**{f"_m{k}": 1})
        self.flags.append(compiled)
        return Q(**{f"_m{len(self.flags) - 1}": 1})

    @property
    def reads_people(self) -> bool:
        return bool(self.flags or self.parts or self.needs_size)


def failed_mask(rule: dict, people: PeoplePass, skip: Collection[int] = ()):
    """Bit ``i`` is set when the rule's ``i``-th part fails (parts in ``skip`` are left 0)."""
    mask: Any = Value(0, output_field=IntegerField())
    for i, clause in enumerate(rules.clauses(rule)):
        if i in skip:
            continue
        compiled = rules.compile_rule(clause, people.as_of, member_flag=people.flag)
        people.needs_size = people.needs_size or compiled.needs_size
        mask = mask + Case(
            When(compiled.q, then=Value(0)), default=Value(1 << i), output_field=IntegerField()
        )
    return mask


def facts_sql(plan: Plan, people: PeoplePass) -> tuple[str, list]:
    """One row per family of the population: ``hid``, ``n_size`` (active members), ``m{k}``
    (the rule's member flags), ``pc{i}`` (the model's member counts), ``ph{i}`` (the head's
    answers: 1.0, 0.0 or NULL)."""
    from pandu.registry.models import Household, Person

    q = connection.ops.quote_name
    h, p = q(Household._meta.db_table), q(Person._meta.db_table)
    real = connection.data_types["FloatField"]
    columns = [f"{h}.{q('id')} AS hid", f"COUNT({p}.{q('id')}) AS n_size"]
    params: list = []
    present = f"{p}.{q('id')} IS NOT NULL"
    for k, (sql, sql_params) in enumerate(people.flags):
        columns.append(f"MAX(CASE WHEN {present} AND ({sql}) THEN 1 ELSE 0 END) AS m{k}")
        params += sql_params
    for i, kind, cond, unknown in people.parts:
        sql, sql_params = condition_sql(Person, cond)
        if kind == "count":
            columns.append(f"SUM(CASE WHEN {present} AND ({sql}) THEN 1 ELSE 0 END) AS pc{i}")
            params += sql_params
            continue
        # The head is the first active member with relationship 1: the smallest id wins the
        # MIN, and the two low bits carry its answer (2 = no value, 1 = yes, 0 = no).
        unknown_sql, unknown_params = condition_sql(Person, unknown)
        coded = (
            f"CAST({p}.{q('id')} AS BIGINT) * 4 + "
            f"(CASE WHEN ({unknown_sql}) THEN 2 WHEN ({sql}) THEN 1 ELSE 0 END)"
        )
        head = f"MIN(CASE WHEN {p}.{q('relationship')} = 1 THEN {coded} END)"
        columns.append(
            f"CASE {head} %% 4 WHEN 1 THEN CAST(1 AS {real}) WHEN 0 THEN CAST(0 AS {real}) "
            f"END AS ph{i}"
        )
        params += unknown_params + sql_params
    pop = population(plan.area).query
    where, where_params = pop.get_compiler(connection=connection).compile(pop.where)
    join = (
        f"LEFT OUTER JOIN {p} ON ({p}.{q('household_id')} = {h}.{q('id')} "
        f"AND {p}.{q('status')} = %s)"
    )
    sql = (
        f"SELECT {', '.join(columns)} FROM {h} {join} WHERE {where} "  # noqa: S608
        f"GROUP BY {h}.{q('id')}"
    )
    return sql, [*params, "active", *where_params]


def _fact(column: str, output_field) -> RawSQL:
    """A column of the per-family aggregate (its names are ours: letters and a number)."""
    if not column.replace("_", "").isalnum():
        raise ValueError(column)
    return RawSQL(f"{FACTS}.{column}", (), output_field)  # noqa: S611


def _scored(
    plan: Plan, with_model: bool, skip: Collection[int] = (), village: bool = False
) -> tuple[str, list]:
    """The ``SELECT`` of ``_hid``, ``_failed`` (and with the model ``_score``, ``_missing``,
    ``_hdesil``, ``_v{i}``) for every family of the population; the rule's parts in ``skip``
    are not computed (their bits are 0)."""
    from pandu.registry.models import Household

    people = PeoplePass(plan.as_of)
    mask = failed_mask(plan.rule, people, skip)
    model = plan.model if with_model else None
    if model is not None:
        people.parts = pmt.person_parts(model, plan.as_of)
        people.needs_size = people.needs_size or pmt.uses_size(model)
    q = connection.ops.quote_name
    if people.reads_people:
        qs: QuerySet = Household.objects.order_by()
        facts: dict[str, Any] = {"_size": _fact("n_size", IntegerField())}
        for k in range(len(people.flags)):
            facts[f"_m{k}"] = _fact(f"m{k}", IntegerField())
        for i, kind, _q, _unknown in people.parts:
            name = f"pc{i}" if kind == "count" else f"ph{i}"
            field_type = IntegerField() if kind == "count" else FloatField()
            facts[f"_{name}"] = _fact(name, field_type)
        qs = qs.annotate(**facts)
    else:
        qs = population(plan.area).order_by()
    qs = qs.annotate(_failed=mask, _hid=F("pk"))
    names = ["_hid", "_failed"]
    if village:
        qs = qs.annotate(_village=F("village_id"))
        names.append("_village")
    if model is not None:
        qs, variables = pmt.annotate(qs, model)
        qs = qs.annotate(_missing=pmt.missing_mask(model), _hdesil=F("desil"))
        names += ["_score", "_missing", "_hdesil", *variables]
    elif with_model:
        qs = qs.annotate(
            # typed, so that PostgreSQL gives the temporary table's column a number type
            _score=Cast(Value(None), FloatField()),
            _missing=Value(0, output_field=IntegerField()),
            _hdesil=F("desil"),
        )
        names += ["_score", "_missing", "_hdesil"]
    sql, select_params = qs.values(*names).query.sql_with_params()
    params = list(select_params)
    if people.reads_people:
        table = q(Household._meta.db_table)
        ending = f"FROM {table}"
        if not sql.endswith(ending):  # the households' own table must be the last thing
            raise RuntimeError("unexpected SQL for the targeting run")
        inner, inner_params = facts_sql(plan, people)
        sql += f" INNER JOIN ({inner}) {FACTS} ON ({FACTS}.hid = {table}.{q('id')})"
        params += inner_params
    return sql, params


COLUMNS = (
    "run_id", "household_id", "score", "rank", "desil", "eligible", "failed_mask", "missing_mask",
)  # fmt: skip


def _columns() -> str:
    return ", ".join(connection.ops.quote_name(c) for c in COLUMNS)


def execute(plan: Plan, run_id: int, table: str) -> dict | None:
    """Store every family's result for run ``run_id`` in ``table``; the population's average of
    each PMT variable over the scored families (``{"_v0": …}``), or ``None`` without a model."""
    q = connection.ops.quote_name
    scored = q(f"tgt_scored_{int(run_id)}")
    inner, params = _scored(plan, with_model=True)
    window = "OVER (PARTITION BY (t._score IS NULL) ORDER BY t._score, t._hid)"
    if plan.model is not None:
        rank = f"CASE WHEN t._score IS NULL THEN NULL ELSE ROW_NUMBER() {window} END"
        desil = f"CASE WHEN t._score IS NULL THEN NULL ELSE NTILE(10) {window} END"
    else:
        rank, desil = "NULL", "t._hdesil"
    # Only quoted names and compiled SQL go into the text; every value is a parameter.
    picked = f"%s, t._hid, t._score, {rank}, {desil}, (t._failed = 0), t._failed, t._missing"
    means = None
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {scored}")
        cursor.execute(f"CREATE TEMPORARY TABLE {scored} AS {inner}", params)
        try:
            cursor.execute(
                # in family order, so the result table's indexes are written front to back
                f"INSERT INTO {q(table)} ({_columns()}) SELECT {picked} FROM {scored} t "  # noqa: S608
                "ORDER BY t._hid",
                [run_id],
            )
            if plan.model is not None:
                n = len(plan.model.variables)
                averages = ", ".join(f"AVG(_v{i})" for i in range(n))
                cursor.execute(
                    f"SELECT {averages} FROM {scored} WHERE _score IS NOT NULL"  # noqa: S608
                )
                row = cursor.fetchone()
                # PostgreSQL averages a coded answer (1.0/0.0 literals) as numeric
                means = {f"_v{i}": None if row[i] is None else float(row[i]) for i in range(n)}
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {scored}")
    return means


#: Fields whose answer can change without a family or person being saved (a PPKS assignment,
#: a programme's enrolment): a part naming one is always computed again.
UNSTABLE_KINDS = {"ppks", "programme"}


def _key(clause: dict) -> str:
    return json.dumps(clause, sort_keys=True, separators=(",", ":"))


def reusable_parts(rule: dict, source_rule: dict) -> dict[int, int]:
    """The parts of ``rule`` that are word for word a part of ``source_rule`` and read only the
    registry's own columns: ``{position in rule: position in source_rule}``. While the registry
    is unchanged (the caller checks), such a part fails for exactly the families it failed for
    in the source run."""
    catalogue = rules.fields()
    earlier: dict[str, int] = {}
    for j, clause in enumerate(rules.clauses(source_rule)):
        earlier.setdefault(_key(clause), j)
    reuse: dict[int, int] = {}
    for i, clause in enumerate(rules.clauses(rule)):
        kinds = {catalogue[c["field"]].kind for c in rules.conditions(clause)}
        found = earlier.get(_key(clause))
        if found is not None and not kinds & UNSTABLE_KINDS:
            reuse[i] = found
    return reuse


def insert_rule_only(
    plan: Plan, run_id: int, table: str, source_run_id: int, reuse: dict[int, int] | None = None
) -> int:
    """Store run ``run_id`` computing the rule alone: score, rank, desil and missing variables
    are those of run ``source_run_id`` for the same family, and so is the answer of each part
    ``i`` in ``reuse`` (copied from the source run's part ``reuse[i]``). Families the source run
    did not count are left out; the number of rows stored is returned."""
    q = connection.ops.quote_name
    reuse = reuse or {}
    inner, params = _scored(plan, with_model=False, skip=reuse.keys())
    copied = "".join(
        f" + (CASE WHEN (r.failed_mask & {1 << int(j)}) <> 0 THEN {1 << int(i)} ELSE 0 END)"
        for i, j in sorted(reuse.items())
    )
    failed = f"(t._failed{copied})"
    picked = f"%s, t._hid, r.score, r.rank, r.desil, ({failed} = 0), {failed}, r.missing_mask"
    source = f"INNER JOIN {q(table)} r ON (r.{q('household_id')} = t._hid AND r.{q('run_id')} = %s)"
    sql = (
        f"INSERT INTO {q(table)} ({_columns()}) SELECT {picked} FROM ({inner}) t {source} "  # noqa: S608
        # the source run's rows are read in family order already: no sort
        f"ORDER BY r.{q('household_id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [run_id, *params, source_run_id])
        return cursor.rowcount


@dataclass
class Figures:
    """A run's figures without its rows, per village: ``n`` families, ``eligible``,
    ``entering`` and ``leaving`` against the compared run, ``f{i}`` families failing part
    ``i``; and the first families entering and leaving."""

    villages: list[dict]
    entering_ids: list[int]
    leaving_ids: list[int]

    @property
    def population(self) -> int:
        return sum(g["n"] for g in self.villages)


def rule_only_figures(
    plan: Plan,
    table: str,
    source_run_id: int,
    reuse: dict[int, int],
    *,
    parts: int,
    compare: bool,
    listed: int,
) -> Figures:
    """What :func:`insert_rule_only` would store, counted instead of stored: one pass over the
    population joined to the source run's rows, grouped by village (against the source run's
    verdict with ``compare``); then the first ``listed`` families entering and leaving, read in
    family order. Desil, scores and missing variables are the source run's, so they are not
    counted again."""
    q = connection.ops.quote_name
    inner, params = _scored(plan, with_model=False, skip=reuse.keys(), village=True)
    copied = "".join(
        f" + (CASE WHEN (r.failed_mask & {1 << int(j)}) <> 0 THEN {1 << int(i)} ELSE 0 END)"
        for i, j in sorted(reuse.items())
    )
    before = "CASE WHEN r.eligible THEN 1 ELSE 0 END" if compare else "0"
    # SQLite would copy the verdict's expression into every sum; a LIMIT keeps the row subquery
    # whole, so it is worked out once per family.
    whole = " LIMIT -1" if connection.vendor == "sqlite" else ""
    verdict = f"(t._failed{copied})"
    joined = (
        f"FROM ({inner}) t INNER JOIN {q(table)} r "
        f"ON (r.{q('household_id')} = t._hid AND r.{q('run_id')} = %s)"
    )
    rows = f"SELECT t._village AS v, {verdict} AS f, {before} AS b {joined}"  # noqa: S608
    row_params = [*params, source_run_id]
    sums = [
        "COUNT(*)",
        "SUM(CASE WHEN x.f = 0 THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN x.f = 0 AND x.b = 0 THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN x.f <> 0 AND x.b = 1 THEN 1 ELSE 0 END)",
    ]
    sums += [f"SUM(CASE WHEN (x.f & {1 << i}) <> 0 THEN 1 ELSE 0 END)" for i in range(parts)]
    grouped = f"SELECT x.v, {', '.join(sums)} FROM ({rows}{whole}) x GROUP BY x.v"  # noqa: S608
    keys = ["n", "eligible", "entering", "leaving", *(f"f{i}" for i in range(parts))]
    villages = []
    entering: list[int] = []
    leaving: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute(grouped, row_params)
        for village, *counts in cursor.fetchall():
            group = {"village": village}
            group.update({k: int(v or 0) for k, v in zip(keys, counts, strict=True)})
            villages.append(group)
        if compare:
            for key, found, test in (
                ("entering", entering, f"{verdict} = 0 AND NOT r.eligible"),
                ("leaving", leaving, f"{verdict} <> 0 AND r.eligible"),
            ):
                if not any(g[key] for g in villages):
                    continue
                # in the source rows' own order (family), so the first few end the read
                cursor.execute(
                    f"SELECT r.{q('household_id')} {joined} WHERE {test} "  # noqa: S608
                    f"ORDER BY r.{q('household_id')} LIMIT %s",
                    [*row_params, int(listed)],
                )
                found.extend(int(r[0]) for r in cursor.fetchall())
    return Figures(villages, entering, leaving)
