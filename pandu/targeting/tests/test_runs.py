"""Runs end to end: validation errors, dry run figures against the previous run, a rule that
selects nobody, scope, the background job, explanations, appeals and the command's CSV."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.conftest import BULU, LAPPARA
from pandu.core import jobs
from pandu.targeting import actions
from pandu.targeting.models import Appeal, TargetingRun

from .conftest import PKH_RULE, PMT_MODEL

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 3, 1)


def _run(user, pkh, rule, model=None, name="PKH"):
    rs = actions.save_ruleset(user, name=name, rule=rule)
    pm = actions.save_pmt_model(user, model) if model else None
    return actions.start_run(
        user, ruleset=rs, pmt_model=pm, area="73.09.13", programme=pkh, as_of=AS_OF,
        amount=3_000_000, background=False,
    )  # fmt: skip


def test_errors_name_the_unknown_field_and_the_impossible_value(personas):
    with pytest.raises(ValidationError) as e:
        actions.save_ruleset(
            personas["admin_maros"],
            name="x",
            rule={"all": [{"field": "umur", "op": "gte", "value": 70},
                          {"field": "desil", "op": "lte", "value": 11}]},
        )  # fmt: skip
    text = " ".join(e.value.message_dict["rules"])
    assert "all[0]: kolom 'umur' tidak dikenal" in text
    assert "all[1]: nilai 11 untuk 'desil' tidak mungkin" in text
    with pytest.raises(ValidationError) as e:
        actions.save_pmt_model(personas["admin_maros"], {**PMT_MODEL, "variables": [
            {"name": "x", "source": "floor_material", "in": [99], "weight": 1}]})  # fmt: skip
    assert "nilai [99] untuk 'floor_material' tidak mungkin" in " ".join(e.value.messages)


def test_versions_follow_changes(personas):
    admin = personas["admin_maros"]
    first = actions.save_ruleset(admin, name="PKH", rule=PKH_RULE)
    assert actions.save_ruleset(admin, name="PKH", rule=PKH_RULE) == first
    second = actions.save_ruleset(
        admin, name="PKH", rule={"field": "desil", "op": "lte", "value": 3}
    )
    assert (first.version, second.version) == (1, 2)


def test_dry_run_compares_with_the_committed_run(personas, household_factory, pkh):
    admin = personas["admin_maros"]
    poor = household_factory(desil=2)
    middle = household_factory(desil=5, village=BULU)
    first = _run(admin, pkh, {"field": "desil", "op": "lte", "value": 4})
    assert (first.population, first.eligible) == (2, 1)
    assert first.summary["cost"] == "3000000"
    actions.commit_run(admin, first)
    second = _run(admin, pkh, {"field": "desil", "op": "gte", "value": 5})
    compare = second.summary["compare"]
    assert (compare["entering"], compare["leaving"]) == (1, 1)
    assert compare["entering_ids"] == [middle.pk] and compare["leaving_ids"] == [poor.pk]
    per_area = {r["area"]: r for r in second.summary["per_area"]}
    assert per_area[BULU]["eligible"] == 1 and per_area[LAPPARA]["eligible"] == 0
    page = _client(admin).get(reverse("targeting:run_detail", args=[second.uid]))
    assert middle.kk_number in page.content.decode()


def test_a_rule_that_selects_nobody_warns_and_cannot_be_committed(personas, household_factory, pkh):
    household_factory(desil=7)
    run = _run(personas["admin_maros"], pkh, {"field": "desil", "op": "lte", "value": 2})
    assert run.eligible == 0
    assert any("tidak memilih satu keluarga pun" in w for w in run.warnings)
    with pytest.raises(ValidationError):
        actions.commit_run(personas["admin_maros"], run)
    run.refresh_from_db()
    assert run.status == "dry"


def test_missing_pmt_values_are_counted_not_scored_as_zero(personas, household_factory, pkh):
    known = household_factory(desil=2, floor_area=30, floor_material=1)
    unknown = household_factory(desil=2, floor_area=30)  # no floor material recorded
    run = _run(personas["admin_maros"], pkh, PKH_RULE, PMT_MODEL)
    assert run.unscored == 1
    assert run.summary["missing"] == [{"variable": "earth_floor", "households": 1}]
    results = {r.household_id: r for r in run.results.all()}
    assert results[known.pk].score is not None and results[known.pk].desil == 1
    assert results[unknown.pk].score is None and results[unknown.pk].desil is None


def _client(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_api_runs_in_the_background_and_refuses_other_areas(personas, household_factory, pkh):
    household_factory(desil=1)
    api = APIClient()
    api.force_authenticate(personas["admin_maros"])
    body = {"programme": pkh.code, "area": "73.09.13", "rule_name": "PKH", "rules": PKH_RULE,
            "pmt": PMT_MODEL}  # fmt: skip
    answer = api.post("/api/v1/targeting/runs/", body, format="json")
    assert answer.status_code == 202, answer.content
    assert answer.json()["status"] == "pending"
    jobs.run_pending()
    run = TargetingRun.objects.get(uid=answer.json()["uid"])
    assert run.status == "dry" and run.population == 1
    outside = api.post("/api/v1/targeting/runs/", {**body, "area": "73.71"}, format="json")
    assert outside.status_code == 404
    bad = api.post("/api/v1/targeting/runs/", {**body, "rules": {"field": "x", "op": "eq"}},
                   format="json")  # fmt: skip
    assert bad.status_code == 400 and "kolom 'x' tidak dikenal" in bad.content.decode()


def test_eligibility_explains_and_the_family_can_appeal(personas, household_factory, pkh):
    from pandu.services import actions as services

    admin = personas["admin_maros"]
    household = household_factory(desil=6, floor_area=40, floor_material=9)
    run = _run(admin, pkh, PKH_RULE, PMT_MODEL)
    api = APIClient()
    api.force_authenticate(admin)
    answer = api.get(f"/api/v1/households/{household.uid}/eligibility/?programme={pkh.code}")
    assert answer.status_code == 200
    data = answer.json()
    assert data["eligible"] is False
    first = data["rules"][0]
    assert first["passed"] is False and first["checks"][0]["actual"] == "6"
    assert {c["variable"] for c in data["score_components"]} == {
        v["name"] for v in PMT_MODEL["variables"]
    }
    services.create_service_point(
        admin, name="Puskesos Moncongloe", kind="puskesos", area=household.village
    )
    page = _client(admin).get(reverse("targeting:explain", args=[run.uid, household.uid]))
    assert "desil kesejahteraan ≤ 4" in page.content.decode()
    sent = _client(admin).post(
        reverse("targeting:explain", args=[run.uid, household.uid]),
        {"reason": "Kami miskin, anak kami baru lahir"},
    )
    assert sent.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.intake.kind == "pengaduan" and appeal.run == run
    assert appeal.intake.person == household.head()
    assert str(run.uid)[:8] in appeal.intake.description


def test_command_writes_one_row_per_family(personas, household_factory, pkh, tmp_path):
    import json

    household_factory(desil=1)
    household_factory(desil=9)
    rules_file = tmp_path / "pkh.json"
    rules_file.write_text(json.dumps({"field": "desil", "op": "lte", "value": 4}))
    out = tmp_path / "hasil.csv"
    call_command(
        "targeting_run", "--programme", pkh.code, "--area", "73.09.13", "--rules",
        str(rules_file), "--dry-run", "--out", str(out),
    )  # fmt: skip
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 2 and set(rows[0]) == {"kk_number", "score", "desil", "eligible", "reasons"}
    assert sorted(r["eligible"] for r in rows) == ["0", "1"]
    assert any("tidak memenuhi: desil kesejahteraan ≤ 4" in r["reasons"] for r in rows)
    assert TargetingRun.objects.get().status == "dry"
