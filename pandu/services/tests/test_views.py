"""The service's pages: what each person sees and does, and what they are refused."""

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pandu.conftest import LAPPARA
from pandu.core.models import AccessLog
from pandu.regions.models import Area
from pandu.services import actions, public
from pandu.services.models import Agreement, Case, Intake, Referral

from .conftest import unregistered

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _referral(world, case, *, send=True) -> Referral:
    worker = world.users["social_worker"]
    referral = actions.create_referral(
        worker,
        case,
        world.health,
        need_area="health",
        need="Pemeriksaan paru",
        done_so_far="Kunjungan rumah",
        request="Mohon pengobatan",
    )
    if send:
        actions.record_consent(worker, referral, consent_by="self", method="signed")
        actions.send_referral(worker, referral)
    referral.refresh_from_db()
    return referral


def _denied(user, path, uid=None) -> bool:
    rows = AccessLog.objects.filter(user=user, kind=AccessLog.Kind.DENIED, path=path)
    if uid is not None:
        rows = rows.filter(object_uid=str(uid))
    return rows.exists()


# --- Front office -----------------------------------------------------------------------------


def test_front_office_takes_in_an_unregistered_walk_in_and_prints_the_receipt(world):
    c = client_for(world.users["front_office"])
    page = c.get(reverse("services:intake_create"))
    assert page.status_code == 200
    assert "SLRT Dinas Sosial Maros" in page.content.decode()
    response = c.post(
        reverse("services:intake_create"),
        {
            "service_point": world.slrt.pk,
            "kind": "permohonan",
            "channel": "walk_in",
            "name": "Daeng Baji",
            "birth_date": "04-03-1970",
            "sex": "L",
            "village": LAPPARA,
            "address": "Dusun Lappara",
            "propose_to_registry": "on",
            "needs": ["health", "civil_documents"],
            "description": "Batuk lama dan belum punya KTP",
            "urgency": "normal",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    intake = Intake.objects.get()
    assert response["Location"] == reverse("services:intake_detail", args=[intake.uid])
    assert intake.propose_to_registry and intake.need_list() == ["health", "civil_documents"]
    detail = c.get(response["Location"]).content.decode()
    assert intake.ticket_number in detail and "perlu diusulkan ke registri" in detail
    receipt = c.get(reverse("services:intake_receipt", args=[intake.uid]))
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")


def test_the_form_shows_an_open_intake_for_the_same_person_and_need_first(world, make_intake):
    first = make_intake()
    c = client_for(world.users["front_office"])
    body = {
        "service_point": world.slrt.pk,
        "kind": "permohonan",
        "channel": "walk_in",
        "name": "Daeng Baji",
        "birth_date": "04-03-1970",
        "village": LAPPARA,
        "needs": ["health"],
        "description": "Datang lagi",
        "urgency": "normal",
    }
    response = c.post(reverse("services:intake_create"), body)
    assert response.status_code == 200
    assert first.ticket_number in response.content.decode()
    assert Intake.objects.count() == 1
    response = c.post(reverse("services:intake_create"), {**body, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Intake.objects.count() == 2


def test_person_search_finds_registered_people_in_scope(world, household_factory):
    household_factory(LAPPARA)
    c = client_for(world.users["front_office"])
    html = c.post(reverse("services:person_search"), {"q": "moh rahman"}).content.decode()
    assert "Muhammad Rahman" in html
    # The TKSK of Moncongloe finds them too; Makassar's admin does not.
    mk = client_for(world.users["admin_makassar"])
    assert (
        "Muhammad Rahman"
        not in mk.post(reverse("services:person_search"), {"q": "moh rahman"}).content.decode()
    )


def test_person_search_takes_the_nik_by_post_never_in_the_address(world, household_factory):
    person = household_factory(LAPPARA).members.order_by("id").first()
    c = client_for(world.users["front_office"])
    form = c.get(reverse("services:intake_create")).content.decode()
    assert f'hx-post="{reverse("services:person_search")}"' in form
    assert 'hx-get="' + reverse("services:person_search") not in form
    by_get = c.get(reverse("services:person_search"), {"q": person.nik})
    assert by_get.status_code == 405 and person.full_name not in by_get.content.decode()
    by_post = c.post(reverse("services:person_search"), {"q": person.nik})
    assert person.full_name in by_post.content.decode()


def test_the_queue_shows_todays_visitors_but_not_sensitive_names(world, make_intake):
    make_intake()
    make_intake(subject=unregistered("Rahasia Sekali"), sensitive_topic="violence")
    html = client_for(world.users["front_office"]).get(reverse("services:queue")).content.decode()
    assert "Daeng Baji" in html
    assert "Rahasia Sekali" not in html
    assert "(dirahasiakan)" in html


# --- Case work --------------------------------------------------------------------------------


def test_a_worker_sees_their_cases_sorted_by_what_is_due(world, make_case):
    first = make_case()
    second = make_case(subject=unregistered("Daeng Ngai"))
    worker = world.users["social_worker"]
    actions.add_task(worker, second, title="Besok", due_on=timezone.localdate() + timedelta(days=1))
    actions.add_task(worker, first, title="Lusa", due_on=timezone.localdate() + timedelta(days=2))
    html = client_for(worker).get(reverse("services:case_list")).content.decode()
    assert html.index(second.number) < html.index(first.number)


def test_a_sensitive_case_asks_for_a_reason_and_logs_it(world, make_case):
    case = make_case(needs=("child_protection",), subject=unregistered("Anak A", date(2014, 1, 1)))
    c = client_for(world.users["social_worker"])
    url = reverse("services:case_detail", args=[case.uid])
    response = c.get(url)
    assert response.status_code == 302 and "alasan" in response["Location"]
    page = c.get(response["Location"])
    assert "Alasan membuka kasus ini" in page.content.decode()
    c.post(response["Location"], {"reason": "Kunjungan rumah hari ini", "next": url})
    assert c.get(url).status_code == 200
    log = AccessLog.objects.get(kind=AccessLog.Kind.VIEW_SENSITIVE, object_uid=str(case.uid))
    assert log.detail == "Kunjungan rumah hari ini"
    assert log.user == world.users["social_worker"]


def test_a_worker_cannot_open_a_sensitive_case_not_assigned_to_them(world, make_case):
    case = make_case(needs=("child_protection",), subject=unregistered("Anak B", date(2014, 1, 1)))
    other = world.users["worker2"]
    url = reverse("services:case_detail", args=[case.uid])
    assert client_for(other).get(url).status_code == 404
    assert _denied(other, url, case.uid)
    assert (
        client_for(other).get(reverse("services:case_reason", args=[case.uid])).status_code == 404
    )
    assert (
        case.number
        not in client_for(other)
        .get(reverse("services:case_list") + "?lingkup=semua")
        .content.decode()
    )
    # The supervisor and the administrator may (with a reason).
    assert client_for(world.users["admin_maros"]).get(url).status_code == 302


def test_a_non_sensitive_case_is_readable_by_other_workers_but_not_writable(world, make_case):
    case = make_case()
    other = client_for(world.users["worker2"])
    assert other.get(reverse("services:case_detail", args=[case.uid])).status_code == 200
    other.post(reverse("services:case_note_add", args=[case.uid]), {"text": "Bukan kasus saya"})
    assert not case.notes.exists()


def test_outside_scope_cases_and_intakes_are_404_and_logged(world, mk_case):
    for who in ("admin_maros", "social_worker", "front_office", "auditor"):
        user = world.users[who]
        for url, uid in (
            (reverse("services:case_detail", args=[mk_case.uid]), mk_case.uid),
            (reverse("services:intake_detail", args=[mk_case.intake.uid]), mk_case.intake.uid),
        ):
            assert client_for(user).get(url).status_code == 404, who
            assert _denied(user, url, uid), who


def test_the_worker_plans_and_the_supervisor_approves_on_the_page(world, make_case):
    case = make_case()
    worker = client_for(world.users["social_worker"])
    worker.post(
        reverse("services:case_goal_add", args=[case.uid]),
        {"description": "Berobat", "need_area": "health"},
    )
    goal = case.goals.get()
    worker.post(
        reverse("services:case_action_add", args=[case.uid]),
        {
            "goal": goal.pk,
            "description": "Antar ke puskesmas",
            "due_on": timezone.localdate().strftime("%d-%m-%Y"),
        },
    )
    worker.post(reverse("services:case_plan_submit", args=[case.uid]))
    worker.post(reverse("services:case_plan_decide", args=[case.uid]), {"decision": "approve"})
    case.refresh_from_db()
    assert case.plan_status == "submitted"  # the worker cannot approve their own plan
    supervisor = client_for(world.users["admin_maros"])
    html = supervisor.get(reverse("services:case_detail", args=[case.uid])).content.decode()
    assert "Setujui rencana" in html
    supervisor.post(reverse("services:case_plan_decide", args=[case.uid]), {"decision": "approve"})
    case.refresh_from_db()
    assert case.plan_status == "approved"


def test_a_follow_up_in_the_past_is_refused_with_a_message(world, make_case):
    case = make_case()
    c = client_for(world.users["social_worker"])
    yesterday = (timezone.localdate() - timedelta(days=1)).strftime("%d-%m-%Y")
    response = c.post(
        reverse("services:case_task_add", args=[case.uid]),
        {"title": "Kunjungan", "due_on": yesterday},
        follow=True,
    )
    assert "Batas waktu tidak boleh di masa lalu" in response.content.decode()
    assert not case.tasks.exists()


def test_closing_with_an_open_referral_is_refused_on_the_page(world, make_case):
    case = make_case()
    referral = _referral(world, case)
    c = client_for(world.users["social_worker"])
    response = c.post(
        reverse("services:case_close", args=[case.uid]),
        {"outcome": "resolved", "summary": "Selesai"},
    )
    assert response.status_code == 200
    assert "masih ada rujukan" in response.content.decode()
    assert referral.number in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "open"


def test_sending_without_consent_is_refused_on_the_page(world, make_case):
    case = make_case()
    referral = _referral(world, case, send=False)
    c = client_for(world.users["social_worker"])
    response = c.post(reverse("services:referral_send", args=[referral.uid]), follow=True)
    assert "persetujuan" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "draft"


def test_assessment_form_saves_a_draft(world, make_case):
    case = make_case()
    c = client_for(world.users["social_worker"])
    url = reverse("services:case_assessment", args=[case.uid, "health"])
    assert c.get(url).status_code == 200
    response = c.post(url, {"complaint": "Batuk lama"})
    assert response.status_code == 302
    assert case.assessments.get(area="health").data == {"complaint": "Batuk lama"}
    response = c.post(url, {"complaint": "Batuk lama", "final": "on"})
    assert response.status_code == 200  # missing required answers for a final one
    assert "Gambaran situasi" in response.content.decode()


def test_overdue_lists_for_the_worker_and_the_supervisor(world, make_case):
    case = make_case()
    task = actions.add_task(
        world.users["social_worker"], case, title="Telepon keluarga", due_on=timezone.localdate()
    )
    type(task).objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    mine = (
        client_for(world.users["social_worker"]).get(reverse("services:overdue")).content.decode()
    )
    assert "Telepon keluarga" in mine
    team = client_for(world.users["admin_maros"]).get(reverse("services:overdue")).content.decode()
    assert "Petugas yang saya supervisi" in team and "Telepon keluarga" in team
    other = client_for(world.users["worker2"]).get(reverse("services:overdue")).content.decode()
    assert "Telepon keluarga" not in other


# --- Partner ----------------------------------------------------------------------------------


def test_partner_sees_only_referrals_to_their_agency_and_only_what_is_shared(world, make_case):
    case = make_case(subject=unregistered(nik="7309131703700011"))
    referral = _referral(world, case)
    lina = client_for(world.users["partner"])
    inbox = lina.get(reverse("services:inbox")).content.decode()
    assert referral.number in inbox
    detail = lina.get(reverse("services:inbox_detail", args=[referral.uid])).content.decode()
    assert "Daeng Baji" in detail and "Mohon pengobatan" in detail
    assert "7309131703700011" not in detail  # NIK not shared without consent
    assert "Dusun Lappara" not in detail  # address is not part of the letter
    referral.refresh_from_db()
    assert referral.status == "received"
    # Dukcapil's user gets nothing of it.
    other = world.users["partner_dukcapil"]
    url = reverse("services:inbox_detail", args=[referral.uid])
    assert client_for(other).get(url).status_code == 404
    assert _denied(other, url, referral.uid)
    assert referral.number not in client_for(other).get(reverse("services:inbox")).content.decode()
    client_for(other).post(reverse("services:inbox_move", args=[referral.uid, "accept"]))
    referral.refresh_from_db()
    assert referral.status == "received"


def test_partner_sees_nothing_of_the_registry_or_the_cases(world, make_case, household_factory):
    hh = household_factory(LAPPARA)
    case = make_case()
    lina = world.users["partner"]
    c = client_for(lina)
    for url in (
        reverse("registry:household_detail", args=[hh.uid]),
        reverse("registry:person_list"),
        reverse("services:case_detail", args=[case.uid]),
        reverse("services:intake_detail", args=[case.intake.uid]),
        reverse("services:case_list"),
        reverse("services:intake_list"),
        reverse("services:dashboard"),
        reverse("services:partner_list"),
    ):
        assert c.get(url).status_code == 404, url
    assert c.get(reverse("services:home"))["Location"] == reverse("services:inbox")


def test_partner_accepts_and_completes_from_the_inbox(world, make_case):
    referral = _referral(world, make_case())
    c = client_for(world.users["partner"])
    c.post(reverse("services:inbox_move", args=[referral.uid, "accept"]), {"text": ""})
    response = c.post(
        reverse("services:inbox_move", args=[referral.uid, "complete"]), {"text": ""}, follow=True
    )
    assert "hasil layanan" in response.content.decode()
    c.post(
        reverse("services:inbox_move", args=[referral.uid, "complete"]), {"text": "Sudah diobati"}
    )
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.result == "Sudah diobati"
    letter = c.get(reverse("services:inbox_letter", args=[referral.uid]))
    assert letter.content.startswith(b"%PDF")


# --- Agreements -------------------------------------------------------------------------------


def test_agreement_document_is_served_only_to_staff_in_scope(world):
    admin = world.users["admin_maros"]
    agreement = actions.create_agreement(
        admin,
        number="1/PKS/2024",
        title="Rujukan kesehatan",
        agency=world.dinkes,
        parties="Dinas Sosial\nDinas Kesehatan",
        area=Area.objects.get(code="73.09"),
        signed_on=date(2024, 1, 15),
        document=SimpleUploadedFile("pks.pdf", PDF, content_type="application/pdf"),
    )
    url = reverse("services:agreement_document", args=[agreement.uid])
    response = client_for(world.users["social_worker"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert Client().get(url).status_code == 302  # to the login page
    for who in ("admin_makassar", "partner", "operator_lappara"):
        assert client_for(world.users[who]).get(url).status_code == 404, who


def test_terminating_with_short_notice_is_refused_on_the_page(world):
    admin = world.users["admin_maros"]
    agreement = actions.create_agreement(
        admin,
        number="2/PKS/2024",
        title="Rujukan",
        parties="A\nB",
        area=Area.objects.get(code="73.09"),
        signed_on=date(2024, 1, 15),
    )
    today = timezone.localdate()
    response = client_for(admin).post(
        reverse("services:agreement_terminate", args=[agreement.uid]),
        {
            "notice_on": today.strftime("%d-%m-%Y"),
            "terminated_on": (today + timedelta(days=10)).strftime("%d-%m-%Y"),
            "reason": "Tidak aktif",
        },
    )
    assert response.status_code == 200
    assert "30 hari kalender" in response.content.decode()
    assert Agreement.objects.get(pk=agreement.pk).terminated_on is None


# --- Public pages -----------------------------------------------------------------------------


def _check(client, ticket, born, ip="10.0.0.1"):
    return client.post(
        reverse("services:public_status"),
        {"ticket": ticket, "birth_date": born},
        REMOTE_ADDR=ip,
    )


def test_public_status_shows_progress_without_personal_data(world, make_case):
    case = make_case(subject=unregistered(nik="7309131703700011"))
    c = Client()
    html = _check(c, case.intake.public_reference, "04-03-1970").content.decode()
    assert 'data-result="found"' in html
    assert "Ditangani petugas" in html
    for secret in ("Daeng Baji", "7309131703700011", "Dusun Lappara", "Sakit paru"):
        assert secret not in html


def test_a_wrong_birth_date_answers_exactly_like_an_unknown_ticket(world, make_intake):
    intake = make_intake()
    c = Client()
    wrong = _check(c, intake.public_reference, "05-03-1970", ip="10.0.0.2")
    unknown = _check(c, "SLRT-7309-2026-999999-AAAA", "05-03-1970", ip="10.0.0.3")
    assert wrong.status_code == unknown.status_code == 200

    def answer(response) -> str:
        html = response.content.decode()
        return re.search(r'<div class="alert[^>]*data-result=.*?</div>', html, re.S).group(0)

    assert 'data-result="not-found"' in answer(wrong)
    assert answer(wrong) == answer(unknown)
    assert "Daeng Baji" not in wrong.content.decode()


def test_ticket_checks_are_rate_limited_per_ticket(world, make_intake):
    intake, other = make_intake(), make_intake()
    c = Client()
    for _ in range(public.TRIES_PER_TICKET):
        assert _check(c, intake.public_reference, "01-01-1999").status_code == 200
    blocked = _check(c, intake.public_reference, "04-03-1970")
    assert blocked.status_code == 429
    html = blocked.content.decode()
    assert "Terlalu banyak percobaan" in html and 'data-result="found"' not in html
    # Another ticket, checked from another address, is not blocked.
    assert (
        'data-result="found"'
        in _check(c, other.public_reference, "04-03-1970", ip="10.9.9.9").content.decode()
    )


def test_the_letter_qr_verifies_without_login_and_shows_no_personal_data(world, make_case):
    referral = _referral(world, make_case())
    url = reverse("services:public_letter", args=[public.letter_token(referral)])
    html = Client().get(url).content.decode()
    assert 'data-letter="valid"' in html and referral.number in html
    assert "Daeng Baji" not in html and "Pemeriksaan paru" not in html
    actions.withdraw_referral(world.users["social_worker"], referral, "Salah alamat")
    assert 'data-letter="withdrawn"' in Client().get(url).content.decode()
    assert Client().get(url[:-3] + "xx/").status_code == 404
    # A token is not the uid: guessing from the uid does not work.
    assert (
        Client().get(reverse("services:public_letter", args=[str(referral.uid)])).status_code == 404
    )


# --- Dashboard --------------------------------------------------------------------------------


def test_dashboard_counts_and_downloads_as_xlsx(world, make_case):
    case = make_case()
    referral = _referral(world, case)
    actions.partner_move(world.users["partner"], referral, "accept")
    actions.partner_move(world.users["partner"], referral, "complete", "Selesai")
    actions.record_counselling(
        world.users["social_worker"],
        case,
        held_on=timezone.localdate(),
        participants="Keluarga",
        issues="Biaya",
    )
    head = client_for(world.users["head"])
    html = head.get(reverse("services:dashboard")).content.decode()
    assert 'data-figure="intakes">1<' in html
    assert "Dinas Kesehatan Kabupaten Maros" in html and "100%" in html
    assert 'data-figure="counselling">1<' in html
    xlsx = head.get(reverse("services:dashboard_xlsx"))
    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(xlsx.content))
    assert "Mitra" in wb.sheetnames
    rows = list(wb["Mitra"].values)
    assert rows[1][0] == "Dinas Kesehatan Kabupaten Maros" and rows[1][1] == 1
    # Makassar's admin sees Makassar's figures only.
    mk = (
        client_for(world.users["admin_makassar"])
        .get(reverse("services:dashboard"))
        .content.decode()
    )
    assert 'data-figure="intakes">0<' in mk


def test_dashboard_refuses_an_area_outside_scope(world):
    html = (
        client_for(world.users["head"])
        .get(reverse("services:dashboard"), {"area": "73.71"})
        .content.decode()
    )
    assert "di luar wilayah kerja" in html


def test_a_supervisor_sees_counts_and_the_oldest_overdue_items_per_worker(world, make_case):
    from pandu.services.models import Task

    actions.add_staff(world.users["admin_maros"], world.slrt, world.users["worker2"], "supervisor")
    case = make_case()
    worker = world.users["social_worker"]
    for i in range(7):
        actions.add_task(worker, case, title=f"Tugas {i}", due_on=timezone.localdate())
    Task.objects.update(due_on=timezone.localdate() - timedelta(days=3))
    html = client_for(world.users["worker2"]).get(reverse("services:overdue")).content.decode()
    assert "Petugas yang saya supervisi" in html
    assert "7 tindak lanjut" in html
    assert "dan 2 tindak lanjut lain" in html
    # The front office supervises nobody and has no overdue page at all.
    assert (
        client_for(world.users["front_office"]).get(reverse("services:overdue")).status_code == 404
    )
