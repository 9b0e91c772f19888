"""A data subject's request step by step: received, acknowledged, identity checked, assigned;
a correction applied through the registry or handed to the village's proposal; an objection
opens a human review of the family's targeting result; the end."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pandu.notifications.models import Notification
from pandu.privacy import actions
from pandu.privacy.models import SubjectRequest

pytestmark = pytest.mark.django_db


def test_steps_move_a_request_to_in_progress_in_either_order(personas, person, receive):
    user = personas["front_office"]
    req = receive(person, ready=False)
    assert req.status == "received"
    with pytest.raises(ValidationError):
        actions.complete_request(user, req, outcome="Sudah")
    req = actions.check_identity(user, req, method="ktp", verified=True)
    assert req.status == "received"
    req = actions.acknowledge_request(user, req, note="Tanda terima di loket")
    assert req.status == "in_progress" and req.acknowledged_by == user
    with pytest.raises(ValidationError):
        actions.acknowledge_request(user, req, note="lagi")


def test_an_identity_not_confirmed_holds_the_request(personas, person, receive):
    user = personas["front_office"]
    req = receive(person, ready=False)
    with pytest.raises(ValidationError) as e:
        actions.check_identity(user, req, method="ktp", verified=False)
    assert "note" in e.value.message_dict
    req = actions.check_identity(user, req, method="ktp", verified=False, note="KTP tidak cocok")
    req = actions.acknowledge_request(user, req, note="Surat")
    assert req.status == "acknowledged"
    req = actions.refuse_request(user, req, reason="Identitas pemohon tidak dapat dipastikan.")
    assert req.status == "refused" and req.closed_by == user


def test_a_guardian_or_representative_is_named(personas, person):
    with pytest.raises(ValidationError) as e:
        actions.receive_request(
            personas["front_office"], person, kind="access", channel="letter",
            requester="representative", description="Minta salinan data",
        )  # fmt: skip
    assert {"requester_name", "requester_relationship"} <= set(e.value.message_dict)


def test_handlers_are_told_of_a_new_request_and_the_assignee_of_theirs(personas, person, receive):
    req = receive(person, ready=False)
    told = Notification.objects.filter(kind="privacy_request")
    assert {n.user.username for n in told} >= {"admin_maros", "front_office", "auditor"}
    assert all(req.number in n.title and "Rahman" not in n.title + n.body for n in told)
    with pytest.raises(ValidationError):
        actions.assign_request(personas["front_office"], req, personas["tksk_moncongloe"])
    actions.assign_request(personas["front_office"], req, personas["admin_maros"])
    assert Notification.objects.filter(
        user=personas["admin_maros"], title__contains="untuk Anda"
    ).exists()


def test_a_correction_of_identity_facts_goes_straight_to_the_registry(personas, person, receive):
    req = receive(
        person, "correction", by=personas["admin_maros"],
        changes={"full_name": "Muhammad Rahman Daeng Nai", "birth_place": "Maros"},
        description="Nama saya kurang lengkap dan tempat lahir kosong.",
    )  # fmt: skip
    assert req.changes == {"full_name": "Muhammad Rahman Daeng Nai", "birth_place": "Maros"}
    actions.apply_correction(personas["admin_maros"], req)
    person.refresh_from_db()
    assert person.full_name == "Muhammad Rahman Daeng Nai" and person.birth_place == "Maros"
    last = person.history.latest("history_id")
    assert req.number in last.history_change_reason
    req.refresh_from_db()
    assert set(req.applied_fields) == {"full_name", "birth_place"} and not req.routed_fields
    req = actions.complete_request(personas["admin_maros"], req, outcome="Data sudah diperbaiki.")
    assert req.status == "completed"


def test_a_correction_of_welfare_facts_goes_to_the_villages_proposal(personas, person, receive):
    req = receive(
        person, "correction", by=personas["admin_maros"],
        changes={"education": 5, "phone": "081234567890"},
        description="Pendidikan saya SMA, bukan SD.",
    )  # fmt: skip
    before = person.education
    actions.apply_correction(personas["admin_maros"], req)
    person.refresh_from_db()
    assert person.education == before  # waits for the village's verification
    assert person.phone == "081234567890"
    req.refresh_from_db()
    assert req.routed_fields == ["education"] and req.applied_fields == ["phone"]
    note = Notification.objects.get(user=personas["operator_lappara"], kind="privacy_correction")
    assert req.number in note.title and str(person.uid) in note.url
    assert not Notification.objects.filter(
        user=personas["operator_bulu"], kind="privacy_correction"
    ).exists()


def test_a_wrong_value_is_refused_at_the_desk_with_the_registrys_message(personas, person, receive):
    with pytest.raises(ValidationError) as e:
        receive(person, "correction", changes={"phone": "12"}, description="Telepon")
    assert "9–15 angka" in " ".join(e.value.message_dict["phone"])
    with pytest.raises(ValidationError) as e:
        receive(person, "correction", changes={"birth_date": "2099-01-01"}, description="x")
    assert "birth_date" in e.value.message_dict
    assert not SubjectRequest.objects.exists()


def test_a_correction_needs_a_change_of_a_known_field(personas, person, receive):
    with pytest.raises(ValidationError) as e:
        receive(person, "correction", changes={"full_name": person.full_name}, ready=False)
    assert "changes" in e.value.message_dict
    with pytest.raises(ValidationError):
        receive(person, "correction", changes={"nik": "7309130000000000"}, ready=False)
    with pytest.raises(ValidationError):
        receive(person, "correction", changes={"education": 99}, ready=False)


def test_the_auditor_may_not_change_the_registry_through_a_correction(personas, person, receive):
    req = receive(person, "correction", changes={"birth_place": "Maros"}, description="x")
    with pytest.raises(PermissionDenied):
        actions.apply_correction(personas["auditor"], req)
    person.refresh_from_db()
    assert person.birth_place != "Maros"


def test_an_access_request_is_finished_only_after_the_copy_is_made(personas, person, receive):
    user = personas["front_office"]
    req = receive(person)
    with pytest.raises(ValidationError):
        actions.complete_request(user, req, outcome="Salinan diserahkan")
    data = actions.record_export(user, req, "json")
    assert data["person"]["full_name"] == person.full_name
    req = actions.complete_request(user, req, outcome="Salinan diserahkan")
    assert req.status == "completed" and req.exported_at is not None
    with pytest.raises(ValidationError):
        actions.withdraw_request(user, req, reason="terlambat")


def test_an_erasure_is_not_finished_or_refused_without_a_second_person(personas, person, receive):
    user = personas["front_office"]
    req = receive(person, "erasure", description="Hapus data saya")
    with pytest.raises(ValidationError):
        actions.complete_request(user, req, outcome="Dihapus")
    with pytest.raises(ValidationError):
        actions.refuse_request(user, req, reason="Tidak bisa")


def test_an_objection_opens_a_human_review_of_the_targeting_result(
    personas, household_factory, receive
):
    from pandu.programs.models import Programme
    from pandu.services import actions as services
    from pandu.targeting import actions as targeting
    from pandu.targeting.models import Appeal

    admin = personas["admin_maros"]
    household = household_factory(desil=6)
    household_factory(desil=2)  # the run selects someone, so it can be committed
    head = household.head()
    with pytest.raises(ValidationError) as e:
        receive(head, "objection", by=admin, ready=False)
    assert "kind" in e.value.message_dict  # no automated decision to object to
    pkh = Programme.objects.create(code="PKH-UJI", name="PKH uji", benefit_type="tunai")
    rules = targeting.save_ruleset(
        admin, name="PKH", rule={"field": "desil", "op": "lte", "value": 4}
    )
    run = targeting.start_run(
        admin, ruleset=rules, area="73.09.13", programme=pkh, as_of=date(2026, 3, 1),
        amount=3_000_000, background=False,
    )  # fmt: skip
    targeting.commit_run(admin, run)
    services.create_service_point(
        admin, name="Puskesos Moncongloe", kind="puskesos", area=household.village
    )
    req = receive(head, "objection", by=admin, description="Saya keberatan dinilai mampu.")
    assert req.targeting_result.run == run and req.targeting_result.eligible is False
    req = actions.open_objection_review(admin, req, reason="Penghasilan kami turun")
    appeal = Appeal.objects.get()
    assert req.appeal == appeal and appeal.household == household
    assert req.number in appeal.reason and appeal.intake.person == head
    req = actions.complete_request(admin, req, outcome="Ditinjau ulang oleh pekerja sosial.")
    assert req.status == "completed"


def test_requests_outside_the_area_are_refused(personas, person, makassar_person):
    for who, whom in (
        ("admin_makassar", person),
        ("front_office", makassar_person),
        ("social_worker", person),  # records consents, handles no request
    ):
        with pytest.raises(PermissionDenied):
            actions.receive_request(
                personas[who], whom, kind="access", channel="walk_in", requester="self",
                description="Minta salinan",
            )  # fmt: skip
    assert not SubjectRequest.objects.exists()
