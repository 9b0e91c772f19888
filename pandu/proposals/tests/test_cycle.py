"""The update cycle from the village meeting to the registry: propose, verify, decide, apply."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pandu.conftest import LAPPARA
from pandu.proposals import actions
from pandu.proposals.models import BatchStatus, ItemStatus, ProposalItem
from pandu.registry.models import Household, Person

from .conftest import confirm_all, new_family

pytestmark = pytest.mark.django_db


def test_operator_proposes_new_household_and_death_tksk_verifies_admin_approves_one_rejects_other(
    personas, household_factory, batch_factory
):
    rahma, syamsul, admin = (
        personas["operator_lappara"],
        personas["tksk_moncongloe"],
        personas["admin_maros"],
    )
    existing = household_factory(LAPPARA)
    grandfather = existing.members.get(relationship=1)
    batch = batch_factory(rahma)
    assert batch.minutes.name.startswith("proposals/minutes/")
    family = new_family()
    newcomer = actions.add_household_item(rahma, batch, **family, reason="Keluarga miskin baru")
    death = actions.add_death_item(
        rahma, batch, grandfather, on=date.today() - timedelta(days=10), reason="Meninggal dunia"
    )
    households_before = Household.objects.count()
    actions.submit_batch(rahma, batch)

    for item in (newcomer, death):
        actions.verify_item(syamsul, item, results=confirm_all(item), note="Sudah dikunjungi")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VERIFIED

    actions.decide_item(admin, newcomer, approve=True)
    actions.decide_item(
        admin, death, approve=False, reason="Akta kematian belum ada; lampirkan surat desa."
    )

    newcomer.refresh_from_db()
    death.refresh_from_db()
    batch.refresh_from_db()
    assert newcomer.status == ItemStatus.APPLIED
    assert death.status == ItemStatus.REJECTED
    assert batch.status == BatchStatus.DECIDED
    # Only the approved item changed the registry.
    assert Household.objects.count() == households_before + 1
    created = Household.objects.get(kk_number=family["household"]["kk_number"])
    assert newcomer.result_household == created
    assert created.members.count() == 2
    assert "Keluarga miskin baru" in created.history.get().history_change_reason
    grandfather.refresh_from_db()
    assert grandfather.status == "active"
    # The proposer sees the rejection and its reason among her proposals.
    mine = ProposalItem.objects.filter(created_by=rahma, status=ItemStatus.REJECTED)
    assert list(mine.values_list("decision_reason", flat=True)) == [
        "Akta kematian belum ada; lampirkan surat desa."
    ]


def test_nothing_reaches_the_registry_before_approval(personas, batch_factory):
    rahma = personas["operator_lappara"]
    batch = batch_factory(rahma)
    actions.add_household_item(rahma, batch, **new_family())
    assert not Household.objects.exists()
    assert not Person.objects.exists()


def test_operator_learns_of_a_wrong_nik_when_proposing_not_at_approval(personas, batch_factory):
    rahma = personas["operator_lappara"]
    batch = batch_factory(rahma)
    family = new_family()
    family["members"][0]["nik"] = "7309131304790050"  # day 13 != born on the 12th: flagged only
    family["members"][1]["nik"] = "7309139999830051"  # day 99: not a date
    with pytest.raises(ValidationError) as exc:
        actions.add_household_item(rahma, batch, **family)
    member_errors = exc.value.member_errors  # type: ignore[attr-defined]
    assert member_errors[0] == {}
    assert "tanggal" in " ".join(member_errors[1]["nik"]).lower()
    assert not ProposalItem.objects.exists()


def test_batch_cannot_be_submitted_without_minutes_or_items(personas, batch_factory):
    rahma = personas["operator_lappara"]
    batch = batch_factory(rahma, minutes=False)
    with pytest.raises(ValidationError) as exc:
        actions.submit_batch(rahma, batch)
    text = " ".join(exc.value.messages)
    assert "berita acara" in text
    assert "paling sedikit satu usulan" in text


def test_submitted_batch_cannot_take_more_items(personas, batch_factory, household_factory):
    rahma = personas["operator_lappara"]
    hh = household_factory(LAPPARA)
    batch = batch_factory(rahma)
    actions.add_household_change_item(rahma, batch, hh, {"rt": 7}, reason="Pindah RT")
    actions.submit_batch(rahma, batch)
    with pytest.raises(ValidationError):
        actions.add_household_change_item(rahma, batch, hh, {"rw": 4}, reason="Pindah RW")


def test_unverified_item_cannot_be_approved_but_can_be_rejected(
    personas, batch_factory, household_factory
):
    rahma, admin = personas["operator_lappara"], personas["admin_maros"]
    hh = household_factory(LAPPARA)
    batch = batch_factory(rahma)
    item = actions.add_household_change_item(rahma, batch, hh, {"rt": 7}, reason="Pindah RT")
    actions.submit_batch(rahma, batch)
    with pytest.raises(ValidationError):
        actions.decide_item(admin, item, approve=True)
    with pytest.raises(ValidationError):
        actions.decide_item(admin, item, approve=False, reason="")
    actions.decide_item(admin, item, approve=False, reason="Bukan keputusan musdes")
    item.refresh_from_db()
    assert item.status == ItemStatus.REJECTED


def test_roles_do_only_their_step(personas, batch_factory, household_factory):
    rahma, syamsul, admin = (
        personas["operator_lappara"],
        personas["tksk_moncongloe"],
        personas["admin_maros"],
    )
    hh = household_factory(LAPPARA)
    with pytest.raises(PermissionDenied):
        batch_factory(syamsul)
    with pytest.raises(PermissionDenied):
        batch_factory(personas["operator_bulu"])
    batch = batch_factory(rahma)
    item = actions.add_household_change_item(rahma, batch, hh, {"rt": 7}, reason="Pindah RT")
    actions.submit_batch(rahma, batch)
    with pytest.raises(PermissionDenied):
        actions.verify_item(rahma, item, results=confirm_all(item))
    with pytest.raises(PermissionDenied):
        actions.verify_item(personas["admin_makassar"], item, results=confirm_all(item))
    actions.verify_item(personas["social_worker"], item, results=confirm_all(item))
    with pytest.raises(PermissionDenied):
        actions.decide_item(syamsul, item, approve=True)
    with pytest.raises(PermissionDenied):
        actions.decide_item(personas["admin_makassar"], item, approve=True)
    actions.decide_item(admin, item, approve=True)
    hh.refresh_from_db()
    assert hh.rt == 7


def test_every_member_needs_a_verification_result(personas, batch_factory):
    rahma, syamsul = personas["operator_lappara"], personas["tksk_moncongloe"]
    batch = batch_factory(rahma)
    item = actions.add_household_item(rahma, batch, **new_family())
    actions.submit_batch(rahma, batch)
    with pytest.raises(ValidationError) as exc:
        actions.verify_item(syamsul, item, results={"0": "confirmed"})
    assert "Hasnah" in exc.value.message_dict["results"][0]


def test_only_members_confirmed_in_the_field_are_registered(personas, batch_factory):
    rahma, syamsul, admin = (
        personas["operator_lappara"],
        personas["tksk_moncongloe"],
        personas["admin_maros"],
    )
    batch = batch_factory(rahma)
    item = actions.add_household_item(rahma, batch, **new_family())
    actions.submit_batch(rahma, batch)
    actions.verify_item(
        syamsul,
        item,
        results={"0": "confirmed", "1": {"result": "no_documents", "note": "Belum punya KTP"}},
    )
    actions.decide_item(admin, item, approve=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.APPLIED
    assert [p.full_name for p in item.result_household.members.all()] == ["Daeng Sikki"]


def test_approval_contradicted_by_the_visit_is_kept_approved_not_applied_with_the_error(
    personas, batch_factory, household_factory
):
    rahma, syamsul, admin = (
        personas["operator_lappara"],
        personas["tksk_moncongloe"],
        personas["admin_maros"],
    )
    hh = household_factory(LAPPARA)
    spouse = hh.members.get(relationship=2)
    batch = batch_factory(rahma)
    item = actions.add_death_item(rahma, batch, spouse, on=date.today(), reason="Meninggal")
    actions.submit_batch(rahma, batch)
    actions.verify_item(syamsul, item, results={str(spouse.uid): "not_confirmed"})
    actions.decide_item(admin, item, approve=True)
    item.refresh_from_db()
    spouse.refresh_from_db()
    assert item.status == ItemStatus.APPROVED
    assert "tidak mendukung" in item.apply_error
    assert spouse.status == "active"


def test_application_failure_writes_nothing_and_can_be_retried(personas, batch_factory):
    """The KK was registered by someone else meanwhile: the item stays approved, not applied."""
    from pandu.registry import actions as registry

    rahma, syamsul, admin = (
        personas["operator_lappara"],
        personas["tksk_moncongloe"],
        personas["admin_maros"],
    )
    batch = batch_factory(rahma)
    family = new_family()
    item = actions.add_household_item(rahma, batch, **family)
    actions.submit_batch(rahma, batch)
    actions.verify_item(syamsul, item, results=confirm_all(item))
    registry.register_household(
        admin,
        household={**family["household"], "village": LAPPARA},
        members=[family["members"][0]],
        reason="Didaftarkan langsung",
    )
    people_before = Person.objects.count()
    actions.decide_item(admin, item, approve=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED
    assert "sudah terdaftar" in item.apply_error
    assert Person.objects.count() == people_before
    with pytest.raises(PermissionDenied):
        actions.apply_item(rahma, item)
    actions.apply_item(admin, item)
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED
    assert Person.objects.count() == people_before


def test_bulk_approval_applies_each_item_and_reports_those_it_could_not(
    personas, batch_factory, household_factory
):
    rahma, syamsul, admin = (
        personas["operator_lappara"],
        personas["tksk_moncongloe"],
        personas["admin_maros"],
    )
    households = [household_factory(LAPPARA) for _ in range(3)]
    batch = batch_factory(rahma)
    items = [
        actions.add_household_change_item(
            rahma, batch, hh, {"floor_area": 20 + i, "bedrooms": 1}, reason="Pendataan ulang"
        )
        for i, hh in enumerate(households)
    ]
    unverified = actions.add_household_item(rahma, batch, **new_family())
    actions.submit_batch(rahma, batch)
    for item in items:
        actions.verify_item(syamsul, item, results=confirm_all(item))

    result = actions.decide_items(admin, [*items, unverified], approve=True)

    assert len(result.applied) == 3
    assert [i.pk for i, _why in result.skipped] == [unverified.pk]
    assert "belum diverifikasi" in result.skipped[0][1]
    assert sorted(
        Household.objects.filter(pk__in=[h.pk for h in households]).values_list(
            "floor_area", flat=True
        )
    ) == [20, 21, 22]


def test_bulk_rejection_needs_one_reason_and_records_it_on_every_item(
    personas, batch_factory, household_factory
):
    rahma, admin = personas["operator_lappara"], personas["admin_maros"]
    hh = household_factory(LAPPARA)
    batch = batch_factory(rahma)
    a = actions.add_household_change_item(rahma, batch, hh, {"rt": 8}, reason="Pindah RT")
    b = actions.add_household_item(rahma, batch, **new_family())
    actions.submit_batch(rahma, batch)
    with pytest.raises(ValidationError):
        actions.decide_items(admin, [a, b], approve=False, reason="  ")
    result = actions.decide_items(admin, [a, b], approve=False, reason="Tidak ada di berita acara")
    assert len(result.decided) == 2
    assert set(ProposalItem.objects.values_list("status", "decision_reason")) == {
        ("rejected", "Tidak ada di berita acara")
    }


def test_every_transition_is_in_the_item_history_with_who(
    personas, batch_factory, household_factory
):
    rahma, syamsul, admin = (
        personas["operator_lappara"],
        personas["tksk_moncongloe"],
        personas["admin_maros"],
    )
    hh = household_factory(LAPPARA)
    batch = batch_factory(rahma)
    item = actions.add_household_change_item(rahma, batch, hh, {"rt": 9}, reason="Pindah RT")
    actions.submit_batch(rahma, batch)
    actions.verify_item(syamsul, item, results=confirm_all(item))
    actions.decide_item(admin, item, approve=True)
    trail = list(
        item.history.order_by("history_date", "history_id").values_list(
            "status", "history_user__username"
        )
    )
    assert trail == [
        ("pending", "operator_lappara"),
        ("verified", "tksk_moncongloe"),
        ("approved", "admin_maros"),
        ("applied", "admin_maros"),
    ]
