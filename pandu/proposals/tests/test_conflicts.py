"""Conflicts are caught, never silently overwritten: two open proposals on one person, and a
record that moved on between the proposal and the decision."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from pandu.conftest import LAPPARA
from pandu.proposals import actions
from pandu.proposals.models import ItemStatus
from pandu.registry import actions as registry

from .conftest import confirm_all

pytestmark = pytest.mark.django_db


def test_second_open_proposal_on_the_same_person_is_flagged_and_shown_to_the_verifier(
    personas, household_factory, batch_factory, client
):
    rahma = personas["operator_lappara"]
    hh = household_factory(LAPPARA)
    spouse = hh.members.get(relationship=2)
    first = actions.add_person_change_item(
        rahma, batch_factory(rahma), spouse, {"disability_type": 1}, reason="Disabilitas fisik"
    )
    second_batch = batch_factory(rahma)
    second = actions.add_death_item(rahma, second_batch, spouse, on=date.today(), reason="Wafat")

    assert list(second.conflicts_with.all()) == [first]
    assert "pending_conflict" in second.warnings
    assert not first.conflicts_with.exists()
    assert list(first.conflicted_by.all()) == [second]

    actions.submit_batch(rahma, second_batch)
    client.force_login(personas["tksk_moncongloe"])
    page = client.get(f"/usulan/butir/{second.uid}/verifikasi/").content.decode()
    assert "Ada usulan lain yang belum selesai" in page
    assert str(first.batch.ref) in page


def test_a_decided_proposal_no_longer_conflicts(personas, household_factory, batch_factory):
    rahma, admin = personas["operator_lappara"], personas["admin_maros"]
    hh = household_factory(LAPPARA)
    batch = batch_factory(rahma)
    first = actions.add_household_change_item(rahma, batch, hh, {"rt": 5}, reason="RT baru")
    actions.submit_batch(rahma, batch)
    actions.decide_item(admin, first, approve=False, reason="Bukan hasil musdes")
    second = actions.add_household_change_item(
        rahma, batch_factory(rahma), hh, {"rt": 6}, reason="RT baru"
    )
    assert not second.conflicts_with.exists()


def _stale_item(personas, household_factory, batch_factory):
    """Bu Rahma proposes a new address; before the decision the office corrects it otherwise."""
    rahma, syamsul, admin = (
        personas["operator_lappara"],
        personas["tksk_moncongloe"],
        personas["admin_maros"],
    )
    hh = household_factory(LAPPARA, address="Dusun Lama")
    batch = batch_factory(rahma)
    item = actions.add_household_change_item(
        rahma, batch, hh, {"address": "Dusun Bontoa", "bedrooms": 2}, reason="Alamat baru"
    )
    actions.submit_batch(rahma, batch)
    actions.verify_item(syamsul, item, results=confirm_all(item))
    registry.update_household(admin, hh, {"address": "Dusun Baru Jaya"}, reason="Koreksi kantor")
    return hh, item


def test_stale_data_is_not_overwritten_and_the_three_values_are_shown(
    personas, household_factory, batch_factory, client
):
    hh, item = _stale_item(personas, household_factory, batch_factory)
    admin = personas["admin_maros"]

    actions.decide_item(admin, item, approve=True)

    item.refresh_from_db()
    hh.refresh_from_db()
    assert item.status == ItemStatus.APPROVED
    assert item.stale == {
        "address": {
            "before": "Dusun Lama",
            "current": "Dusun Baru Jaya",
            "proposed": "Dusun Bontoa",
        }
    }
    assert hh.address == "Dusun Baru Jaya"
    assert hh.bedrooms is None  # nothing half-written
    client.force_login(admin)
    page = client.get(f"/usulan/butir/{item.uid}/").content.decode()
    for value in ("Dusun Lama", "Dusun Baru Jaya", "Dusun Bontoa"):
        assert value in page


def test_the_approvers_choice_of_the_proposed_value_is_applied(
    personas, household_factory, batch_factory
):
    hh, item = _stale_item(personas, household_factory, batch_factory)
    admin = personas["admin_maros"]
    actions.decide_item(admin, item, approve=True)

    actions.resolve_conflict(admin, item, {"address": "proposed"})

    item.refresh_from_db()
    hh.refresh_from_db()
    assert item.status == ItemStatus.APPLIED
    assert (hh.address, hh.bedrooms) == ("Dusun Bontoa", 2)
    assert item.resolutions["address"]["keep"] == "proposed"
    assert item.resolutions["address"]["by"] == "admin_maros"


def test_the_approvers_choice_of_the_current_value_keeps_it_and_applies_the_rest(
    personas, household_factory, batch_factory
):
    hh, item = _stale_item(personas, household_factory, batch_factory)
    actions.decide_item(
        personas["admin_maros"], item, approve=True, resolutions={"address": "current"}
    )
    item.refresh_from_db()
    hh.refresh_from_db()
    assert item.status == ItemStatus.APPLIED
    assert (hh.address, hh.bedrooms) == ("Dusun Baru Jaya", 2)


def test_the_verifier_may_choose_during_the_visit(personas, household_factory, batch_factory):
    hh, item = _stale_item(personas, household_factory, batch_factory)
    actions.verify_item(
        personas["tksk_moncongloe"],
        item,
        results=confirm_all(item),
        resolutions={"address": "proposed"},
    )
    actions.decide_item(personas["admin_maros"], item, approve=True)
    hh.refresh_from_db()
    assert hh.address == "Dusun Bontoa"


def test_a_choice_made_on_a_value_that_changed_again_is_asked_again(
    personas, household_factory, batch_factory
):
    hh, item = _stale_item(personas, household_factory, batch_factory)
    admin = personas["admin_maros"]
    actions.verify_item(
        personas["tksk_moncongloe"],
        item,
        results=confirm_all(item),
        resolutions={"address": "proposed"},
    )
    registry.update_household(admin, hh, {"address": "Dusun Ketiga"}, reason="Koreksi lagi")
    actions.decide_item(admin, item, approve=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED
    assert item.stale["address"]["current"] == "Dusun Ketiga"


def test_a_choice_is_needed_for_every_conflicting_field(personas, household_factory, batch_factory):
    hh, item = _stale_item(personas, household_factory, batch_factory)
    admin = personas["admin_maros"]
    actions.decide_item(admin, item, approve=True)
    with pytest.raises(ValidationError):
        actions.resolve_conflict(admin, item, {})


def test_a_change_already_made_by_someone_else_is_no_conflict(
    personas, household_factory, batch_factory
):
    rahma, admin = personas["operator_lappara"], personas["admin_maros"]
    hh = household_factory(LAPPARA)
    batch = batch_factory(rahma)
    item = actions.add_household_change_item(rahma, batch, hh, {"rt": 9}, reason="RT baru")
    actions.submit_batch(rahma, batch)
    actions.verify_item(personas["tksk_moncongloe"], item, results=confirm_all(item))
    registry.update_household(admin, hh, {"rt": 9}, reason="Sudah diubah")
    actions.decide_item(admin, item, approve=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.APPLIED


def test_a_death_of_someone_who_moved_away_meanwhile_asks_which_status_to_keep(
    personas, household_factory, batch_factory
):
    rahma, admin = personas["operator_lappara"], personas["admin_maros"]
    hh = household_factory(LAPPARA)
    spouse = hh.members.get(relationship=2)
    batch = batch_factory(rahma)
    item = actions.add_death_item(rahma, batch, spouse, on=date(2026, 1, 2), reason="Wafat")
    actions.submit_batch(rahma, batch)
    actions.verify_item(personas["tksk_moncongloe"], item, results=confirm_all(item))
    registry.change_person_status(admin, spouse, status="moved", on=date.today(), reason="Pindah")
    actions.decide_item(admin, item, approve=True)
    item.refresh_from_db()
    assert item.stale == {
        "status": {"before": "active", "current": "moved", "proposed": "deceased"}
    }
