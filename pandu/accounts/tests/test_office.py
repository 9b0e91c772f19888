"""The office's letterhead: set up by the administrator of its area, printed on every paper of
the area (the nearest office above a record wins), the system's office name where none is."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from pandu.accounts import actions
from pandu.accounts.models import Office, Signer
from pandu.accounts.offices import letterhead_for
from pandu.conftest import LAPPARA
from pandu.core.models import AccessLog
from pandu.core.tests.pdf import body, pdf_text

pytestmark = pytest.mark.django_db

URL = reverse("accounts:office")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png() -> bytes:
    buf = BytesIO()
    Image.new("RGB", (60, 60), (20, 120, 60)).save(buf, format="PNG")
    return buf.getvalue()


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def form_data(**overrides) -> dict:
    data = {
        "government": "Pemerintah Kabupaten Maros",
        "name": "Dinas Sosial Kabupaten Maros",
        "address": "Jl. Jenderal Sudirman No. 5, Maros",
        "phone": "0411 371234",
        "email": "dinsos@maroskab.go.id",
        "default_name": "Drs. H. Andi Baso",
        "default_position": "Kepala Dinas Sosial",
        "default_rank": "Pembina Utama Muda (IV/c)",
        "default_nip": "196804121990031005",
        "receipt_name": "Dewi Lestari",
        "receipt_position": "Petugas Front Office",
    }
    data.update(overrides)
    return data


def test_administrator_sets_up_the_letterhead_with_logo_and_signers(personas):
    c = client_for(personas["admin_maros"])
    assert c.get(URL).status_code == 200
    data = form_data(logo=SimpleUploadedFile("logo.png", png(), content_type="image/png"))
    response = c.post(URL, data)
    assert response.status_code == 302, response.context["form"].errors
    office = Office.objects.get()
    assert office.area_id == "73.09" and office.logo
    assert office.updated_by == personas["admin_maros"]
    assert {s.document: s.nip for s in Signer.objects.all()} == {
        "default": "196804121990031005",
        "receipt": "",
    }
    logo = c.get(reverse("accounts:office_logo"))
    assert body(logo).startswith(b"\x89PNG") and logo["Cache-Control"] == "private, no-store"
    sample = c.get(reverse("accounts:office_sample"))
    assert sample["Cache-Control"] == "private, no-store"
    text = pdf_text(body(sample))
    for expected in (
        "DINAS SOSIAL KABUPATEN MAROS",
        "Jl. Jenderal Sudirman No. 5, Maros",
        "Drs. H. Andi Baso",
        "Kepala Dinas Sosial",
        "NIP. 196804121990031005",
        "Dewi Lestari",
        "Maros, ",
    ):
        assert expected in text


def test_clearing_a_signer_hands_the_paper_back_to_the_default_signer(personas):
    c = client_for(personas["admin_maros"])
    c.post(URL, form_data())
    c.post(URL, form_data(receipt_name="", receipt_position=""))
    assert list(Signer.objects.values_list("document", flat=True)) == ["default"]
    assert letterhead_for(LAPPARA).signer("receipt").name == "Drs. H. Andi Baso"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"default_nip": "1968 0412"}, "default_nip"),
        ({"receipt_position": ""}, "receipt_name"),
        ({"name": ""}, "name"),
        (
            {"logo": SimpleUploadedFile("logo.png", b"MZ\x90\x00" * 50, content_type="image/png")},
            "logo",
        ),
    ],
)
def test_a_mistake_is_shown_on_the_form_and_nothing_is_saved(personas, overrides, field):
    response = client_for(personas["admin_maros"]).post(URL, form_data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Office.objects.exists()


@pytest.mark.parametrize("who", ["head", "operator_lappara", "front_office", "auditor"])
def test_only_administrators_open_the_letterhead_page(personas, who):
    c = client_for(personas[who])
    assert c.get(URL).status_code == 404
    assert c.post(URL, form_data()).status_code == 404
    assert c.get(reverse("accounts:office_sample")).status_code == 404
    assert not Office.objects.exists()
    assert AccessLog.objects.filter(kind="denied", user=personas[who]).exists()


def test_each_administrator_sets_up_only_the_office_of_their_own_area(personas):
    client_for(personas["admin_makassar"]).post(URL, form_data(name="Dinas Sosial Kota Makassar"))
    office = Office.objects.get()
    assert office.area_id == "73.71"
    assert letterhead_for(LAPPARA).name != "Dinas Sosial Kota Makassar"
    with pytest.raises(Exception, match="tidak berwenang"):
        actions.save_office(
            personas["admin_makassar"],
            personas["admin_maros"].area,
            fields={"name": "X", "address": "Y"},
            signers={},
        )


def test_the_nearest_office_above_a_village_prints_and_the_setting_stands_in_for_none(
    personas, settings
):
    settings.PANDU_OFFICE_NAME = "Dinas Sosial (bawaan)"
    assert letterhead_for(LAPPARA).name == "Dinas Sosial (bawaan)"
    admin = personas["admin_maros"]
    actions.save_office(
        admin, admin.area, fields={"name": "Dinas Sosial Maros", "address": "Maros"}, signers={}
    )
    from pandu.regions.models import Area

    actions.save_office(
        admin,
        Area.objects.get(code="73.09.13"),
        fields={"name": "UPT Moncongloe", "address": "Moncongloe"},
        signers={},
    )
    assert letterhead_for(LAPPARA).name == "UPT Moncongloe"
    assert letterhead_for("73.09.01.1001").name == "Dinas Sosial Maros"
    assert letterhead_for("73.09.01.1001").place == "Maros"
