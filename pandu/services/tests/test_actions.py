"""The rules of the one-stop service, through its actions."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pandu.conftest import BULU, LAPPARA
from pandu.notifications.models import Notification
from pandu.regions.models import Area
from pandu.registry.models import PPKSCategory
from pandu.services import actions
from pandu.services.models import (
    Agreement,
    CaseEvent,
    Holiday,
    Intake,
    Referral,
)
from pandu.services.workdays import add_working_days, working_days_between

from .conftest import unregistered

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _today():
    return timezone.localdate()


# --- Working days -----------------------------------------------------------------------------


def test_working_days_skip_weekends_and_configured_holidays():
    friday = date(2026, 7, 3)
    assert add_working_days(friday, 1, holidays=[]) == date(2026, 7, 6)
    assert add_working_days(friday, 1, holidays=[date(2026, 7, 6)]) == date(2026, 7, 7)
    assert add_working_days(friday, 5, holidays=[]) == date(2026, 7, 10)
    assert working_days_between(friday, date(2026, 7, 10), holidays=[]) == 5


def test_holidays_come_from_the_table():
    Holiday.objects.create(date=date(2026, 8, 17), name="Hari Kemerdekaan")
    assert add_working_days(date(2026, 8, 14), 1) == date(2026, 8, 18)


# --- Service points, partners, agreements -----------------------------------------------------


def test_slrt_secretariat_sits_at_a_regency_and_puskesos_below(world):
    admin = world.users["admin_maros"]
    with pytest.raises(ValidationError) as err:
        actions.create_service_point(
            admin, name="SLRT salah", kind="slrt", area=Area.objects.get(code="73.09.13")
        )
    assert "kabupaten/kota" in str(err.value)
    with pytest.raises(ValidationError):
        actions.create_service_point(
            admin, name="Puskesos salah", kind="puskesos", area=Area.objects.get(code="73.09")
        )


def test_only_the_administrator_of_the_area_sets_up_service_points(world):
    with pytest.raises(PermissionDenied):
        actions.create_service_point(
            world.users["social_worker"],
            name="x",
            kind="slrt",
            area=Area.objects.get(code="73.09"),
        )
    with pytest.raises(PermissionDenied):
        actions.create_service_point(
            world.users["admin_makassar"],
            name="x",
            kind="slrt",
            area=Area.objects.get(code="73.09"),
        )


def test_staff_must_work_in_the_area_of_the_point(world):
    with pytest.raises(ValidationError):
        actions.add_staff(
            world.users["admin_maros"], world.slrt, world.users["worker_makassar"], "tksk"
        )


def test_partner_users_belong_to_one_agency_and_must_have_the_partner_role(world):
    admin = world.users["admin_maros"]
    with pytest.raises(ValidationError):
        actions.add_partner_member(admin, world.dinkes, world.users["social_worker"])
    with pytest.raises(ValidationError) as err:
        actions.add_partner_member(admin, world.dukcapil, world.users["partner"])
    assert "mitra lain" in str(err.value)


def _agreement(world, **kw):
    data = {
        "number": "119/PKS/DINSOS/2024",
        "title": "Layanan rujukan kesehatan",
        "agency": world.dinkes,
        "parties": "Dinas Sosial Kabupaten Maros\nDinas Kesehatan Kabupaten Maros",
        "area": Area.objects.get(code="73.09"),
        "signed_on": date(2024, 1, 15),
    }
    data.update(kw)
    return actions.create_agreement(world.users["admin_maros"], **data)


def test_agreement_runs_five_years_by_default_and_can_be_extended(world):
    agreement = _agreement(world)
    assert agreement.term_years == 5
    assert agreement.ends_on == date(2029, 1, 14)
    actions.extend_agreement(world.users["admin_maros"], agreement, signed_on=date(2025, 1, 2))
    agreement.refresh_from_db()
    assert agreement.ends_on == date(2034, 1, 14)
    assert agreement.extensions.get().previous_end == date(2029, 1, 14)


def test_early_termination_needs_thirty_days_written_notice(world):
    agreement = _agreement(world)
    today = _today()
    with pytest.raises(ValidationError) as err:
        actions.terminate_agreement(
            world.users["admin_maros"],
            agreement,
            notice_on=today,
            terminated_on=today + timedelta(days=29),
            reason="Reorganisasi perangkat daerah",
        )
    message = " ".join(err.value.message_dict["terminated_on"])
    assert "30 hari kalender" in message
    assert (today + timedelta(days=30)).strftime("%d-%m-%Y") in message
    agreement.refresh_from_db()
    assert agreement.terminated_on is None
    actions.terminate_agreement(
        world.users["admin_maros"],
        agreement,
        notice_on=today,
        terminated_on=today + timedelta(days=30),
        reason="Reorganisasi perangkat daerah",
    )
    agreement.refresh_from_db()
    assert agreement.status == "terminating"
    assert agreement.history.first().history_user == world.users["admin_maros"]


def test_agreements_expiring_within_ninety_days_are_listed(world):
    today = _today()
    soon = _agreement(world, signed_on=today - timedelta(days=365 * 5 - 60), number="soon")
    _agreement(world, signed_on=today - timedelta(days=30), number="later")
    found = list(
        Agreement.objects.visible_to(world.users["admin_maros"]).expiring_within(90, today)
    )
    assert found == [soon]


def test_agreement_document_must_be_a_pdf_of_at_most_10_mb(world):
    agreement = _agreement(world)
    with pytest.raises(ValidationError):
        actions.attach_agreement_document(
            world.users["admin_maros"], agreement, SimpleUploadedFile("a.pdf", b"not a pdf")
        )
    big = SimpleUploadedFile("a.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as err:
        actions.attach_agreement_document(world.users["admin_maros"], agreement, big)
    assert "10 MB" in str(err.value)


# --- Intake -----------------------------------------------------------------------------------


def test_ticket_numbers_run_per_regency_and_year(world, make_intake, mk_case):
    year = timezone.now().year
    first = make_intake()
    second = make_intake(subject=unregistered("Daeng Ngai"))
    assert first.ticket_number == f"SLRT-7309-{year}-000001"
    assert second.ticket_number == f"SLRT-7309-{year}-000002"
    assert mk_case.intake.ticket_number == f"SLRT-7371-{year}-000001"
    # A Puskesos of the same regency shares the regency's sequence.
    third = make_intake(subject=unregistered("Daeng Tayang"), point=world.puskesos)
    assert third.ticket_number == f"SLRT-7309-{year}-000003"


def test_next_number_never_repeats(world):
    numbers = [actions.next_number("SLRT", "7309", 2030) for _ in range(20)]
    assert numbers == list(range(1, 21))


def test_a_registered_person_is_taken_from_the_registry(world, household_factory, make_intake):
    hh = household_factory(LAPPARA)
    head = hh.members.order_by("relationship").first()
    intake = make_intake(subject=actions.Subject(person=head))
    assert intake.person == head
    assert intake.name == head.full_name
    assert intake.birth_date == head.birth_date
    assert intake.area_code == LAPPARA
    assert not intake.propose_to_registry
    assert intake.nik == ""


def test_a_person_outside_the_users_area_cannot_be_taken_in(world, household_factory):
    hh = household_factory("73.71.01.1001")
    outsider = hh.members.first()
    with pytest.raises(PermissionDenied):
        actions.create_intake(
            world.users["front_office"],
            service_point=world.slrt,
            kind="permohonan",
            channel="walk_in",
            subject=actions.Subject(person=outsider),
            needs=[("health", "")],
            description="x",
        )


def test_an_unregistered_person_is_flagged_for_the_registry(world, make_intake):
    intake = make_intake()
    assert intake.person is None
    assert intake.propose_to_registry
    assert intake.area_code == LAPPARA


def test_an_unregistered_persons_nik_already_in_the_registry_is_refused(
    world, household_factory, make_intake
):
    hh = household_factory(LAPPARA)
    head = hh.members.order_by("relationship").first()
    with pytest.raises(ValidationError) as err:
        make_intake(
            subject=unregistered(head.full_name, head.birth_date, nik=head.nik),
        )
    assert "sudah terdaftar" in str(err.value.message_dict["nik"])


def test_an_open_intake_for_the_same_person_and_need_is_shown_before_a_new_one(world, make_intake):
    first = make_intake()
    with pytest.raises(actions.DuplicateIntake) as err:
        make_intake(confirm=False)
    assert err.value.duplicates == [first]
    # Another need is not a duplicate; confirming goes on.
    make_intake(needs=("housing",), confirm=False)
    second = make_intake(confirm=True)
    assert second.ticket_number != first.ticket_number


def test_sensitive_needs_and_topics_make_the_intake_sensitive(world, make_intake):
    assert not make_intake().sensitive
    assert make_intake(needs=("child_protection",), subject=unregistered("A")).sensitive
    assert make_intake(sensitive_topic="violence", subject=unregistered("B")).sensitive


def test_a_sensitive_ppks_makes_the_intake_sensitive(world, make_intake):
    trafficking = PPKSCategory.objects.get(number=18)
    intake = make_intake(user=world.users["social_worker"], ppks_categories=[trafficking])
    assert intake.sensitive
    # The front office may not choose need-to-know categories at all.
    with pytest.raises(ValidationError):
        make_intake(ppks_categories=[trafficking], subject=unregistered("C"))


def test_the_future_is_not_a_start_date(world, make_intake):
    with pytest.raises(ValidationError) as err:
        make_intake(since=_today() + timedelta(days=2))
    assert "since" in err.value.message_dict


# --- Cases ------------------------------------------------------------------------------------


def test_the_front_office_routes_an_intake_to_a_worker(world, make_intake):
    intake = make_intake()
    case = actions.open_case(
        world.users["front_office"], intake, assign_to=world.users["social_worker"]
    )
    intake.refresh_from_db()
    assert intake.status == "in_case"
    assert case.assigned_to == world.users["social_worker"]
    assert list(case.events.values_list("kind", flat=True)) == ["opened", "assigned"]
    told = Notification.objects.get(user=world.users["social_worker"])
    assert told.kind == "case_assigned" and case.number in told.title


def test_a_worker_outside_the_persons_area_cannot_be_assigned(world, make_intake):
    with pytest.raises(ValidationError):
        actions.open_case(
            world.users["front_office"], make_intake(), assign_to=world.users["worker_makassar"]
        )


def test_a_follow_up_due_in_the_past_is_refused(world, make_case):
    case = make_case()
    with pytest.raises(ValidationError) as err:
        actions.add_task(
            world.users["social_worker"],
            case,
            title="Kunjungan rumah",
            due_on=_today() - timedelta(days=1),
        )
    assert "masa lalu" in " ".join(err.value.message_dict["due_on"])
    assert not case.tasks.exists()
    actions.add_task(world.users["social_worker"], case, title="Kunjungan rumah", due_on=_today())


def test_assessment_drafts_may_be_incomplete_but_final_ones_may_not(world, make_case):
    case = make_case()
    worker = world.users["social_worker"]
    draft = actions.save_assessment(worker, case, "health", {"complaint": "Batuk lama"})
    assert not draft.final
    with pytest.raises(ValidationError) as err:
        actions.save_assessment(worker, case, "health", {"complaint": "Batuk"}, final=True)
    assert "Gambaran situasi" in str(err.value)
    final = actions.save_assessment(
        worker,
        case,
        "health",
        {"situation": "Tinggal sendiri", "complaint": "Batuk", "jkn": "no", "junk": "x"},
        final=True,
    )
    assert final.final and "junk" not in final.data
    case.intake.refresh_from_db()
    assert case.intake.first_action_at is not None


def test_only_the_assigned_worker_or_the_supervisor_works_on_a_case(world, make_case):
    case = make_case()
    with pytest.raises(PermissionDenied):
        actions.add_note(world.users["worker2"], case, "Bukan kasus saya")
    actions.add_note(world.users["admin_maros"], case, "Catatan supervisor")


def test_the_plan_is_approved_by_the_supervisor_not_by_the_worker(world, make_case):
    case = make_case()
    worker, supervisor = world.users["social_worker"], world.users["admin_maros"]
    with pytest.raises(ValidationError):
        actions.submit_plan(worker, case)  # no goal yet
    goal = actions.add_goal(worker, case, description="Berobat rutin", need_area="health")
    actions.add_plan_action(worker, goal, description="Antar ke puskesmas", due_on=_today())
    with pytest.raises(ValidationError):
        actions.add_plan_action(
            worker, goal, description="Terlambat", due_on=_today() - timedelta(days=3)
        )
    actions.submit_plan(worker, case)
    with pytest.raises(PermissionDenied):
        actions.decide_plan(worker, case, approve=True)
    with pytest.raises(ValidationError):
        actions.decide_plan(supervisor, case, approve=False)  # returning needs a comment
    actions.decide_plan(supervisor, case, approve=True, comment="Lanjutkan")
    case.refresh_from_db()
    assert case.plan_status == "approved"
    assert case.plan_decided_by == supervisor
    # Changing the plan afterwards needs approval again.
    actions.add_goal(worker, case, description="Dokumen lengkap")
    case.refresh_from_db()
    assert case.plan_status == "draft"


def _sent_referral(world, case, *, consent=True, share_nik=False):
    worker = world.users["social_worker"]
    referral = actions.create_referral(
        worker,
        case,
        world.health,
        need_area="health",
        need="Pemeriksaan paru",
        done_so_far="Asesmen dan kunjungan rumah",
        request="Mohon pemeriksaan dan pengobatan TB",
    )
    if consent:
        actions.record_consent(
            worker, referral, consent_by="self", method="signed", share_nik=share_nik
        )
        actions.send_referral(worker, referral)
    referral.refresh_from_db()
    return referral


def test_a_referral_without_consent_cannot_be_sent(world, make_case):
    case = make_case()
    referral = _sent_referral(world, case, consent=False)
    with pytest.raises(ValidationError) as err:
        actions.send_referral(world.users["social_worker"], referral)
    assert "persetujuan" in str(err.value)
    referral.refresh_from_db()
    assert referral.status == "draft"
    assert referral.subject_name == ""
    assert referral.number == ""


def test_a_childs_consent_comes_from_the_guardian(world, make_case):
    case = make_case(subject=unregistered("Ani", date(2015, 6, 1), sex="P"))
    referral = _sent_referral(world, case, consent=False)
    worker = world.users["social_worker"]
    with pytest.raises(ValidationError) as err:
        actions.record_consent(worker, referral, consent_by="self", method="signed")
    assert "orang tua/wali" in str(err.value)
    with pytest.raises(ValidationError) as err:
        actions.record_consent(worker, referral, consent_by="guardian", method="signed")
    assert {"guardian_name", "guardian_relationship"} <= set(err.value.message_dict)
    actions.record_consent(
        worker,
        referral,
        consent_by="guardian",
        method="thumbprint",
        guardian_name="Hasnah",
        guardian_relationship="Ibu kandung",
    )
    actions.send_referral(worker, referral)
    referral.refresh_from_db()
    assert referral.guardian_name == "Hasnah"


def test_sending_shares_a_snapshot_and_the_nik_only_with_consent(world, make_case):
    case = make_case(subject=unregistered(nik="7309131703700011"))
    referral = _sent_referral(world, case)
    assert referral.status == "sent"
    assert referral.subject_name == "Daeng Baji"
    assert referral.subject_nik == ""
    assert referral.number.startswith(f"RUJ-7309-{timezone.now().year}-")
    assert referral.respond_due == add_working_days(_today(), 3)
    other = make_case(subject=unregistered("Daeng Rannu", nik="7309131703700012"))
    shared = _sent_referral(world, other, share_nik=True)
    assert shared.subject_nik == "7309131703700012"
    assert (
        Notification.objects.filter(user=world.users["partner"], kind="referral_received").count()
        == 2
    )


def test_partners_answer_only_referrals_to_their_own_agency(world, make_case):
    referral = _sent_referral(world, make_case())
    with pytest.raises(PermissionDenied):
        actions.partner_move(world.users["partner_dukcapil"], referral, "accept")
    with pytest.raises(PermissionDenied):
        actions.partner_move(world.users["social_worker"], referral, "accept")
    partner = world.users["partner"]
    with pytest.raises(ValidationError):
        actions.partner_move(partner, referral, "decline")  # a reason is required
    with pytest.raises(ValidationError):
        actions.partner_move(partner, referral, "complete", "Sudah")  # not accepted yet
    actions.partner_move(partner, referral, "accept", "Dijadwalkan Senin")
    actions.partner_move(partner, referral, "start")
    actions.partner_move(partner, referral, "complete", "Sudah diobati, kontrol bulan depan")
    referral.refresh_from_db()
    assert referral.status == "completed"
    assert referral.complete_due is not None
    trail = list(
        CaseEvent.objects.filter(referral=referral).values_list("status", "actor__username")
    )
    assert [s for s, _ in trail] == [
        "draft",
        "draft",
        "sent",
        "accepted",
        "in_service",
        "completed",
    ]
    assert trail[-1][1] == "partner"
    assert (
        Notification.objects.filter(
            user=world.users["social_worker"], kind="referral_answer"
        ).count()
        == 3
    )


def test_closing_a_case_with_open_referrals_is_refused(world, make_case):
    case = make_case()
    referral = _sent_referral(world, case)
    worker, supervisor = world.users["social_worker"], world.users["admin_maros"]
    with pytest.raises(ValidationError) as err:
        actions.request_closure(worker, case, outcome="resolved", summary="Selesai")
    assert referral.number in str(err.value)
    case.refresh_from_db()
    assert case.status == "open"
    actions.partner_move(world.users["partner"], referral, "decline", "Di luar wilayah kerja")
    actions.request_closure(worker, case, outcome="referred_out", summary="Dirujuk ke RS")
    with pytest.raises(PermissionDenied):
        actions.decide_closure(worker, case, approve=True)
    actions.decide_closure(supervisor, case, approve=True)
    case.refresh_from_db()
    case.intake.refresh_from_db()
    assert case.status == "closed" and case.intake.status == "closed"
    assert case.closed_by == supervisor
    actions.reopen_case(worker, case, "Keluhan muncul lagi")
    case.refresh_from_db()
    assert case.status == "open" and case.reopened_count == 1
    assert case.intake.status == "in_case"


def test_counselling_sessions_are_recorded_in_the_case(world, make_case):
    case = make_case()
    session = actions.record_counselling(
        world.users["social_worker"],
        case,
        held_on=_today(),
        participants="Ibu, ayah, anak sulung",
        issues="Pertengkaran soal biaya sekolah",
        agreed_steps="Membuat anggaran bersama",
        next_session_on=_today() + timedelta(days=14),
    )
    assert session.counsellor == world.users["social_worker"]
    assert case.events.filter(kind="counselling").exists()
    with pytest.raises(ValidationError):
        actions.record_counselling(
            world.users["social_worker"],
            case,
            held_on=_today(),
            participants="x",
            issues="y",
            next_session_on=_today(),
        )


def test_case_events_cannot_be_changed(world, make_case):
    event = make_case().events.first()
    event.detail = "diubah"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


# --- Overdue digest ---------------------------------------------------------------------------


def test_the_daily_digest_tells_each_agency_and_service_point_once(
    world, make_case, settings, django_capture_on_commit_callbacks
):
    case = make_case()
    referral = _sent_referral(world, case)
    Referral.objects.filter(pk=referral.pk).update(respond_due=_today() - timedelta(days=2))
    actions.add_task(world.users["social_worker"], case, title="Telepon keluarga", due_on=_today())
    later = _today() + timedelta(days=1)
    world.users["partner"].email = "lina@dinkes.example"
    world.users["partner"].save()
    settings.EMAIL_HOST = "smtp.example.go.id"
    with django_capture_on_commit_callbacks(execute=True):
        counts = actions.send_overdue_digest(later)
    assert counts["agencies"] == 1 and counts["service_points"] == 1
    partner_note = Notification.objects.get(user=world.users["partner"], kind="overdue_digest")
    assert referral.number in partner_note.body
    assert "Daeng Baji" not in partner_note.body
    lead_note = Notification.objects.get(user=world.users["admin_maros"], kind="overdue_digest")
    assert "Telepon keluarga" in lead_note.body and case.number in lead_note.body
    assert not Notification.objects.filter(
        user=world.users["partner_dukcapil"], kind="overdue_digest"
    ).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lina@dinkes.example"]
    # Running again the same day sends nothing new.
    assert actions.send_overdue_digest(later)["notifications"] == 0


def test_no_email_without_a_configured_mail_host(
    world, make_case, settings, django_capture_on_commit_callbacks
):
    referral = _sent_referral(world, make_case())
    Referral.objects.filter(pk=referral.pk).update(respond_due=_today() - timedelta(days=2))
    world.users["partner"].email = "lina@dinkes.example"
    world.users["partner"].save()
    settings.EMAIL_HOST = "localhost"
    with django_capture_on_commit_callbacks(execute=True):
        counts = actions.send_overdue_digest()
    assert counts["notifications"] >= 1 and counts["emails"] == 0
    assert mail.outbox == []


def test_intakes_keep_their_history(world, make_intake):
    intake = make_intake()
    record = intake.history.first()
    assert record.history_user == world.users["front_office"]
    assert Intake.objects.get(pk=intake.pk).received_by == world.users["front_office"]


def test_village_outside_scope_is_refused_for_unregistered_people(world, make_intake):
    with pytest.raises(ValidationError) as err:
        make_intake(
            user=world.users["tksk_moncongloe"],
            subject=unregistered(village="73.09.01.1001"),
            point=world.puskesos,
        )
    assert "village" in err.value.message_dict
    make_intake(
        user=world.users["tksk_moncongloe"],
        subject=unregistered(village=BULU),
        point=world.puskesos,
    )


def test_holidays_are_managed_by_the_administrator(world):
    with pytest.raises(PermissionDenied):
        actions.add_holiday(world.users["social_worker"], on=date(2026, 12, 25), name="Natal")
    holiday = actions.add_holiday(world.users["admin_maros"], on=date(2026, 12, 25), name="Natal")
    with pytest.raises(ValidationError):
        actions.add_holiday(world.users["admin_maros"], on=date(2026, 12, 25), name="Natal")
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    actions.remove_holiday(world.users["admin_maros"], holiday)
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 25)
