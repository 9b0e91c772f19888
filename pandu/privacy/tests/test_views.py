"""The pages of a request's journey as the front office and the data protection officer use
them: the form (with a correction), each step's form on the request page, the approval by a
second person, the retention review and the breach pages; a wrong input is a message, never
a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pandu.privacy import actions
from pandu.privacy.models import Breach, RetentionReview, RetentionRule, SubjectRequest
from pandu.registry import actions as registry

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _follow(client, url, data):
    answer = client.post(url, data, follow=True)
    assert answer.status_code == 200
    return answer.content.decode()


def test_a_correction_request_from_the_form_to_its_end(personas, person):
    desk = _client(personas["front_office"])
    url = reverse("privacy:request_create", args=[person.uid])
    form = desk.get(url).content.decode()
    assert 'name="fix_full_name"' in form and 'name="fix_education"' in form
    refused = desk.post(
        url,
        {
            "kind": "correction",
            "channel": "walk_in",
            "requester": "self",
            "received_at": "2026-03-05T09:00",
            "description": "Nama salah",
        },
    )
    assert refused.status_code == 200
    assert "paling sedikit satu isian" in refused.content.decode()
    wrong = desk.post(url, {"kind": "correction", "channel": "walk_in", "requester": "self",
                            "received_at": "2026-03-05T09:00", "description": "Telepon",
                            "fix_birth_date": "2030-01-01"})  # fmt: skip
    assert wrong.status_code == 200 and not SubjectRequest.objects.exists()
    sent = desk.post(
        url,
        {"kind": "correction", "channel": "walk_in", "requester": "self",
         "received_at": "2026-03-05T09:00", "description": "Nama dan pendidikan salah",
         "fix_full_name": "Muhammad Rahman Dg Tompo", "fix_education": "3",
         "identity_method": "ktp"},
    )  # fmt: skip
    assert sent.status_code == 302
    req = SubjectRequest.objects.get()
    assert req.received_at == timezone.make_aware(timezone.datetime(2026, 3, 5, 9, 0))
    assert req.changes == {"full_name": "Muhammad Rahman Dg Tompo", "education": 3}
    detail = reverse("privacy:request_detail", args=[req.uid])
    page = desk.get(detail).content.decode()
    assert 'id="ack-form"' in page and "Muhammad Rahman Dg Tompo" in page
    page = _follow(desk, reverse("privacy:request_acknowledge", args=[req.uid]), {"ack-note": ""})
    assert "Keterangan" in page  # the empty note is said
    page = _follow(
        desk, reverse("privacy:request_acknowledge", args=[req.uid]), {"ack-note": "Di loket"}
    )
    assert "Tanda terima dicatat" in page and 'id="request-status">Diproses' in page
    # The front office may not change the registry's welfare facts; the Dinas applies.
    admin = _client(personas["admin_maros"])
    page = _follow(admin, reverse("privacy:request_correct", args=[req.uid]), {})
    assert "diteruskan ke pemutakhiran desa" in page and "sudah diperbaiki" in page
    person.refresh_from_db()
    assert person.full_name == "Muhammad Rahman Dg Tompo"
    page = _follow(
        admin, reverse("privacy:request_complete", args=[req.uid]),
        {"ok-outcome": "Nama sudah diperbaiki; pendidikan diverifikasi oleh desa."},
    )  # fmt: skip
    assert "Permintaan selesai" in page and "Selesai" in page


def test_the_correction_refused_to_the_auditor_is_said_on_the_page(personas, person, receive):
    req = receive(person, "correction", changes={"birth_place": "Maros"}, description="x")
    page = _follow(
        _client(personas["auditor"]), reverse("privacy:request_correct", args=[req.uid]), {}
    )
    assert "tidak berwenang" in page
    person.refresh_from_db()
    assert person.birth_place != "Maros"


def test_a_restriction_is_proposed_and_approved_on_the_request_page(personas, person, receive):
    req = receive(person, "restriction", description="Jangan dipakai untuk program baru")
    desk = _client(personas["front_office"])
    detail = reverse("privacy:request_detail", args=[req.uid])
    page = desk.get(detail).content.decode()
    assert 'id="propose-form"' in page and 'data-hold="registry_active"' in page
    page = _follow(
        desk, reverse("privacy:request_propose", args=[req.uid]),
        {"pr-outcome": "erase", "pr-reason": "Diminta"},
    )  # fmt: skip
    assert "Pilih keputusan" in page  # a restriction request offers no anonymisation
    page = _follow(
        desk, reverse("privacy:request_propose", args=[req.uid]),
        {"pr-outcome": "restrict", "pr-reason": "Diminta pemohon"},
    )  # fmt: skip
    assert 'id="decide-form"' not in page  # not for the one who proposed
    officer = _client(personas["auditor"])
    page = officer.get(detail).content.decode()
    assert 'id="decide-form"' in page
    page = _follow(
        officer, reverse("privacy:request_decide", args=[req.uid]),
        {"dc-decision": "approve", "dc-note": "Setuju"},
    )  # fmt: skip
    assert "Keputusan dicatat" in page
    card = desk.get(reverse("registry:person_detail", args=[person.uid])).content.decode()
    assert "data-restricted" in card


def test_the_request_list_shows_late_ones_in_red(personas, person, receive):
    from .conftest import wita

    late = receive(person, received_at=wita(2026, 1, 5, 10, 0), ready=False)
    client = _client(personas["auditor"])
    page = client.get(reverse("privacy:request_list")).content.decode()
    assert late.number in page and "data-overdue" in page and 'data-clock="overdue"' in page
    assert "1 lewat batas waktu" in page
    assert (
        late.number
        in client.get(reverse("privacy:request_list") + "?overdue=true").content.decode()
    )
    bad = client.get(reverse("privacy:request_list") + "?status=nonsense&overdue=maybe")
    assert bad.status_code == 200


def test_an_unknown_copy_format_is_a_404(personas, person, receive):
    req = receive(person)
    client = _client(personas["front_office"])
    assert client.get(reverse("privacy:request_export", args=[req.uid, "xlsx"])).status_code == 404


def test_the_retention_pages(personas, person):
    registry.change_person_status(
        personas["admin_maros"], person, status="deceased", on=timezone.localdate().replace(
            year=timezone.localdate().year - 11), reason="Meninggal",
    )  # fmt: skip
    actions.open_reviews()
    review = RetentionReview.objects.get()
    officer = _client(personas["auditor"])
    listing = officer.get(reverse("privacy:review_list")).content.decode()
    assert reverse("privacy:review_detail", args=[review.uid]) in listing
    page = officer.get(reverse("privacy:review_detail", args=[review.uid])).content.decode()
    assert person.full_name in page and "Meninggal" in page
    answer = officer.post(
        reverse("privacy:review_detail", args=[review.uid]),
        {"decision": "keep", "reason": "Sengketa waris"},
    )
    assert answer.status_code == 200 and "tinjauan berikutnya" in answer.content.decode()
    answer = officer.post(
        reverse("privacy:review_detail", args=[review.uid]),
        {"decision": "anonymise", "reason": "Masa simpan habis"},
    )
    assert answer.status_code == 302
    person.refresh_from_db()
    assert person.full_name.startswith("Anonim")
    scan = officer.post(reverse("privacy:review_scan"))
    assert scan.status_code == 302 and "/tugas/" in scan["Location"]
    rules = officer.get(reverse("privacy:rule_list")).content.decode()
    assert "Nasional" in rules
    sent = officer.post(
        reverse("privacy:rule_create"),
        {"kind": "intake_closed", "area_code": "73.71", "period_months": "24",
         "legal_basis": "JRA", "active": "on"},
    )  # fmt: skip
    assert sent.status_code == 200 and "di luar wilayah" in sent.content.decode()
    sent = officer.post(
        reverse("privacy:rule_create"),
        {"kind": "intake_closed", "area_code": "73.09", "period_months": "24",
         "legal_basis": "JRA Kabupaten Maros", "active": "on"},
    )  # fmt: skip
    assert sent.status_code == 302
    assert RetentionRule.objects.get(area_code="73.09").period_months == 24


def test_the_breach_pages(personas):
    officer = _client(personas["auditor"])
    form = officer.get(reverse("privacy:breach_create")).content.decode()
    assert 'name="categories"' in form and "3×24 jam" in form
    sent = officer.post(
        reverse("privacy:breach_create"),
        {"title": "Surel salah kirim", "discovered_at": "2026-03-05T08:00",
         "description": "Daftar penerima terkirim ke alamat salah", "categories": ["identity"],
         "people_affected": "12"},
    )  # fmt: skip
    assert sent.status_code == 302
    breach = Breach.objects.get()
    assert breach.area_code == "73.09" and breach.recorded_by == personas["auditor"]
    detail = reverse("privacy:breach_detail", args=[breach.uid])
    page = officer.get(detail).content.decode()
    assert 'id="notice-form"' in page and 'data-clock="overdue"' in page
    page = _follow(
        officer, reverse("privacy:breach_notice", args=[breach.uid]),
        {"nt-recipient": "authority", "nt-method": "letter", "nt-sent_at": "2026-03-06T10:00",
         "nt-reference": "400/12/DINSOS", "nt-summary": "Surat kepada lembaga"},
    )  # fmt: skip
    assert "400/12/DINSOS" in page
    edit = officer.post(
        reverse("privacy:breach_edit", args=[breach.uid]),
        {"title": "Surel salah kirim", "description": "Daftar terkirim ke alamat salah",
         "categories": ["identity", "contact"], "people_affected": "14", "status": "contained",
         "reason": "Dihitung ulang"},
    )  # fmt: skip
    assert edit.status_code == 302
    breach.refresh_from_db()
    assert breach.people_affected == 14 and breach.status == "contained"
    page = _follow(officer, reverse("privacy:breach_close", args=[breach.uid]), {"cl-note": "x"})
    assert "subjek data" in page.lower()
    breach.refresh_from_db()
    assert breach.status == "contained"
