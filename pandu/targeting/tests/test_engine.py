"""The set-based run equals the slow per-family reference, and desil cuts the population in
tenths: property tests over random families and random rules (hypothesis)."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pandu.conftest import BULU, LAPPARA
from pandu.registry.models import Household, Person
from pandu.targeting import actions, explain, pmt, rules
from pandu.targeting.models import TargetingResult

from .conftest import PMT_MODEL

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 3, 1)


def born(age: int, days: int = 0) -> date:
    return rules.born_by(AS_OF, age) - timedelta(days=days)


member = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(["L", "P"]),
        "birth_date": st.builds(born, st.integers(0, 95), st.integers(0, 364)),
        "pregnant": st.booleans(),
        "disability_type": st.sampled_from([0, 0, 1, 3]),
        "education": st.sampled_from([None, 0, 1, 2, 3]),
        "worked_last_week": st.sampled_from([None, True, False]),
        "relationship": st.sampled_from([1, 2, 3, 3, 6]),
        "status": st.sampled_from(["active", "active", "active", "dead"]),
    }
)
family = st.fixed_dictionaries(
    {
        "village": st.sampled_from([LAPPARA, BULU]),
        "desil": st.sampled_from([None, 1, 2, 3, 4, 5, 7, 10]),
        "floor_area": st.sampled_from([None, 0, 20, 36, 70]),
        "floor_material": st.sampled_from([None, 1, 9]),
        "has_business": st.booleans(),
        "members": st.lists(member, min_size=0, max_size=5),
    }
)


def condition(level: str):
    household = st.one_of(
        st.builds(
            lambda op, v: {"field": "desil", "op": op, "value": v},
            st.sampled_from(["eq", "ne", "lt", "lte", "gt", "gte"]),
            st.integers(1, 10),
        ),
        st.builds(
            lambda op, v: {"field": "household_size", "op": op, "value": v},
            st.sampled_from(["eq", "gte", "lt"]),
            st.integers(0, 5),
        ),
        st.builds(
            lambda f, v: {"field": f, "op": "eq", "value": v},
            st.sampled_from(
                ["has_child_0_6", "has_pregnant_member", "has_member_70_plus", "has_business"]
            ),
            st.booleans(),
        ),
        st.builds(
            lambda op, v: {"field": "area", "op": op, "value": v},
            st.sampled_from(["eq", "in"]),
            st.sampled_from([LAPPARA, "73.09.13"]),
        ).map(lambda c: {**c, "value": [c["value"]]} if c["op"] == "in" else c),
        st.builds(
            lambda op, v: {"field": "floor_material", "op": op, "value": v},
            st.sampled_from(["eq", "ne", "in", "not_in"]),
            st.sampled_from([1, 9]),
        ).map(lambda c: {**c, "value": [c["value"]]} if "in" in c["op"] else c),
    )
    person = st.one_of(
        st.builds(
            lambda op, v: {"field": "age", "op": op, "value": v},
            st.sampled_from(["eq", "ne", "lt", "lte", "gt", "gte"]),
            st.integers(0, 90),
        ),
        st.builds(
            lambda lo, span: {"field": "age", "op": "between", "value": [lo, lo + span]},
            st.integers(0, 80),
            st.integers(0, 20),
        ),
        st.builds(lambda v: {"field": "sex", "op": "eq", "value": v}, st.sampled_from(["L", "P"])),
        st.builds(lambda v: {"field": "disability", "op": "eq", "value": v}, st.booleans()),
        st.builds(lambda v: {"field": "pregnant", "op": "eq", "value": v}, st.booleans()),
        st.builds(
            lambda op, v: {"field": "education", "op": op, "value": v},
            st.sampled_from(["eq", "ne"]),
            st.sampled_from([0, 1, 2, 3]),
        ),
        st.builds(
            lambda op, v: {"field": "worked_last_week", "op": op, "value": v},
            st.sampled_from(["eq", "ne"]),
            st.booleans(),
        ),
    )
    return person if level == "person" else st.one_of(household, person)


def tree(level: str = "household"):
    def extend(children):
        groups = [
            st.lists(children, min_size=1, max_size=3).map(lambda xs: {"all": xs}),
            st.lists(children, min_size=1, max_size=3).map(lambda xs: {"any": xs}),
            children.map(lambda x: {"not": x}),
        ]
        return st.one_of(*groups)

    base = st.recursive(condition(level), extend, max_leaves=6)
    if level == "person":
        return base
    return st.one_of(base, tree("person").map(lambda x: {"member": x})).flatmap(
        lambda x: st.one_of(
            st.just(x), st.lists(st.just(x), min_size=1, max_size=1).map(lambda xs: {"all": xs})
        )
    )


def _run(pkh, rule, model=None):
    ruleset = actions.save_ruleset(None, name="acak", rule=rule)
    pmt_model = actions.save_pmt_model(None, model) if model else None
    return actions.start_run(
        None, ruleset=ruleset, pmt_model=pmt_model, area="73.09.13", as_of=AS_OF,
        programme=pkh, background=False,
    )  # fmt: skip


def _clear():
    TargetingResult.objects.all().delete()
    Person.objects.all().delete()
    Household.objects.all().delete()


@settings(
    max_examples=int(os.environ.get("TARGETING_EXAMPLES", 40)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(families=st.lists(family, min_size=0, max_size=12), rule=tree())
def test_the_set_based_run_equals_the_per_family_reference(families, rule, bulk_households, pkh):
    _clear()
    made = bulk_households(families)
    rules.validate(rule)
    run = _run(pkh, rule, PMT_MODEL)
    model = pmt.parse(PMT_MODEL)
    stored = {r.household_id: r for r in TargetingResult.objects.filter(run=run)}
    assert set(stored) == {h.pk for h in made}
    for hh in made:
        facts = explain.facts_for(hh, AS_OF)
        want = rules.evaluate(rule, facts)
        got = stored[hh.pk]
        assert got.eligible is want, (rule, facts)
        for i, clause in enumerate(rules.clauses(rule)):
            assert bool(got.failed_mask & (1 << i)) is not rules.evaluate(clause, facts)
        score, values = pmt.score_for(model, facts)
        missing = [v.name for v, x in values if x is None]
        assert pmt.missing_names(model, got.missing_mask) == missing
        if score is None:
            assert got.score is None and got.desil is None
        else:
            assert got.score == pytest.approx(score, abs=1e-9)
    _clear()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=1, max_size=60),
    floors=st.lists(st.sampled_from([10, 20, 30, 45, 80]), min_size=60, max_size=60),
)
def test_each_desil_holds_a_tenth_of_the_population(sizes, floors, bulk_households, pkh):
    _clear()
    specs = [
        {
            "floor_area": floors[i],
            "floor_material": 1,
            "members": [{"birth_date": born(30 + j)} for j in range(n)],
        }
        for i, n in enumerate(sizes)
    ]
    bulk_households(specs)
    run = _run(pkh, {"field": "desil", "op": "gte", "value": 1}, PMT_MODEL)
    results = list(TargetingResult.objects.filter(run=run).order_by("rank"))
    n = len(results)
    counts = [sum(1 for r in results if r.desil == d) for d in range(1, 11)]
    assert all(abs(c - n / 10) <= 1 for c in counts), counts
    scores = [r.score for r in results]
    assert scores == sorted(scores)
    assert [r.rank for r in results] == list(range(1, n + 1))
    desils = [r.desil for r in results]
    assert desils == sorted(desils)
    _clear()


@settings(
    max_examples=int(os.environ.get("TARGETING_EXAMPLES", 40)) // 2,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    families=st.lists(family, min_size=1, max_size=10),
    first=tree(),
    second=tree(),
    keep=st.booleans(),
)
def test_a_counted_dry_run_equals_its_stored_rows_and_the_reference(
    families, first, second, keep, bulk_households, pkh
):
    """A changed rule (sometimes keeping the first rule's parts) counted without rows: its
    figures are those its rows give once stored, each family's explanation gives the verdict of
    the per-family reference, and the stored rows equal a full computation."""
    from pandu.targeting import engine

    _clear()
    made = bulk_households(families)
    rules.validate(first)
    rules.validate(second)
    changed = {"all": [*rules.clauses(first), *rules.clauses(second)]} if keep else second
    run = _run(pkh, first, PMT_MODEL)
    actions.commit_run(None, run) if run.eligible else None
    dry = _run(pkh, changed, PMT_MODEL)
    assert dry.summary["scores_from"] == str(run.uid)
    counted = dict(dry.summary)
    if run.status == "committed":
        assert not dry.rows_stored
    for hh in made:
        facts = explain.facts_for(hh, AS_OF)
        said = explain.explain(dry, hh)
        assert said is not None and said.eligible is rules.evaluate(changed, facts)
    actions.store_rows(dry)
    again = type(dry).objects.get(pk=dry.pk)
    again.previous = dry.previous
    actions._summarise(again, actions.plan_of(again), counted.get("means"))
    for key in ("per_area", "per_desil", "clauses", "compare", "missing"):
        assert again.summary.get(key) == counted.get(key), key
    assert again.eligible == dry.eligible
    stored = {
        r["household_id"]: r
        for r in TargetingResult.objects.filter(run=dry).values("household_id", "eligible",
                                                               "failed_mask", "score", "desil")
    }  # fmt: skip
    TargetingResult.objects.filter(run=dry).delete()
    engine.execute(actions.plan_of(dry), dry.pk, TargetingResult._meta.db_table)
    full = {
        r["household_id"]: r
        for r in TargetingResult.objects.filter(run=dry).values("household_id", "eligible",
                                                               "failed_mask", "score", "desil")
    }  # fmt: skip
    assert stored == full
    _clear()
