from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from pandu.conftest import LAPPARA
from pandu.core.models import AccessLog
from pandu.programs.models import Activity, IntegratedProgramme, Participant
from pandu.registry.models import Person

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_head_sees_every_implementer_targets_and_the_dipa_warning(personas, moncongloe):
    page = _client(personas["head"]).get(
        reverse("programs:integrated_detail", args=[moncongloe.uid])
    )
    text = page.content.decode()
    assert page.status_code == 200
    for name in ("BBPPKS Makassar", "IPSI Makassar", "STIKS Tamalanrea", "PKP2A II LAN"):
        assert name in text
    assert "0361/027.11.2.01/23/2012" in text
    assert "sesudah kegiatan dimulai" in text  # the warning, shown, not a refusal
    assert "70 → 0 orang" in text
    assert "Tambah pelaksana" not in text  # the head reads only


def test_a_focal_point_page_shows_only_its_own_part(personas, moncongloe):
    text = (
        _client(personas["partner"])
        .get(reverse("programs:integrated_detail", args=[moncongloe.uid]))
        .content.decode()
    )
    assert "IPSI Makassar" in text and "70 anak" not in text
    assert "STIKS Tamalanrea" not in text and "BBPPKS Makassar" not in text
    assert "Catat realisasi" in text


def test_a_focal_point_records_progress_and_a_registry_participant_by_nik_in_the_body(
    personas, ipsi, household_factory
):
    tksk = personas["tksk_moncongloe"]
    household = household_factory(LAPPARA)
    person = Person.objects.filter(household=household).first()
    dinsos = Activity.objects.filter(
        implementer__organisation__short_name="Dinas Sosial Nakertrans Maros"
    ).first()
    client = _client(tksk)
    url = reverse("programs:participant_add", args=[dinsos.uid])
    response = client.post(url, {"nik": person.nik, "group": "ppks", "attendance": "hadir"})
    assert response.status_code == 302 and person.nik not in response["Location"]
    assert Participant.objects.get(activity=dinsos).person == person
    response = client.post(
        reverse("programs:activity_progress", args=[dinsos.uid]),
        {"status": "selesai", "achieved_quantity": "12", "outputs": "12 KPM didampingi"},
    )
    dinsos.refresh_from_db()
    assert (dinsos.status, dinsos.achieved_quantity) == ("selesai", 12)
    page = client.get(reverse("programs:activity_detail", args=[dinsos.uid])).content.decode()
    assert person.full_name in page and person.nik not in page


def test_a_wrong_nik_is_a_clear_message_not_an_error_page(personas, ipsi):
    activity = ipsi.activities.get()
    client = _client(personas["partner"])
    response = client.post(
        reverse("programs:participant_add", args=[activity.uid]),
        {"nik": "3.57301E+15", "group": "ppks", "attendance": "hadir"},
        follow=True,
    )
    assert response.status_code == 200
    assert "E+15" in response.content.decode() or "digit" in response.content.decode()
    response = client.post(
        reverse("programs:participant_add", args=[activity.uid]),
        {"group": "ppks", "attendance": "hadir"},
        follow=True,
    )
    assert "Isi NIK penduduk terdaftar atau nama peserta." in response.content.decode()
    assert not activity.participants.exists()


def test_a_focal_point_posting_to_another_implementers_activity_changes_nothing(personas, stiks):
    activity = stiks.activities.get()
    partner = personas["partner"]
    client = _client(partner)
    for name, data in (
        ("programs:activity_progress", {"status": "selesai", "achieved_quantity": "9"}),
        ("programs:participant_add", {"name": "Penyusup", "group": "tksm"}),
    ):
        url = reverse(name, args=[activity.uid])
        assert client.post(url, data).status_code == 404
        assert AccessLog.objects.filter(user=partner, kind="denied", path=url).exists()
    activity.refresh_from_db()
    assert activity.status != "selesai" and not activity.participants.exists()


def test_attendance_is_marked_in_place_with_htmx(personas, ipsi):
    activity = ipsi.activities.get()
    client = _client(personas["partner"])
    client.post(
        reverse("programs:participant_add", args=[activity.uid]),
        {"name": "Hasnah", "group": "pkk", "attendance": "diundang"},
    )
    participant = activity.participants.get()
    response = client.post(
        reverse("programs:participant_attendance", args=[activity.uid]),
        {"participant": str(participant.uid), "attendance": "hadir"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and f'id="p-{participant.uid}"' in response.content.decode()
    participant.refresh_from_db()
    assert participant.attendance == "hadir"


def test_the_coordinator_sets_up_a_programme_and_bad_input_is_a_message(personas):
    client = _client(personas["admin_maros"])
    url = reverse("programs:integrated_create")
    response = client.post(url, {"title": "Program Terpadu Mandai", "area": "99.99"})
    assert (
        response.status_code == 200 and "Kode wilayah tidak dikenal." in response.content.decode()
    )
    response = client.post(url, {"title": "Program Terpadu Makassar", "area": "73.71"})
    assert response.status_code == 200
    assert not IntegratedProgramme.objects.exists()
    response = client.post(
        url,
        {
            "title": "Program Terpadu Mandai",
            "area": "73.09.01",
            "designated_by": "Bupati Maros",
            "reasons": "Kemiskinan tinggi\nAkses layanan terbatas",
            "starts_on": "2026-01-05",
        },
    )
    programme = IntegratedProgramme.objects.get()
    assert response.status_code == 302
    assert programme.reasons == ["Kemiskinan tinggi", "Akses layanan terbatas"]
    assert programme.starts_on == date(2026, 1, 5)


def test_the_catalogue_shows_amounts_with_their_mark(personas):
    client = _client(personas["operator_lappara"])
    listing = client.get(reverse("programs:catalogue"), {"q": "bpnt"}).content.decode()
    assert "BPNT" in listing and "Program Keluarga Harapan" not in listing
    page = client.get(reverse("programs:programme_detail", args=["BPNT"])).content.decode()
    assert "Rp 200.000" in page and "belum dikonfirmasi" in page
    assert client.get(reverse("programs:programme_detail", args=["NOPE"])).status_code == 404


def test_the_coordinator_names_a_focal_point_who_then_works_on_that_part(personas, stiks):
    admin, worker = personas["admin_maros"], personas["social_worker"]
    client = _client(admin)
    programme = stiks.programme
    page = client.get(reverse("programs:integrated_detail", args=[programme.uid])).content.decode()
    assert "Tetapkan penanggung jawab" in page
    client.post(
        reverse("programs:focal_point_add", args=[stiks.uid]),
        {"user": personas["operator_lappara"].pk, "position": "x"},
    )
    assert not stiks.focal_points.exists()  # a village operator's role cannot be one
    client.post(
        reverse("programs:focal_point_add", args=[stiks.uid]),
        {"user": worker.pk, "position": "Dosen pendamping"},
    )
    assert stiks.focal_points.get().user == worker
    worker_client = _client(worker)
    response = worker_client.post(
        reverse("programs:funding_add", args=[programme.uid]),
        {"implementer": str(stiks.uid), "source": "csr", "planned_amount": "5000000"},
    )
    assert response.status_code == 302
    assert stiks.funding_lines.filter(source="csr", planned_amount=5_000_000).exists()
    # Without naming its implementer a focal point may not add a programme-wide line.
    worker_client.post(
        reverse("programs:funding_add", args=[programme.uid]), {"source": "csr"}, follow=True
    )
    assert programme.funding_lines.filter(implementer__isnull=True, source="csr").count() == 0


def test_the_coordinator_adds_an_me_plan_line(personas, moncongloe):
    client = _client(personas["admin_maros"])
    client.post(
        reverse("programs:plan_add", args=[moncongloe.uid]),
        {"kind": "sewaktu", "team": "Tim Dinas Sosial"},
    )
    assert moncongloe.monitoring_plan.filter(team="Tim Dinas Sosial").exists()


def test_bodies_are_registered_by_the_administrator_of_their_area(personas):
    from pandu.organisations.models import Organisation

    client = _client(personas["admin_maros"])
    url = reverse("programs:organisation_create")
    response = client.post(url, {"name": "PT Semen Bosowa", "kind": "usaha", "area": "73.71"})
    assert "di luar wilayah kerja Anda" in response.content.decode()
    response = client.post(
        url,
        {
            "name": "CSR Bank Sulselbar",
            "short_name": "Bank Sulselbar",
            "kind": "usaha",
            "area": "73.09",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(short_name="Bank Sulselbar", area_id="73.09").exists()
    listing = client.get(reverse("programs:organisation_list"), {"kind": "usaha"}).content.decode()
    assert "CSR Bank Sulselbar" in listing and "Kementerian Sosial" not in listing
