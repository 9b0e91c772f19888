"""Why one family was (not) selected: each rule part with the family's actual values, and the PMT
variables that moved its score most against the population's average.

This is the only place that reads one family in Python (a handful of rows); it is also the slow
reference the property tests compare the set-based run with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from . import pmt, rules
from .models import TargetingResult, TargetingRun

HOUSEHOLD_COLUMNS = ("id", "village_id", "desil", "status", *pmt.HOUSEHOLD_SOURCES)
PERSON_COLUMNS = (
    "id", "birth_date", "sex", "pregnant", "disability_type", "disability_severity",
    "chronic_illness", "relationship", "education", "school_participation", "school_level",
    "work_status", "worked_last_week",
)  # fmt: skip


def facts_for(household, as_of: date) -> rules.Facts:
    """What the rules and the PMT model read of one family, ages on ``as_of``."""
    from pandu.registry.models import Household, Person, PPKSAssignment
    from pandu.registry.validation import age_on

    row = Household.objects.filter(pk=household.pk).values(*HOUSEHOLD_COLUMNS).get()
    members = list(
        Person.objects.filter(household_id=household.pk, status="active").values(*PERSON_COLUMNS)
    )
    by_person: dict[int, set[int]] = {m["id"]: set() for m in members}
    own: set[int] = set()
    for person_id, number in (
        PPKSAssignment.objects.filter(active=True)
        .filter(person_id__in=list(by_person))
        .values_list("person_id", "category__number")
    ):
        by_person[person_id].add(number)
    own.update(
        PPKSAssignment.objects.filter(active=True, household_id=household.pk).values_list(
            "category__number", flat=True
        )
    )
    for m in members:
        m["pk"] = m["id"]
        m["age"] = age_on(m["birth_date"], as_of)
        m["ppks"] = by_person[m["id"]]
    programmes: set[str] = set()
    for _households_in, codes_of in rules._membership:
        programmes |= set(codes_of(household))
    return rules.Facts(household=row, members=members, household_ppks=own, programmes=programmes)


@dataclass
class Check:
    """One condition: what it asks, what the family has, and whether it passed."""

    rule: str
    actual: str
    passed: bool


@dataclass
class Clause:
    rule: str
    passed: bool
    checks: list[Check] = field(default_factory=list)


@dataclass
class Component:
    variable: str
    value: float | None
    weight: float
    contribution: float | None  # weight × value
    effect: float | None  # weight × (value − the population's average): what moved it


@dataclass
class Explanation:
    run: TargetingRun
    eligible: bool
    score: float | None
    rank: int | None
    desil: int | None
    population: int
    clauses: list[Clause]
    components: list[Component]
    missing: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": str(self.run.uid),
            "eligible": self.eligible,
            "score": self.score,
            "rank": self.rank,
            "desil": self.desil,
            "population": self.population,
            "rules": [
                {
                    "rule": c.rule,
                    "passed": c.passed,
                    "checks": [
                        {"rule": k.rule, "actual": k.actual, "passed": k.passed} for k in c.checks
                    ],
                }
                for c in self.clauses
            ],
            "score_components": [
                {
                    "variable": c.variable,
                    "value": c.value,
                    "weight": c.weight,
                    "contribution": c.contribution,
                    "effect": c.effect,
                }
                for c in self.components
            ],
            "missing_variables": self.missing,
        }


def _actual(cond: dict, facts: rules.Facts, sensitive_ok: bool) -> str:
    spec = rules.fields()[cond["field"]]
    if spec.level == "household":
        value = rules.household_value(spec, facts)
        return _("tidak diisi") if value is None else rules._show(value)
    if spec.kind == "ppks":
        if not sensitive_ok:
            return _("(tidak ditampilkan)")
        numbers = sorted(facts.household_ppks.union(*(m["ppks"] for m in facts.members)))
        return rules._show(numbers)
    values = [rules._person_value(spec, m) for m in facts.members]
    if spec.kind == "age":
        values = sorted(values)
    return _("anggota: %(values)s") % {"values": rules._show(values)}


def _checks(node: dict, facts: rules.Facts, sensitive_ok: bool, inside_member=False) -> list:
    found = []
    for cond in rules.conditions(node):
        if inside_member or "member" in node:
            passed = any(rules._person_matches(cond, m) for m in facts.members)
        else:
            passed = rules.evaluate(cond, facts)
        found.append(Check(rules.describe(cond), _actual(cond, facts, sensitive_ok), passed))
    return found


def explain(run: TargetingRun, household, *, sensitive_ok: bool = False) -> Explanation | None:
    """The family's result in ``run`` with its reasons; ``None`` if it was not in the run."""
    facts = facts_for(household, run.as_of)
    rule = run.ruleset.rules
    if run.rows_stored:
        result = TargetingResult.objects.filter(run=run, household_id=household.pk).first()
    else:
        # A dry run that was only counted: the score is its source run's, the rule is judged
        # here for this one family, as the counting judged it in SQL.
        result = TargetingResult.objects.filter(
            run_id=run.source_id, household_id=household.pk
        ).first()
        if result is not None:
            result.failed_mask = sum(
                1 << i
                for i, clause in enumerate(rules.clauses(rule))
                if not rules.evaluate(clause, facts)
            )
            result.eligible = result.failed_mask == 0
    if result is None:
        return None
    clauses = [
        Clause(
            rule=rules.describe(clause),
            passed=not (result.failed_mask & (1 << i)),
            checks=_checks(clause, facts, sensitive_ok),
        )
        for i, clause in enumerate(rules.clauses(rule))
    ]
    components: list[Component] = []
    missing: list[str] = []
    if run.pmt_model_id:
        model = pmt.parse(run.pmt_model.spec)  # type: ignore[union-attr]
        means = (run.summary or {}).get("means") or {}
        _score, values = pmt.score_for(model, facts)
        for i, (var, value) in enumerate(values):
            mean = means.get(f"_v{i}")
            components.append(
                Component(
                    variable=var.name,
                    value=value,
                    weight=var.weight,
                    contribution=None if value is None else var.weight * value,
                    effect=None if value is None or mean is None else var.weight * (value - mean),
                )
            )
        components.sort(key=lambda c: -abs(c.effect if c.effect is not None else 0.0))
        missing = pmt.missing_names(model, result.missing_mask)
    return Explanation(
        run=run,
        eligible=result.eligible,
        score=result.score,
        rank=result.rank,
        desil=result.desil,
        population=run.population,
        clauses=clauses,
        components=components,
        missing=missing,
    )


def reasons(run: TargetingRun, failed_mask: int, missing_mask: int) -> str:
    """The CSV's ``reasons`` cell: the rule parts that failed, the PMT variables missing."""
    parts = [
        _("tidak memenuhi: %(rule)s") % {"rule": rules.describe(clause)}
        for i, clause in enumerate(rules.clauses(run.ruleset.rules))
        if failed_mask & (1 << i)
    ]
    if missing_mask and run.pmt_model_id:
        model = pmt.parse(run.pmt_model.spec)  # type: ignore[union-attr]
        names = pmt.missing_names(model, missing_mask)
        parts.append(_("data PMT kosong: %(names)s") % {"names": ", ".join(names)})
    return "; ".join(parts)
