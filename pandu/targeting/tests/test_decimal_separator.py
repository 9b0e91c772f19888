"""A family's PMT score on its page and a run's seconds in the job's result are written with the
reader's decimal separator: 12,345 in Indonesian, 12.345 in English."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.utils import translation

from pandu.core.tests.decimals import wrong_decimals
from pandu.targeting import actions
from pandu.targeting.related import targeting_results
from pandu.targeting.tasks import compute

from .conftest import PKH_RULE, PMT_MODEL

pytestmark = pytest.mark.django_db


def _run(admin, pkh, background):
    rs = actions.save_ruleset(admin, name="PKH", rule=PKH_RULE)
    pm = actions.save_pmt_model(admin, PMT_MODEL)
    return actions.start_run(
        admin, ruleset=rs, pmt_model=pm, area="73.09.13", programme=pkh, as_of=date(2026, 3, 1),
        background=background,
    )  # fmt: skip


def test_the_household_page_writes_the_score_in_the_readers_language(
    personas, household_factory, pkh
):
    admin = personas["admin_maros"]
    household = household_factory(desil=3, floor_area=40, floor_material=9)
    _run(admin, pkh, background=False)
    score = actions.TargetingResult.objects.get(household=household).score
    assert score is not None and score != int(score)
    shown = {}
    for language in ("id", "en"):
        with translation.override(language):
            section = targeting_results(admin, [household.head()])
            shown[language] = section.rows[0].detail
    whole = str(int(score))
    assert re.fullmatch(rf"skor {whole},\d{{3}}", shown["id"]), shown
    assert re.fullmatch(rf"score {whole}\.\d{{3}}", shown["en"]), shown


def test_the_jobs_result_writes_seconds_in_the_readers_language(personas, household_factory, pkh):
    admin = personas["admin_maros"]
    household_factory(desil=3, floor_area=40)
    run = _run(admin, pkh, background=True)
    ctx = SimpleNamespace(params={"run": run.pk}, progress=lambda *a, **k: None)
    for language in ("id", "en"):
        with translation.override(language):
            text = compute(ctx)
        assert wrong_decimals(text, language) == [], text
        assert "1 " in text
