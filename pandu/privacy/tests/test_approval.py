"""Erasure and restriction: proposed by one person, approved by a second who holds
``privacy.approve``; an erasure is refused while the law or a programme requires the data to be
kept, and is an anonymisation, never a deletion: the rows and their timeline stay."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pandu.notifications.models import Notification
from pandu.privacy import actions, queries
from pandu.privacy.holds import holds_for
from pandu.privacy.models import Anonymisation, ConsentRecord, Restriction
from pandu.registry import actions as registry
from pandu.registry.models import Person, PPKSAssignment, PPKSCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(personas, person):
    """The head moved away (no longer in the registry's active list), with a consent kept."""
    admin = personas["admin_maros"]
    actions.record_consent(
        admin, person, purpose="registration", scope="Pendaftaran", given_by="self",
        method="verbal", witness_name="Saksi Desa", given_on=date(2026, 1, 5),
    )  # fmt: skip
    registry.update_person(admin, person, {"phone": "081299887766"}, "Nomor baru")
    registry.assign_ppks(
        admin, person=person, category=PPKSCategory.objects.get(number=13),
        identified_on=date(2026, 1, 10), source="visit", note="Tinggal di bawah jembatan",
    )  # fmt: skip
    registry.change_person_status(
        admin, person, status="moved", on=date(2026, 2, 1), reason="Pindah ke Kalimantan"
    )
    person.refresh_from_db()
    return person


def test_an_active_person_cannot_be_erased_only_restricted(personas, person, receive):
    handler = personas["front_office"]
    req = receive(person, "erasure", description="Hapus semua data saya")
    assert [h.code for h in holds_for(person)] == ["registry_active"]
    with pytest.raises(ValidationError) as e:
        actions.propose_outcome(handler, req, outcome="erase", reason="Diminta pemohon")
    assert "registri" in " ".join(e.value.messages)
    req.refresh_from_db()
    assert req.status == "in_progress" and req.proposed_outcome == ""
    req = actions.propose_outcome(
        handler, req, outcome="restrict", reason="Data wajib disimpan; pemrosesan dibatasi."
    )
    assert req.status == "awaiting_approval"
    assert req.holds[0]["code"] == "registry_active"
    assert Notification.objects.filter(kind="privacy_approval", user=personas["auditor"]).exists()
    assert not Notification.objects.filter(kind="privacy_approval", user=handler).exists()


def test_the_proposer_cannot_approve_their_own_proposal(personas, person, receive):
    admin = personas["admin_maros"]
    req = receive(person, "restriction", by=admin, description="Batasi pemrosesan")
    req = actions.propose_outcome(admin, req, outcome="restrict", reason="Sedang sengketa data")
    with pytest.raises(ValidationError):
        actions.decide_proposal(admin, req, approve=True)
    with pytest.raises(PermissionDenied):
        actions.decide_proposal(personas["front_office"], req, approve=True)  # no privacy.approve
    with pytest.raises(PermissionDenied):
        actions.decide_proposal(personas["admin_makassar"], req, approve=True)
    assert not Restriction.objects.exists()
    req = actions.decide_proposal(personas["auditor"], req, approve=True, note="Setuju")
    assert req.status == "completed" and req.approved_by == personas["auditor"]
    restriction = Restriction.objects.get()
    assert restriction.request == req and queries.is_restricted(person)
    assert Notification.objects.filter(
        user=admin, kind="privacy_approval", title__contains="disetujui"
    ).exists()


def test_a_returned_proposal_goes_back_to_the_handler(personas, person, receive):
    req = receive(person, "restriction", description="Batasi")
    req = actions.propose_outcome(personas["front_office"], req, outcome="refuse", reason="x")
    with pytest.raises(ValidationError):
        actions.decide_proposal(personas["auditor"], req, approve=False, note="")
    req = actions.decide_proposal(
        personas["auditor"], req, approve=False, note="Alasan penolakan belum jelas"
    )
    assert req.status == "in_progress" and req.proposed_outcome == ""
    assert "Alasan penolakan belum jelas" in req.history.latest("history_id").history_change_reason


def test_a_refusal_is_approved_too(personas, person, receive):
    req = receive(person, "erasure", description="Hapus")
    req = actions.propose_outcome(
        personas["front_office"], req, outcome="refuse",
        reason="Masih terdaftar aktif dan menerima bantuan.",
    )  # fmt: skip
    req = actions.decide_proposal(personas["admin_maros"], req, approve=True)
    assert req.status == "refused"
    assert req.refusal_reason == "Masih terdaftar aktif dan menerima bantuan."
    person.refresh_from_db()
    assert person.full_name.startswith("Muhammad Rahman")


def test_records_tied_to_payments_refuse_an_erasure(personas, moved, receive):
    from pandu.payments.models import Cycle, Entitlement
    from pandu.programs.models import Programme

    admin = personas["admin_maros"]
    pkh = Programme.objects.create(code="PKH-UJI", name="PKH uji", benefit_type="tunai")
    cycle = Cycle.objects.create(
        programme=pkh, name="PKH tahap 1", area_id="73.09", period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
    )  # fmt: skip
    Entitlement.objects.create(
        cycle=cycle, household=moved.household, area_code=moved.area_code, channel="bank",
        amount=750000,
    )  # fmt: skip
    assert [h.code for h in holds_for(moved)] == ["payments"]
    req = receive(moved, "erasure", by=admin, description="Hapus")
    with pytest.raises(ValidationError) as e:
        actions.propose_outcome(admin, req, outcome="erase", reason="Diminta")
    assert "pembayaran bantuan" in " ".join(e.value.messages)
    req = actions.propose_outcome(admin, req, outcome="restrict", reason="Bukti bayar disimpan")
    req = actions.decide_proposal(personas["auditor"], req, approve=True)
    moved.refresh_from_db()
    assert req.status == "completed" and queries.is_restricted(moved)
    assert moved.full_name.startswith("Muhammad Rahman")


def test_a_hold_that_appears_before_approval_stops_the_erasure(personas, moved, receive):
    admin = personas["admin_maros"]
    req = receive(moved, "erasure", by=admin, description="Hapus data saya")
    req = actions.propose_outcome(admin, req, outcome="erase", reason="Sudah pindah, tidak terkait")
    registry.change_person_status(
        admin, moved, status="active", on=date(2026, 3, 1), reason="Kembali"
    )
    with pytest.raises(ValidationError):
        actions.decide_proposal(personas["auditor"], req, approve=True)
    moved.refresh_from_db()
    assert moved.full_name.startswith("Muhammad Rahman")


def test_an_approved_erasure_anonymises_the_record_and_its_history(personas, moved, receive):
    admin = personas["admin_maros"]
    old_nik, old_name = moved.nik, moved.full_name
    rows_before = Person.history.filter(id=moved.pk).count()
    req = receive(moved, "erasure", by=admin, description="Hapus data saya")
    req = actions.propose_outcome(
        admin, req, outcome="erase", reason="Sudah pindah dan tidak terkait"
    )
    req = actions.decide_proposal(personas["auditor"], req, approve=True)
    assert req.status == "completed"
    moved.refresh_from_db()
    assert moved.pk and moved.full_name.startswith("Anonim ")
    assert moved.nik.startswith("X") and moved.phone == "" and moved.birth_place == ""
    assert moved.birth_date == date(1980, 1, 1) and moved.status == "moved"
    history = Person.history.filter(id=moved.pk)
    assert history.count() == rows_before + 1  # nothing removed; the anonymisation added
    assert not history.filter(nik=old_nik).exists()
    assert not history.filter(full_name=old_name).exists()
    assert not history.filter(phone="081299887766").exists()
    assert history.latest("history_id").history_change_reason.startswith("Dianonimkan")
    log = Anonymisation.objects.get(record_type="person")
    assert log.request == req and log.done_by == personas["auditor"] and "nik" in log.fields
    ppks = PPKSAssignment.objects.get(person=moved)
    assert ppks.note == "[dianonimkan]" and ppks.category.number == 13
    assert "Tinggal di bawah jembatan" not in [h.note for h in ppks.history.all()]
    consent = ConsentRecord.objects.get(person=moved)
    assert consent.witness_name == "[dianonimkan]" and consent.anonymised_at is not None
    assert not consent.history.filter(witness_name="Saksi Desa").exists()
