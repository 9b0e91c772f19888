"""The demo's personal-data records: made through the actions for three people of Moncongloe
Lappara, once."""

from __future__ import annotations

import pytest

from pandu.accounts.actions import create_user
from pandu.conftest import LAPPARA
from pandu.demo import privacy as demo
from pandu.privacy.models import Breach, ConsentRecord, SubjectRequest

pytestmark = pytest.mark.django_db


def test_the_demo_fills_each_step_once(areas, household_factory, personas):
    for username, role, area in (
        ("admin", "admin", "73.09"),
        ("dewi", "front_office", "73.09"),
        ("rahma", "operator", LAPPARA),
    ):
        create_user(username, role=role, area_code=area, password="demo-pass-2026-x")
    assert demo.load() is False  # too few people yet
    for _ in range(2):
        household_factory()
    assert demo.load() is True
    statuses = set(SubjectRequest.objects.values_list("kind", "status"))
    assert statuses == {
        ("access", "in_progress"),
        ("correction", "received"),
        ("restriction", "awaiting_approval"),
    }
    assert ConsentRecord.objects.filter(purpose="registration").count() == 3
    breach = Breach.objects.get()
    assert breach.subjects_notified_at and not breach.authority_notified_at
    assert not breach.notice_overdue()
    assert demo.load() is False
    assert SubjectRequest.objects.count() == 3
