"""The case's change history names every field in the user's language, never a field's code."""

import pytest
from django.utils import translation

from pandu.registry.history import history_entries
from pandu.services import actions

pytestmark = pytest.mark.django_db


def _fields(case) -> set[str]:
    return {str(ch["field"]) for e in history_entries(case) for ch in e["changes"]}


def test_plan_and_closure_labels_are_indonesian_with_english_translations(world, make_case):
    worker, boss = world.users["social_worker"], world.users["admin_maros"]
    case = make_case()
    actions.add_goal(worker, case, description="Berobat rutin")
    actions.submit_plan(worker, case)
    actions.decide_plan(boss, case, approve=True)
    actions.request_closure(worker, case, outcome="resolved", summary="Selesai")
    actions.decide_closure(boss, case, approve=True)
    case.refresh_from_db()
    with translation.override("id"):
        fields = _fields(case)
    assert {"rencana diputuskan oleh", "penutupan diajukan oleh", "ditutup oleh"} <= fields
    assert not {f for f in fields if f.endswith(" by") or f.endswith(" at")}, fields
    with translation.override("en"):
        english = _fields(case)
    assert {"plan decided by", "closure requested by", "closed by"} <= english
