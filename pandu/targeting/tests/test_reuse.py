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


def test_a_changed_rule_reuses_the_scores_and_equals_a_full_run(bulk_households, pkh):
    bulk_households(_families())
    model = actions.save_pmt_model(None, PMT_MODEL)
    first = _run(pkh, RULE, model)
    assert "scores_from" not in first.summary

    changed = _run(pkh, CHANGED, model)
    assert changed.summary["scores_from"] == str(first.uid)
    assert changed.summary["means"] == first.summary["means"]

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
