"""The set-based run: one SQL statement scores, ranks and judges a whole population.

The rule compiles to one condition per top-level part (a bit of ``failed_mask`` each), the PMT
model to one expression per variable; the database evaluates them for every active family of the
area in one ``SELECT``, and the window functions ``ROW_NUMBER``/``NTILE(10)`` rank the scored
families and cut them into tenths (each desil holds a tenth, ±1). The same SQL runs on SQLite and
PostgreSQL. Nothing here loops over families in Python; :mod:`.explain` does, for one family.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Case, F, IntegerField, QuerySet, Value, When

from . import pmt, rules


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


def failed_mask(rule: dict, as_of: date):
    """``(expression, needs_size)``: bit ``i`` is set when the rule's ``i``-th part fails."""
    mask: Any = Value(0, output_field=IntegerField())
    needs_size = False
    for i, clause in enumerate(rules.clauses(rule)):
        compiled = rules.compile_rule(clause, as_of)
        needs_size = needs_size or compiled.needs_size
        mask = mask + Case(
            When(compiled.q, then=Value(0)), default=Value(1 << i), output_field=IntegerField()
        )
    return mask, needs_size


def scored(plan: Plan) -> QuerySet:
    """The population with ``_hid``, ``_score``, ``_failed``, ``_missing``, ``_hdesil``."""
    qs = population(plan.area)
    mask, needs_size = failed_mask(plan.rule, plan.as_of)
    if needs_size or (plan.model is not None and pmt.uses_size(plan.model)):
        qs = qs.annotate(_size=rules.size_annotation())
    qs = qs.annotate(_failed=mask)
    if plan.model is not None:
        qs, _names = pmt.annotate(qs, plan.model, plan.as_of)
        qs = qs.annotate(_missing=pmt.missing_mask(plan.model))
    else:
        qs = qs.annotate(
            _score=Value(None, output_field=pmt.FloatField()),
            _missing=Value(0, output_field=IntegerField()),
        )
    return qs.annotate(_hid=F("pk"), _hdesil=F("desil")).values(
        "_hid", "_score", "_failed", "_missing", "_hdesil"
    )


def insert_sql(plan: Plan, run_id: int, table: str) -> tuple[str, list]:
    """``INSERT … SELECT`` of every family's result row for run ``run_id``."""
    inner, params = scored(plan).query.sql_with_params()
    q = connection.ops.quote_name
    window = "OVER (PARTITION BY (t._score IS NULL) ORDER BY t._score, t._hid)"
    if plan.model is not None:
        rank = f"CASE WHEN t._score IS NULL THEN NULL ELSE ROW_NUMBER() {window} END"
        desil = f"CASE WHEN t._score IS NULL THEN NULL ELSE NTILE(10) {window} END"
    else:
        rank, desil = "NULL", "t._hdesil"
    columns = ", ".join(
        q(c)
        for c in (
            "run_id", "household_id", "score", "rank", "desil", "eligible", "failed_mask",
            "missing_mask",
        )
    )  # fmt: skip
    # Only quoted names and the compiled SELECT go into the text; every value is a parameter.
    picked = f"%s, t._hid, t._score, {rank}, {desil}, (t._failed = 0), t._failed, t._missing"
    select = "SELECT " + picked + " FROM (" + inner + ") t"  # noqa: S608
    sql = f"INSERT INTO {q(table)} ({columns}) {select}"  # noqa: S608
    return sql, [run_id, *params]


def variable_means(plan: Plan) -> dict | None:
    """The population's average of each PMT variable over the scored families (for saying which
    of a family's values moved its score most)."""
    if plan.model is None or not plan.model.variables:
        return None
    from django.db.models import Avg

    qs = population(plan.area)
    if pmt.uses_size(plan.model):
        qs = qs.annotate(_size=rules.size_annotation())
    qs, names = pmt.annotate(qs, plan.model, plan.as_of)
    return qs.filter(_score__isnull=False).aggregate(**{n: Avg(n) for n in names})
