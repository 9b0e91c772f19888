"""A family moving to another regency is handed over, not copied: same row, same KK, same
history; the destination sees it only after accepting it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pandu.conftest import BULU, LAPPARA, MAKASSAR_VILLAGE
from pandu.proposals import actions
from pandu.proposals.models import Handover, HandoverStatus, ItemStatus
from pandu.registry.models import Household, Person

from .conftest import confirm_all

pytestmark = pytest.mark.django_db


def _released(personas, household_factory, batch_factory):
    rahma, admin = personas["operator_lappara"], personas["admin_maros"]
    hh = household_factory(LAPPARA)
    batch = batch_factory(rahma)
    item = actions.add_move_item(
        rahma,
        batch,
        hh,
        village=MAKASSAR_VILLAGE,
        rt=4,
        rw=2,
        address="Jl. Rajawali",
        reason="Ikut suami bekerja",
    )
    assert "inter_regency" in item.warnings
    actions.submit_batch(rahma, batch)
    actions.verify_item(personas["tksk_moncongloe"], item, results=confirm_all(item))
    actions.decide_item(admin, item, approve=True)
    item.refresh_from_db()
    return hh, item


def test_household_moving_to_another_regency_is_handed_over_after_the_destination_accepts(
    personas, household_factory, batch_factory
):
    maros, makassar = personas["admin_maros"], personas["admin_makassar"]
    hh, item = _released(personas, household_factory, batch_factory)
    handover = Handover.objects.get(item=item)

    # Released by the origin, not yet accepted: still in Maros, invisible to Makassar.
    assert item.status == ItemStatus.APPROVED
    assert handover.status == HandoverStatus.AWAITING
    assert Household.objects.visible_to(maros).filter(pk=hh.pk).exists()
    assert not Household.objects.visible_to(makassar).filter(pk=hh.pk).exists()
    assert Handover.objects.visible_to(makassar).filter(pk=handover.pk).exists()

    with pytest.raises(PermissionDenied):
        actions.accept_handover(maros, handover)
    actions.accept_handover(makassar, handover, note="Diterima di Mariso")

    moved = Household.objects.get(pk=hh.pk)
    assert (moved.kk_number, moved.village_id, moved.rt, moved.rw) == (
        hh.kk_number,
        MAKASSAR_VILLAGE,
        4,
        2,
    )
    assert Household.objects.count() == 1
    assert set(Person.objects.filter(household=moved).values_list("area_code", flat=True)) == {
        MAKASSAR_VILLAGE
    }
    assert Household.objects.visible_to(makassar).filter(pk=hh.pk).exists()
    assert not Household.objects.visible_to(maros).filter(pk=hh.pk).exists()
    # One history, both sides named.
    last = moved.history.order_by("-history_date").first()
    assert last.history_user == makassar
    assert "admin_maros" in last.history_change_reason
    assert "admin_makassar" in last.history_change_reason
    assert "Kabupaten Maros" in last.history_change_reason
    assert "Kota Makassar" in last.history_change_reason
    assert list(moved.history.order_by("history_date").values_list("history_type", flat=True)) == [
        "+",
        "~",
    ]
    item.refresh_from_db()
    assert item.status == ItemStatus.APPLIED


def test_destination_may_refuse_and_the_household_stays(personas, household_factory, batch_factory):
    hh, item = _released(personas, household_factory, batch_factory)
    handover = Handover.objects.get(item=item)
    with pytest.raises(ValidationError):
        actions.refuse_handover(personas["admin_makassar"], handover, reason="")
    actions.refuse_handover(personas["admin_makassar"], handover, reason="Alamat tidak ditemukan")
    hh.refresh_from_db()
    item.refresh_from_db()
    assert hh.village_id == LAPPARA
    assert item.status == ItemStatus.APPROVED
    assert "Alamat tidak ditemukan" in item.apply_error


def test_other_regencies_do_not_see_the_handover(personas, household_factory, batch_factory):
    _hh, item = _released(personas, household_factory, batch_factory)
    handover = Handover.objects.get(item=item)
    for who in ("operator_bulu", "partner", "head"):
        assert not Handover.objects.visible_to(personas[who]).filter(pk=handover.pk).exists(), who
    assert Handover.objects.visible_to(personas["operator_lappara"]).filter(pk=handover.pk).exists()


def test_a_move_inside_the_regency_is_applied_at_once(personas, household_factory, batch_factory):
    rahma, admin = personas["operator_lappara"], personas["admin_maros"]
    hh = household_factory(LAPPARA)
    batch = batch_factory(rahma)
    item = actions.add_move_item(rahma, batch, hh, village=BULU, rt=1, rw=1, reason="Pindah rumah")
    assert item.warnings == []
    actions.submit_batch(rahma, batch)
    actions.verify_item(personas["tksk_moncongloe"], item, results=confirm_all(item))
    actions.decide_item(admin, item, approve=True)
    hh.refresh_from_db()
    item.refresh_from_db()
    assert item.status == ItemStatus.APPLIED
    assert hh.village_id == BULU
    assert not Handover.objects.exists()
