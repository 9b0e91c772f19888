"""Cycles: set up by the scheme, approved by the Dinas then the head (each once), group
entitlements, held entitlements approved only after their cycle, and the database's own
refusals (one entitlement per family and cycle, a family or a group, never both)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from pandu.payments import actions
from pandu.payments.models import Cycle, Entitlement

pytestmark = pytest.mark.django_db


def test_a_pkh_cycle_covers_a_quarter_and_is_named_for_its_stage(personas, pkh, maros):
    cycle = actions.create_cycle(
        personas["admin_maros"], programme=pkh, area=maros, period_start=date(2026, 4, 1)
    )
    assert (cycle.period_start, cycle.period_end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert cycle.name == "PKH tahap 2 2026 — Kabupaten Maros"
    assert cycle.status == "draf"
    assert cycle.history.first().history_change_reason == "Siklus dibuat"


def test_a_year_is_planned_by_the_scheme(personas, pkh, bpnt, maros):
    admin = personas["admin_maros"]
    assert len(actions.plan_cycles(admin, programme=pkh, area=maros, year=2026)) == 4
    months = actions.plan_cycles(admin, programme=bpnt, area=maros, year=2026)
    assert [c.period_start.month for c in months] == list(range(1, 13))
    assert months[1].period_end == date(2026, 2, 28)
    assert actions.plan_cycles(admin, programme=pkh, area=maros, year=2026) == []


def test_an_overlapping_cycle_of_the_same_programme_is_refused(personas, pkh, maros):
    from pandu.regions.models import Area

    admin = personas["admin_maros"]
    actions.create_cycle(admin, programme=pkh, area=maros, period_start=date(2026, 1, 1))
    district = Area.objects.get(code="73.09.13")
    with pytest.raises(ValidationError, match="bertumpang tindih dengan siklus PKH tahap 1 2026"):
        actions.create_cycle(admin, programme=pkh, area=district, period_start=date(2026, 2, 1))


def test_a_cycle_outside_the_users_area_is_refused(personas, pkh, maros):
    with pytest.raises(PermissionDenied):
        actions.create_cycle(
            personas["admin_makassar"], programme=pkh, area=maros, period_start=date(2026, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        actions.create_cycle(
            personas["tksk_moncongloe"], programme=pkh, area=maros, period_start=date(2026, 1, 1)
        )


@pytest.fixture
def kube_cycle(personas, kube, maros, group):
    cycle = actions.create_cycle(
        personas["admin_maros"], programme=kube, area=maros, period_start=date(2026, 1, 1)
    )
    actions.add_group_entitlement(
        personas["admin_maros"],
        cycle,
        organisation=group,
        component="",
        amount="15.000.000",
        account_bank="BRI",
        account_number="0123-4567-8901",
        account_name="KUBE Maju Bersama",
    )
    cycle.refresh_from_db()
    return cycle


def test_a_group_grant_is_an_entitlement_of_the_group_not_of_a_family(kube_cycle, group):
    entitlement = Entitlement.objects.get(cycle=kube_cycle)
    assert entitlement.organisation == group and entitlement.household is None
    assert entitlement.amount == 15_000_000 and entitlement.account_number == "012345678901"
    assert entitlement.channel == "bank"
    assert kube_cycle.status == "dihitung"
    assert kube_cycle.figures["kpm"] == 1 and kube_cycle.figures["amount"] == 15_000_000


def test_a_family_programme_takes_no_group_entitlement(personas, pkh, maros, group):
    cycle = actions.create_cycle(
        personas["admin_maros"], programme=pkh, area=maros, period_start=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError, match="dibayar kepada keluarga"):
        actions.add_group_entitlement(
            personas["admin_maros"], cycle, organisation=group, component="", amount=1000,
            account_bank="BRI", account_number="1234567", account_name="x",
        )  # fmt: skip


def test_approval_goes_dinas_then_head_each_once_with_who_and_when(kube_cycle, personas):
    admin, head = personas["admin_maros"], personas["head"]
    with pytest.raises(PermissionDenied):
        actions.approve_cycle_dinas(head, kube_cycle)
    with pytest.raises(ValidationError, match="belum disetujui Dinas"):
        actions.approve_cycle_head(head, kube_cycle)
    cycle = actions.approve_cycle_dinas(admin, kube_cycle)
    assert cycle.status == "disetujui_dinas" and cycle.dinas_by == admin and cycle.dinas_at
    with pytest.raises(ValidationError, match="sudah disetujui Dinas pada .* oleh admin_maros"):
        actions.approve_cycle_dinas(admin, kube_cycle)
    with pytest.raises(PermissionDenied):
        actions.approve_cycle_head(admin, kube_cycle)
    cycle = actions.approve_cycle_head(head, kube_cycle)
    assert cycle.status == "disetujui" and cycle.head_by == head and cycle.head_at
    assert set(Entitlement.objects.filter(cycle=cycle).values_list("status", flat=True)) == {
        "disetujui"
    }
    with pytest.raises(ValidationError, match="sudah disetujui Kepala pada .* oleh head"):
        actions.approve_cycle_head(head, kube_cycle)
    reasons = [h.history_change_reason for h in Cycle.history.filter(id=cycle.pk)]
    assert "Disetujui Kepala; hak bantuan dibekukan" in reasons and "Disetujui Dinas" in reasons


def test_an_entitlement_is_never_approved_before_its_cycle(kube_cycle, personas):
    admin, head = personas["admin_maros"], personas["head"]
    entitlement = Entitlement.objects.get(cycle=kube_cycle)
    actions.hold_entitlement(admin, entitlement, "rekening kelompok diperiksa")
    with pytest.raises(ValidationError, match="sebelum siklusnya .* disetujui Kepala"):
        actions.approve_entitlement(admin, entitlement)
    actions.approve_cycle_dinas(admin, kube_cycle)
    with pytest.raises(ValidationError, match="sebelum siklusnya"):
        actions.approve_entitlement(admin, entitlement)
    actions.approve_cycle_head(head, kube_cycle)
    entitlement.refresh_from_db()
    assert entitlement.status == "ditahan"  # a held entitlement stays out of the approval
    with pytest.raises(ValidationError, match="tidak dapat ditahan lagi"):
        actions.hold_entitlement(admin, entitlement, "lagi")
    entitlement = actions.approve_entitlement(admin, entitlement, "rekening benar")
    assert entitlement.status == "disetujui" and entitlement.decided_by == admin
    with pytest.raises(ValidationError, match="hanya hak yang ditahan"):
        actions.approve_entitlement(admin, entitlement)


def test_a_cycle_with_nothing_computed_is_not_approved(personas, pkh, maros):
    cycle = actions.create_cycle(
        personas["admin_maros"], programme=pkh, area=maros, period_start=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError, match="belum dihitung"):
        actions.approve_cycle_dinas(personas["admin_maros"], cycle)


def test_the_database_keeps_one_entitlement_per_family_and_either_a_family_or_a_group(
    kube_cycle, group, household_factory
):
    family = household_factory()
    base = {"cycle": kube_cycle, "area_code": "73.09.13.2003", "channel": "bank", "amount": 1}
    with pytest.raises(IntegrityError), transaction.atomic():
        Entitlement.objects.create(organisation=group, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entitlement.objects.create(organisation=group, household=family, **base)
    Entitlement.objects.create(household=family, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entitlement.objects.create(household=family, **base)
