"""The pages, driven as Bu Rahma, Pak Syamsul and the Dinas administrator would use them."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pandu.conftest import LAPPARA, browser_data
from pandu.core.models import AccessLog
from pandu.proposals import actions
from pandu.proposals.models import BatchStatus, ItemStatus, ProposalBatch, ProposalItem
from pandu.registry.forms import HouseholdForm, MemberFormSet
from pandu.registry.models import Household

from .conftest import PDF_BYTES, confirm_all, minutes_pdf, new_family, photo_jpeg

pytestmark = pytest.mark.django_db


def login(personas, who: str) -> Client:
    client = Client()
    client.force_login(personas[who])
    return client


def _meeting_day() -> str:
    return (date.today() - timedelta(days=2)).strftime("%d-%m-%Y")


def test_operator_creates_a_batch_with_minutes_for_her_own_village(personas):
    rahma = login(personas, "operator_lappara")
    page = rahma.get("/usulan/baru/")
    assert page.status_code == 200
    response = rahma.post(
        "/usulan/baru/",
        {"village": "73.09.13.2002", "meeting_date": _meeting_day(), "minutes": minutes_pdf()},
    )
    batch = ProposalBatch.objects.get()
    assert response.status_code == 302
    assert batch.area_code == LAPPARA  # the village field is fixed to her own
    assert batch.minutes_name == "berita-acara-musdes.pdf"


def test_minutes_upload_rejects_an_exe_renamed_pdf_with_a_clear_message(personas):
    rahma = login(personas, "operator_lappara")
    fake = SimpleUploadedFile(
        "berita-acara.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "application/pdf"
    )
    response = rahma.post("/usulan/baru/", {"meeting_date": _meeting_day(), "minutes": fake})
    assert response.status_code == 200
    assert "Isi berkas ini bukan PDF walaupun namanya berakhiran .pdf" in response.content.decode()
    assert not ProposalBatch.objects.exists()


def test_minutes_upload_rejects_a_file_over_10_mb_with_a_clear_message(personas):
    rahma = login(personas, "operator_lappara")
    big = SimpleUploadedFile(
        "berita-acara.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), "application/pdf"
    )
    response = rahma.post("/usulan/baru/", {"meeting_date": _meeting_day(), "minutes": big})
    assert "paling besar 10 MB" in response.content.decode()
    assert not ProposalBatch.objects.exists()


def test_minutes_are_served_only_to_users_who_may_see_the_batch(personas, batch_factory):
    batch = batch_factory(personas["operator_lappara"])
    url = f"/usulan/{batch.uid}/berita-acara/"
    response = login(personas, "tksk_moncongloe").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Cache-Control"] == "private, no-store"
    assert login(personas, "operator_bulu").get(url).status_code == 404
    assert AccessLog.objects.filter(
        user=personas["operator_bulu"], kind="denied", object_uid=str(batch.uid)
    ).exists()
    assert Client().get(url).status_code == 302  # to the login page
    # Never under a public media URL.
    assert not batch.minutes.name.startswith("/")


def _household_body(family: dict) -> dict:
    hh = family["household"]
    data = browser_data(
        HouseholdForm(initial={"village": LAPPARA}),
        kk_number=hh["kk_number"],
        rt=str(hh["rt"]),
        rw=str(hh["rw"]),
        address=hh["address"],
    )
    data.pop("village", None)
    formset = MemberFormSet(prefix="m")
    data.update(browser_data(formset.management_form, TOTAL_FORMS=str(len(family["members"]))))
    for i, m in enumerate(family["members"]):
        form = MemberFormSet(prefix="m").empty_form
        form.prefix = f"m-{i}"
        data.update(
            browser_data(
                form,
                nik=m["nik"],
                full_name=m["full_name"],
                sex=m["sex"],
                birth_date=m["birth_date"].strftime("%d-%m-%Y"),
                relationship=str(m["relationship"]),
                marital_status=str(m["marital_status"]),
            )
        )
    data["reason"] = "Keluarga miskin baru (musdes)"
    return data


def test_the_whole_cycle_through_the_pages(personas, household_factory, batch_factory):
    existing = household_factory(LAPPARA)
    grandmother = existing.members.get(relationship=2)
    rahma = login(personas, "operator_lappara")
    batch = batch_factory(personas["operator_lappara"])
    family = new_family()

    # Bu Rahma adds a new family with the registry's own form, and a death.
    assert rahma.get(f"/usulan/{batch.uid}/tambah/keluarga-baru/").status_code == 200
    response = rahma.post(f"/usulan/{batch.uid}/tambah/keluarga-baru/", _household_body(family))
    assert response.status_code == 302, response.context["form"].errors
    picked = rahma.post(f"/usulan/{batch.uid}/pilih/", {"q": grandmother.full_name})
    assert f"/tambah/kematian/{grandmother.uid}/" in picked.content.decode()
    response = rahma.post(
        f"/usulan/{batch.uid}/tambah/kematian/{grandmother.uid}/",
        {"on": _meeting_day(), "reason": "Surat keterangan kematian desa"},
    )
    assert response.status_code == 302
    assert rahma.post(f"/usulan/{batch.uid}/ajukan/").status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUBMITTED
    newcomer = ProposalItem.objects.get(kind="household_new")
    death = ProposalItem.objects.get(kind="death")

    # Pak Syamsul sees both in his queue, plans a visit, and records the results with a photo.
    syamsul = login(personas, "tksk_moncongloe")
    queue = syamsul.get("/usulan/verifikasi/").content.decode()
    assert "Daeng Sikki" in queue and grandmother.full_name in queue
    plan = syamsul.post(
        f"/usulan/butir/{death.uid}/jadwal/",
        {"on": date.today().isoformat()},
        HTTP_HX_REQUEST="true",
    )
    assert date.today().strftime("%d-%m-%Y") in plan.content.decode()
    page = syamsul.get(f"/usulan/butir/{death.uid}/verifikasi/").content.decode()
    assert "Riwayat keluarga di registri" in page
    for item in (newcomer, death):
        body = {"visited": "on", "note": "Sudah dikunjungi", "photo": photo_jpeg()}
        for i, _s in enumerate(confirm_all(item)):
            body[f"r{i}_result"] = "deceased" if item == death else "confirmed"
        response = syamsul.post(f"/usulan/butir/{item.uid}/verifikasi/", body)
        assert response.status_code == 302, response.context["form"].errors
    death.refresh_from_db()
    assert death.visited and death.visit_photo.name.startswith("proposals/visits/")
    assert syamsul.get(f"/usulan/butir/{death.uid}/foto/").status_code == 200

    # The administrator approves the family and rejects the death with a reason, in bulk.
    admin = login(personas, "admin_maros")
    desk = admin.get("/usulan/penetapan/").content.decode()
    assert "Daeng Sikki" in desk
    admin.post("/usulan/penetapan/", {"items": [str(newcomer.uid)], "decision": "approve"})
    admin.post(
        "/usulan/penetapan/",
        {"items": [str(death.uid)], "decision": "reject", "reason": "Belum ada akta kematian"},
    )
    newcomer.refresh_from_db()
    death.refresh_from_db()
    assert newcomer.status == ItemStatus.APPLIED
    assert death.status == ItemStatus.REJECTED
    assert Household.objects.filter(kk_number=family["household"]["kk_number"]).exists()
    grandmother.refresh_from_db()
    assert grandmother.status == "active"

    # Bu Rahma sees the rejection and why.
    mine = rahma.get("/usulan/saya/").content.decode()
    assert "Belum ada akta kematian" in mine
    assert "Sudah masuk registri" in mine


def test_bulk_rejection_without_a_reason_is_refused_and_changes_nothing(
    personas, household_factory, batch_factory
):
    hh = household_factory(LAPPARA)
    rahma = personas["operator_lappara"]
    batch = batch_factory(rahma)
    item = actions.add_household_change_item(rahma, batch, hh, {"rt": 4}, reason="RT baru")
    actions.submit_batch(rahma, batch)
    actions.verify_item(personas["tksk_moncongloe"], item, results=confirm_all(item))
    response = login(personas, "admin_maros").post(
        "/usulan/penetapan/", {"items": [str(item.uid)], "decision": "reject", "reason": ""}
    )
    assert response.status_code == 200
    assert "Tuliskan alasan penolakan" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.VERIFIED


def test_pages_render_for_each_role_in_scope(personas, household_factory, batch_factory):
    hh = household_factory(LAPPARA)
    rahma = personas["operator_lappara"]
    batch = batch_factory(rahma)
    item = actions.add_move_item(
        rahma, batch, hh, village="73.71.01.1001", rt=1, rw=1, reason="Ikut anak"
    )
    pages = {
        "operator_lappara": [
            "/usulan/",
            f"/usulan/{batch.uid}/",
            f"/usulan/{batch.uid}/pilih/",
            f"/usulan/{batch.uid}/tambah/anggota/{hh.uid}/",
            f"/usulan/{batch.uid}/tambah/ubah-keluarga/{hh.uid}/",
            f"/usulan/{batch.uid}/tambah/pindah/{hh.uid}/",
            f"/usulan/{batch.uid}/tambah/ppks-keluarga/{hh.uid}/",
            f"/usulan/{batch.uid}/tambah/ubah-penduduk/{hh.head().uid}/",
            f"/usulan/{batch.uid}/tambah/ppks/{hh.head().uid}/",
            f"/usulan/butir/{item.uid}/",
            "/usulan/saya/",
            "/usulan/serah-terima/",
            "/usulan/laporan/",
        ],
        "tksk_moncongloe": ["/usulan/verifikasi/", f"/usulan/butir/{item.uid}/"],
        "admin_maros": ["/usulan/penetapan/", "/usulan/laporan/?group=district"],
    }
    for who, urls in pages.items():
        client = login(personas, who)
        for url in urls:
            assert client.get(url).status_code == 200, (who, url)


def test_report_downloads_as_xlsx(personas, batch_factory, household_factory):
    from io import BytesIO

    from openpyxl import load_workbook

    hh = household_factory(LAPPARA)
    rahma = personas["operator_lappara"]
    batch = batch_factory(rahma)
    actions.add_household_change_item(rahma, batch, hh, {"rt": 4}, reason="RT baru")
    actions.submit_batch(rahma, batch)
    response = login(personas, "admin_maros").get("/usulan/laporan/unduh/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][:3] == ("Kode wilayah", "Wilayah", "Diusulkan")
    assert rows[4][:3] == (LAPPARA, "Moncongloe Lappara", 1)
    assert AccessLog.objects.filter(user=personas["admin_maros"], kind="export").exists()
