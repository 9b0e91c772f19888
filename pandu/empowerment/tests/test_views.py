"""The pages through a browser-less client: the phone visit form, the plan and graduation
pages, the follow-up form, the criteria, the KUBE and UEP forms. Bad input comes back on the
form with a message, never a 500; lists read a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pandu.conftest import LAPPARA, MAKASSAR_VILLAGE
from pandu.empowerment import actions
from pandu.empowerment.models import GraduationPlan, KubeMember, UepGrant, UseVisit
from pandu.regions.models import Area

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def test_the_tksk_records_a_visit_through_the_phone_form(personas, kpm):
    tksk = client_of(personas["tksk_moncongloe"])
    page = tksk.get(f"/pemberdayaan/kpm/{kpm.uid}/kunjungan/")
    assert page.status_code == 200
    assert "geolocation=(self)" in page["Permissions-Policy"]
    assert "Catat lokasi saya" in text(page)
    response = tksk.post(
        f"/pemberdayaan/kpm/{kpm.uid}/kunjungan/",
        {
            "visited_on": timezone.localdate().isoformat(),
            "aid_received": "on",
            "uses": ["use_food", "use_health"],
            "problem_ewarong": "on",
            "problem_ewarong_note": "Beras e-warong kurang 2 kg",
            "latitude": "-5.100000",
            "longitude": "119.550000",
            "accuracy": "15",
            "located_at": timezone.now().isoformat(),
        },
    )
    assert response.status_code == 302
    visit = UseVisit.objects.get()
    assert visit.uses == ["Pangan", "Kesehatan"] and visit.problem_ewarong
    assert visit.visit_longitude is not None
    listed = tksk.get("/pemberdayaan/kpm/")
    assert timezone.localdate().strftime("%d-%m-%Y") in text(listed)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"visited_on": "kemarin"}, "Masukkan tanggal yang valid"),
        ({"aid_received": "on"}, "Pilih paling sedikit satu penggunaan bantuan."),
        ({"uses": ["use_gold"]}, "use_gold bukan salah satu"),
        ({"aid_received": "on", "uses": ["use_other"]}, "Tuliskan penggunaan lainnya."),
        (
            {"aid_received": "on", "uses": ["use_food"], "problem_pin": "on"},
            "Jelaskan masalah PIN.",
        ),
        (
            {"aid_received": "on", "uses": ["use_food"], "latitude": "abc", "longitude": "1"},
            "Lintang harus angka",
        ),
        (
            {"aid_received": "on", "uses": ["use_food"], "located_at": "bukan waktu"},
            "Waktu lokasi diambil tidak terbaca.",
        ),
    ],
)
def test_bad_visit_input_comes_back_on_the_form(personas, kpm, data, message):
    payload = {"visited_on": timezone.localdate().isoformat()} | data
    response = client_of(personas["tksk_moncongloe"]).post(
        f"/pemberdayaan/kpm/{kpm.uid}/kunjungan/", payload
    )
    assert response.status_code == 200
    assert message.lower() in text(response).lower(), message
    assert not UseVisit.objects.exists()


def test_a_visit_to_a_kpm_outside_the_area_is_a_logged_404(personas, make_kpm):
    makassar = make_kpm(MAKASSAR_VILLAGE)
    response = client_of(personas["tksk_moncongloe"]).get(
        f"/pemberdayaan/kpm/{makassar.uid}/kunjungan/"
    )
    assert response.status_code == 404


LISTS = (
    "/pemberdayaan/kpm/",
    "/pemberdayaan/kunjungan/",
    "/pemberdayaan/graduasi/",
    "/pemberdayaan/graduasi/pendampingan/?state=akan_datang",
    "/pemberdayaan/kube/",
    "/pemberdayaan/uep/",
)


def _add_rows(personas, make_kpm, group, n: int) -> None:
    """``n`` KPM each with a visit, a graduated plan (follow-ups), a KUBE member, a UEP grant."""
    tksk, admin = personas["tksk_moncongloe"], personas["admin_maros"]
    today = timezone.localdate()
    for _ in range(n):
        kpm = make_kpm(desil=6)
        actions.record_visit(tksk, kpm, visited_on=today, use_food=True)
        plan = actions.create_plan(tksk, kpm, facilitator=tksk, goals="x")
        actions.graduate_family(admin, plan, on=today, reason="x", pathway="mandiri")
        actions.add_member(tksk, group, person=kpm.recipient)
        actions.record_uep_grant(
            admin, kpm.household, amount=1_000_000, granted_on=today, business="Warung"
        )


def test_lists_read_a_fixed_number_of_queries(
    personas, make_kpm, criteria, django_assert_max_num_queries
):
    tksk = personas["tksk_moncongloe"]
    group = actions.create_group(
        tksk,
        village=Area.objects.get(code=LAPPARA),
        name="Maju",
        business_type="Warung",
        formed_on=date(2025, 1, 1),
    )
    client = client_of(personas["admin_maros"])
    _add_rows(personas, make_kpm, group, 2)
    counts = {}
    for url in LISTS:
        with django_assert_max_num_queries(40) as first:
            assert client.get(url).status_code == 200
        counts[url] = len(first.captured_queries)
    _add_rows(personas, make_kpm, group, 4)
    for url, n in counts.items():
        with django_assert_max_num_queries(n):
            assert client.get(url).status_code == 200, url


def test_the_kpm_list_offers_each_role_its_own_actions(personas, kpm):
    tksk = text(client_of(personas["tksk_moncongloe"]).get("/pemberdayaan/kpm/"))
    assert "Catat kunjungan" in tksk and "Susun rencana graduasi" in tksk
    head = text(client_of(personas["head"]).get("/pemberdayaan/kpm/"))
    assert "Catat kunjungan" not in head and "Susun rencana graduasi" not in head


@pytest.fixture
def criteria(personas, programme):
    actions.set_criterion(
        personas["admin_maros"],
        programme=programme,
        area=Area.objects.get(code="73.09"),
        kind="desil_di_atas",
        threshold=4,
    )


def test_a_plan_is_made_and_the_family_graduated_through_the_pages(personas, kpm, criteria):
    tksk = client_of(personas["tksk_moncongloe"])
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    response = tksk.post(
        f"/pemberdayaan/kpm/{kpm.uid}/rencana/",
        {
            "facilitator": personas["tksk_moncongloe"].pk,
            "goals": "Warung kelontong berjalan",
            "step1_title": "Pelatihan pembukuan",
            "step1_due": due,
        },
    )
    assert response.status_code == 302
    plan = GraduationPlan.objects.get()
    detail = text(tksk.get(f"/pemberdayaan/graduasi/{plan.uid}/"))
    assert "Desil di atas 4" in detail and "Keluarga memenuhi kriteria graduasi." in detail
    assert "Luluskan" not in detail  # the TKSK prepares, the Dinas decides
    admin = client_of(personas["admin_maros"])
    page = admin.get(f"/pemberdayaan/graduasi/{plan.uid}/luluskan/")
    assert page.status_code == 200
    response = admin.post(
        f"/pemberdayaan/graduasi/{plan.uid}/luluskan/",
        {"on": timezone.localdate().isoformat(), "reason": "Desil 5", "pathway": "mandiri"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    kpm.refresh_from_db()
    assert plan.status == "lulus" and kpm.status == "graduasi"
    follow_ups = text(tksk.get("/pemberdayaan/graduasi/pendampingan/?state=akan_datang"))
    assert follow_ups.count("Catat kunjungan") == 3


def test_bad_plan_and_graduation_input_is_shown_on_the_forms(personas, kpm, criteria):
    tksk = client_of(personas["tksk_moncongloe"])
    response = tksk.post(
        f"/pemberdayaan/kpm/{kpm.uid}/rencana/",
        {"facilitator": "999", "goals": "", "step1_title": "Tanpa tanggal"},
    )
    assert response.status_code == 200
    assert "Isi target selesai langkah ini." in text(response)
    assert not GraduationPlan.objects.exists()
    plan = actions.create_plan(
        personas["tksk_moncongloe"], kpm, facilitator=personas["tksk_moncongloe"], goals="x"
    )
    admin = client_of(personas["admin_maros"])
    response = admin.post(
        f"/pemberdayaan/graduasi/{plan.uid}/luluskan/",
        {"on": "2024-01-01", "reason": "x", "pathway": "kube"},
    )
    assert response.status_code == 200
    assert "Pilih kelompok KUBE" in text(response)
    response = admin.post(
        f"/pemberdayaan/graduasi/{plan.uid}/luluskan/",
        {"on": "2024-01-01", "reason": "x", "pathway": "mandiri"},
    )
    assert "sebelum keluarga menjadi KPM" in text(response)
    response = tksk.post(f"/pemberdayaan/graduasi/{plan.uid}/langkah/", {"title": "x"})
    assert response.status_code == 302
    assert plan.steps.count() == 0


def test_the_follow_up_form_records_how_the_family_fares(personas, kpm, criteria):
    tksk = personas["tksk_moncongloe"]
    plan = actions.create_plan(tksk, kpm, facilitator=tksk, goals="x")
    actions.graduate_family(
        personas["admin_maros"], plan, on=timezone.localdate(), reason="x", pathway="mandiri"
    )
    follow_up = plan.follow_ups.get(months=3)
    client = client_of(tksk)
    url = f"/pemberdayaan/graduasi/pendampingan/{follow_up.uid}/"
    bad = client.post(
        url, {"done_on": timezone.localdate().isoformat(), "condition": "kembali_rentan"}
    )
    assert "Tuliskan dukungan apa yang diperlukan keluarga." in text(bad)
    ok = client.post(
        url,
        {
            "done_on": timezone.localdate().isoformat(),
            "condition": "mandiri",
            "income_monthly": "4200000",
            "business_running": "true",
        },
    )
    assert ok.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.condition, follow_up.business_running, follow_up.visited_by) == (
        "mandiri",
        True,
        tksk,
    )


def test_criteria_page_refuses_bad_thresholds(personas, programme):
    admin = client_of(personas["admin_maros"])
    response = admin.post(
        "/pemberdayaan/graduasi/kriteria/",
        {"programme": programme.pk, "area": "73.09", "kind": "desil_di_atas", "threshold": "11"},
    )
    assert response.status_code == 200
    assert "harus antara 1 dan 9" in text(response)
    response = admin.post(
        "/pemberdayaan/graduasi/kriteria/",
        {"programme": programme.pk, "area": "99.99", "kind": "mandiri"},
    )
    assert "Kode wilayah tidak ada." in text(response)
    response = admin.post(
        "/pemberdayaan/graduasi/kriteria/",
        {"programme": programme.pk, "area": "73.09", "kind": "mandiri", "required": "on"},
    )
    assert response.status_code == 302
    assert "Keluarga menyatakan diri mampu" in text(admin.get("/pemberdayaan/graduasi/kriteria/"))


def test_a_kube_group_is_formed_and_members_added_by_nik(personas, kpm):
    tksk = client_of(personas["tksk_moncongloe"])
    bad = tksk.post(
        "/pemberdayaan/kube/baru/",
        {
            "name": "Maju",
            "village": "73.09.13",
            "business_type": "Warung",
            "formed_on": "2025-01-01",
        },
    )
    assert "Pilih desa/kelurahan" in text(bad)
    outside = tksk.post(
        "/pemberdayaan/kube/baru/",
        {
            "name": "Maju",
            "village": MAKASSAR_VILLAGE,
            "business_type": "x",
            "formed_on": "2025-01-01",
        },
    )
    assert "di luar wilayah kerja Anda" in text(outside)
    response = tksk.post(
        "/pemberdayaan/kube/baru/",
        {"name": "Maju", "village": LAPPARA, "business_type": "Warung", "formed_on": "2025-01-01"},
    )
    assert response.status_code == 302
    group_url = response["Location"]
    member = tksk.post(
        group_url + "anggota/", {"nik": kpm.recipient.nik, "role": "ketua", "business": "Kue"}
    )
    assert member.status_code == 302
    assert KubeMember.objects.get().person == kpm.recipient
    wrong = tksk.post(group_url + "anggota/", {"nik": "7309", "role": "anggota"}, follow=True)
    assert wrong.status_code == 200 and KubeMember.objects.count() == 1
    page = text(tksk.get(group_url))
    assert kpm.recipient.full_name in page and kpm.recipient.nik not in page


def test_a_uep_grant_by_kk_number(personas, kpm):
    admin = client_of(personas["admin_maros"])
    unknown = admin.post(
        "/pemberdayaan/uep/baru/",
        {"kk_number": "7309130101150099", "amount": "1000000", "granted_on": "2025-05-01",
         "business": "Warung"},
    )  # fmt: skip
    assert "tidak ditemukan" in text(unknown)
    response = admin.post(
        "/pemberdayaan/uep/baru/",
        {"kk_number": kpm.household.kk_number, "amount": "2500000", "granted_on": "2025-05-01",
         "business": "Warung", "sector": "8"},
    )  # fmt: skip
    assert response.status_code == 302
    grant = UepGrant.objects.get()
    assert (grant.household, grant.recipient, grant.amount) == (
        kpm.household,
        kpm.recipient,
        2_500_000,
    )
    assert "Rp 2.500.000" in text(admin.get("/pemberdayaan/uep/"))
    future = admin.post(
        "/pemberdayaan/uep/baru/",
        {"kk_number": kpm.household.kk_number, "amount": "1", "business": "x",
         "granted_on": (date.today() + timedelta(days=9)).isoformat()},
    )  # fmt: skip
    assert "tidak boleh di masa depan" in text(future)
