"""KPM of Moncongloe to visit, accompany and graduate: families registered through the
registry's actions, enrolled as active KPM of a test programme (the enrolment journey itself is
programs' to test). The district's TKSK visits them; Maros's administrator graduates them."""

from __future__ import annotations

from datetime import date

import pytest

from pandu.conftest import LAPPARA
from pandu.programs.models import Enrolment, Programme
from pandu.registry.choices import Relationship

ENROLLED = date(2025, 1, 15)


@pytest.fixture
def programme(db):
    return Programme.objects.create(code="PKH-UJI", name="PKH uji", benefit_type="tunai")


@pytest.fixture
def make_kpm(household_factory, programme):
    def make(village: str = LAPPARA, *, status: str = "aktif", **household) -> Enrolment:
        hh = household_factory(village, **household)
        head = hh.members.get(relationship=Relationship.HEAD)
        return Enrolment.objects.create(
            programme=programme,
            household=hh,
            recipient=head,
            area_code=village,
            status=status,
            step="ditetapkan",
            status_since=ENROLLED,
            enrolled_on=ENROLLED,
        )

    return make


@pytest.fixture
def kpm(make_kpm):
    return make_kpm(desil=5, income_monthly=3_500_000)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
