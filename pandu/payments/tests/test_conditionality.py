"""Conditionality: recorded per cycle for a KPM's members, and the scheme's consequence
(PKH: suspended after three misses) made through the programme's own status change."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pandu.payments import actions
from pandu.payments.models import ConditionalityRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(household_factory, enrol, pkh):
    household = household_factory()
    return household, enrol(household, pkh)


@pytest.fixture
def cycles(personas, pkh, maros):
    return actions.plan_cycles(personas["admin_maros"], programme=pkh, area=maros, year=2026)


def test_school_attendance_is_recorded_for_a_child_and_can_be_corrected(family, cycles, personas):
    household, _enrolment = family
    tksk = personas["tksk_moncongloe"]
    child = household.members.get(relationship=2)  # any active member stands in for a child
    with pytest.raises(ValidationError) as refused:
        actions.record_conditionality(
            tksk, cycles[0], household=household, kind="sekolah", result="terpenuhi"
        )
    assert "pilih anggotanya" in str(refused.value)
    actions.record_conditionality(
        tksk, cycles[0], household=household, person=child, kind="sekolah", result="terpenuhi"
    )
    record = actions.record_conditionality(
        tksk, cycles[0], household=household, person=child, kind="sekolah",
        result="tidak_terpenuhi", note="tidak hadir 10 hari",
    )  # fmt: skip
    assert ConditionalityRecord.objects.count() == 1
    assert record.result == "tidak_terpenuhi" and record.history.count() == 2


def test_only_a_kpm_inside_the_users_area_is_recorded(household_factory, family, cycles, personas):
    stranger = household_factory()
    with pytest.raises(ValidationError, match="bukan KPM PKH"):
        actions.record_conditionality(
            personas["admin_maros"], cycles[0], household=stranger, kind="kesehatan",
            result="terpenuhi",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        actions.record_conditionality(
            personas["operator_bulu"], cycles[0], household=family[0], kind="kesehatan",
            result="terpenuhi",
        )  # fmt: skip


def test_three_misses_suspend_the_kpm_through_the_programmes_status_change(
    family, cycles, personas
):
    household, enrolment = family
    admin = personas["admin_maros"]
    for cycle in cycles[:2]:
        actions.record_conditionality(
            admin, cycle, household=household, kind="kesehatan", result="tidak_terpenuhi",
            note="tidak ke posyandu",
        )  # fmt: skip
    assert actions.apply_conditionality(admin, cycles[1]) == []
    actions.record_conditionality(
        admin, cycles[2], household=household, kind="kesehatan", result="tidak_terpenuhi",
        note="tidak ke posyandu",
    )  # fmt: skip
    suspended = actions.apply_conditionality(admin, cycles[2])
    assert [e.pk for e in suspended] == [enrolment.pk]
    enrolment.refresh_from_db()
    assert enrolment.status == "ditangguhkan"
    assert "3 kali tidak memenuhi kewajiban PKH" in enrolment.status_reason
    assert enrolment.history.first().history_change_reason == enrolment.status_reason
    record = ConditionalityRecord.objects.get(cycle=cycles[2])
    assert record.consequence.startswith("Ditangguhkan")
    assert actions.apply_conditionality(admin, cycles[2]) == []  # already suspended


def test_a_scheme_without_a_consequence_says_so(personas, bpnt, maros):
    cycle = actions.create_cycle(
        personas["admin_maros"], programme=bpnt, area=maros, period_start=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError, match="tidak menetapkan akibat"):
        actions.apply_conditionality(personas["admin_maros"], cycle)
