"""A dry run of a changed rule takes the scores of the last run with the same PMT model while the
registry is unchanged, and stores exactly what a full computation stores."""

from __future__ import annotations

from datetime import date

import pytest

from pandu.targeting import actions
from pandu.targeting.models import TargetingResult

from .conftest import PMT_MODEL

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 3, 1)

RULE = {
    "all": [
        {"field": "desil", "op": "lte", "value": 4},
        {"field": "has_child_0_6", "op": "eq", "value": True},
    ]
}
CHANGED = {
    "all": [
        {"field": "desil", "op": "lte", "value": 3},
        {"member": {"field": "age", "op": "gte", "value": 60}},
    ]
}


def _families():
    specs = []
    for n in range(30):
        specs.append(
            {
                "desil": 1 + n % 10,
                "floor_area": 18 + 7 * (n % 9),
                "floor_material": 9 if n % 4 == 0 else 1,
                "has_business": n % 5 == 0,
                "members": [
                    {"birth_date": date(1960 + n, 1, 1), "sex": "P" if n % 3 else "L"},
                    *({"birth_date": date(2022, 5, 1)} for _ in range(n % 3)),
                ],
            }
        )
    return specs


def _run(pkh, rule, model):
    ruleset = actions.save_ruleset(None, name="uji ulang", rule=rule)
    return actions.start_run(
        None, ruleset=ruleset, pmt_model=model, area="73.09.13", as_of=AS_OF, programme=pkh,
        background=False,
    )  # fmt: skip


def _stored(run):
    return {
        r["household_id"]: r
        for r in TargetingResult.objects.filter(run=run).values(
            "household_id", "score", "rank", "desil", "eligible", "failed_mask", "missing_mask"
        )
    }


def _same_figures_as_stored(run, counted):
    """The figures a counted dry run showed are those its stored rows give."""
    again = type(run).objects.get(pk=run.pk)
    again.previous = run.previous
    actions._summarise(again, actions.plan_of(again), counted.get("means"), None)
    for key in ("per_area", "per_desil", "clauses", "compare", "missing", "cost"):
        assert again.summary.get(key) == counted.get(key), key
    assert (again.population, again.eligible, again.unscored) == (
        run.population, run.eligible, run.unscored,
    )  # fmt: skip


def test_a_changed_rule_reuses_the_scores_and_equals_a_full_run(bulk_households, pkh):
    bulk_households(_families())
    model = actions.save_pmt_model(None, PMT_MODEL)
    first = _run(pkh, RULE, model)
    assert "scores_from" not in first.summary

    actions.commit_run(None, first)
    changed = _run(pkh, CHANGED, model)
    assert changed.summary["scores_from"] == str(first.uid)
    assert changed.summary["means"] == first.summary["means"]
    # counted, not stored; committing stores exactly what was counted
    assert not changed.rows_stored and not _stored(changed)
    counted = dict(changed.summary)
    actions.store_rows(changed)
    assert changed.rows_stored
    _same_figures_as_stored(changed, counted)

    reused = _stored(changed)
    TargetingResult.objects.filter(run=changed).delete()
    full = actions.plan_of(changed)
    from pandu.targeting import engine

    engine.execute(full, changed.pk, TargetingResult._meta.db_table)
    assert reused == _stored(changed)
    assert sum(r["eligible"] for r in reused.values()) == changed.eligible > 0
    ranks = sorted(r["rank"] for r in reused.values())
    assert ranks == list(range(1, 31))


def test_a_change_in_the_registry_recomputes_the_scores(bulk_households, pkh):
    from pandu.registry.models import Household

    made = bulk_households(_families())
    model = actions.save_pmt_model(None, PMT_MODEL)
    first = _run(pkh, RULE, model)
    family = Household.objects.get(pk=made[0].pk)
    family.floor_area = 200
    family.save()

    changed = _run(pkh, CHANGED, model)
    assert "scores_from" not in changed.summary
    before = TargetingResult.objects.get(run=first, household=family).score
    after = TargetingResult.objects.get(run=changed, household=family).score
    assert after > before


def test_unchanged_parts_are_copied_bit_for_bit_and_equal_a_full_run(bulk_households, pkh):
    """The part "has a child 0–6" moves from place 1 to place 0 and keeps its answers; the
    changed desil part and a PPKS part (which can change without a family being saved) are
    computed again."""
    from pandu.targeting import engine

    bulk_households(_families())
    model = actions.save_pmt_model(None, PMT_MODEL)
    first = _run(pkh, RULE, model)
    moved = {
        "all": [
            RULE["all"][1],
            {"field": "desil", "op": "lte", "value": 6},
            {"not": {"member": {"field": "ppks", "op": "eq", "value": 24}}},
        ]
    }
    assert engine.reusable_parts(moved, RULE) == {0: 1}
    changed = _run(pkh, moved, model)
    assert changed.summary["scores_from"] == str(first.uid)
    assert changed.summary["parts_reused"] == [0]
    actions.store_rows(changed)

    reused = _stored(changed)
    TargetingResult.objects.filter(run=changed).delete()
    engine.execute(actions.plan_of(changed), changed.pk, TargetingResult._meta.db_table)
    assert reused == _stored(changed)
    child_failed = sum(1 for r in reused.values() if r["failed_mask"] & 1)
    assert 0 < child_failed < len(reused)
    assert first.summary["clauses"]["1"]["failed"] == child_failed


def test_a_part_naming_ppks_or_a_programme_is_never_copied():
    from pandu.targeting import engine

    ppks = {"member": {"field": "ppks", "op": "eq", "value": 24}}
    rule = {"all": [ppks, {"field": "desil", "op": "lte", "value": 4}]}
    assert engine.reusable_parts(rule, rule) == {1: 1}
