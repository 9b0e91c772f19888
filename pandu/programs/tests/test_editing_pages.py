"""Changing what was set up, from the pages: a catalogue programme and its amounts over time,
a local (APBD) programme of the user's area, an integrated programme after its creation, a
focal point's link, and a body of the list of organisations."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from pandu.core.models import AccessLog
from pandu.organisations.models import Organisation
from pandu.programs import actions, forms
from pandu.programs.models import FocalPoint, IntegratedProgramme, Programme, ProgrammeAmount
from pandu.regions.models import Area

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _opened(form) -> dict:
    """The hidden fields an edit page carries: the version it showed and its seal."""
    return {"version": str(form["version"].value()), "version_seen": form["version_seen"].value()}


@pytest.fixture
def local(personas):
    return actions.save_programme(
        personas["admin_maros"],
        code="APBD-MAROS-RTLH",
        name="Bedah rumah Kabupaten Maros",
        level="kabupaten",
        area=Area.objects.get(code="73.09"),
        benefit_type="barang",
    )


def test_the_administrator_adds_a_local_programme_for_the_own_area(personas):
    client = _client(personas["admin_maros"])
    form = client.get(reverse("programs:programme_create"))
    assert form.status_code == 200
    assert 'value="73.09"' in form.content.decode()  # the user's own area is offered
    response = client.post(
        reverse("programs:programme_create"),
        {
            "code": "apbd-maros-sembako",
            "name": "Sembako daerah Maros",
            "level": "kabupaten",
            "area": "73.09",
            "benefit_type": "barang",
            "legal_basis": "Perbup Maros 12/2025\n\nPerda Maros 3/2024",
            "status": "aktif",
        },
    )
    programme = Programme.objects.get(code="APBD-MAROS-SEMBAKO")
    assert response["Location"] == reverse("programs:programme_detail", args=[programme.code])
    assert programme.area_id == "73.09"
    assert programme.legal_basis == ["Perbup Maros 12/2025", "Perda Maros 3/2024"]


def test_a_local_programme_outside_the_area_is_a_message_not_an_error_page(personas):
    response = _client(personas["admin_maros"]).post(
        reverse("programs:programme_create"),
        {
            "code": "APBD-MKS-1",
            "name": "Program Makassar",
            "level": "kabupaten",
            "area": "73.71",
            "benefit_type": "tunai",
            "status": "aktif",
        },
    )
    assert response.status_code == 200
    assert "di luar wilayah kerja Anda" in response.content.decode()
    assert not Programme.objects.filter(code="APBD-MKS-1").exists()
    response = _client(personas["admin_maros"]).post(
        reverse("programs:programme_create"),
        {
            "code": "X",
            "name": "X",
            "level": "kabupaten",
            "area": "99.99",
            "benefit_type": "tunai",
            "status": "aktif",
        },
    )
    assert response.status_code == 200
    assert "Kode wilayah tidak dikenal" in response.content.decode()


def test_a_programme_is_edited_and_keeps_its_code(personas, local):
    client = _client(personas["admin_maros"])
    url = reverse("programs:programme_edit", args=[local.code])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            **_opened(forms.ProgrammeForm(programme=local, versioned=True)),
            "code": "SOMETHING-ELSE",
            "name": "Bedah rumah tidak layak huni Maros",
            "level": "kabupaten",
            "area": "73.09",
            "benefit_type": "barang",
            "status": "ditangguhkan",
            "period": "Sekali setahun",
        },
    )
    assert response.status_code == 302
    local.refresh_from_db()
    assert local.code == "APBD-MAROS-RTLH"  # the code names it in links, the API and files
    assert local.name == "Bedah rumah tidak layak huni Maros"
    assert local.status == "ditangguhkan"
    assert local.history.first().history_change_reason == "Program disimpan"


def test_a_national_programme_is_not_offered_for_change_to_a_regency(personas):
    client = _client(personas["admin_maros"])
    page = client.get(reverse("programs:programme_detail", args=["PKH"])).content.decode()
    assert reverse("programs:programme_edit", args=["PKH"]) not in page
    assert client.get(reverse("programs:programme_edit", args=["PKH"])).status_code == 404
    assert AccessLog.objects.filter(user=personas["admin_maros"], kind="denied").exists()


def test_amounts_are_added_and_ended_and_their_history_stays_on_the_page(personas, local):
    client = _client(personas["admin_maros"])
    add = reverse("programs:amount_add", args=[local.code])
    base = {"component": "rumah", "label": "Bahan bangunan", "per": "unit"}
    client.post(add, {**base, "amount": "15000000", "valid_from": "2024-01-01"})
    client.post(add, {**base, "amount": "20000000", "valid_from": "2025-01-01"})
    old, new = ProgrammeAmount.objects.filter(programme=local).order_by("valid_from")
    assert old.valid_to == date(2024, 12, 31) and new.valid_to is None
    ending = date.today() + timedelta(days=30)
    response = client.post(
        reverse("programs:amount_end", args=[local.code]),
        {"component": "RUMAH", "valid_from": "2025-01-01", "valid_to": ending.isoformat()},
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.valid_to == ending and new.amount == Decimal("20000000")
    page = client.get(reverse("programs:programme_detail", args=[local.code])).content.decode()
    assert "Rp 15.000.000" in page and "Rp 20.000.000" in page  # the old one stays, greyed
    assert "31-12-2024" in page


def test_a_bad_amount_end_is_a_message(personas, local):
    client = _client(personas["admin_maros"])
    client.post(
        reverse("programs:amount_add", args=[local.code]),
        {
            "component": "RUMAH",
            "label": "Bahan",
            "per": "unit",
            "amount": "1000",
            "valid_from": "2025-01-01",
        },
    )
    response = client.post(
        reverse("programs:amount_end", args=[local.code]),
        {"component": "RUMAH", "valid_from": "2025-01-01", "valid_to": "2024-06-30"},
        follow=True,
    )
    assert "tidak boleh sebelum tanggal mulai berlaku" in response.content.decode()
    assert ProgrammeAmount.objects.get(programme=local).valid_to is None
    negative = client.post(
        reverse("programs:amount_add", args=[local.code]),
        {"component": "X", "label": "X", "per": "unit", "amount": "-5", "valid_from": "2025-01-01"},
        follow=True,
    )
    assert (
        negative.status_code == 200 and ProgrammeAmount.objects.filter(component="X").count() == 0
    )


def test_the_coordinator_edits_an_integrated_programme_with_its_figures(personas, moncongloe):
    client = _client(personas["admin_maros"])
    url = reverse("programs:integrated_edit", args=[moncongloe.uid])
    form = client.get(url)
    assert form.status_code == 200 and moncongloe.title in form.content.decode()
    response = client.post(
        url,
        {
            **_opened(forms.IntegratedProgrammeEditForm(programme=moncongloe, versioned=True)),
            "title": moncongloe.title,
            "area": "73.09.13",
            "status": "selesai",
            "designated_by": "Bupati Maros",
            "decision_number": "188.4/123/2012",
            "reasons": "Angka kemiskinan tinggi\nBanyak PMKS",
            "figures": "Keluarga miskin | 1.250 | KK\nPMKS | 12,5 | persen",
            "objectives": "Sinergi program",
        },
    )
    assert response.status_code == 302
    moncongloe.refresh_from_db()
    assert moncongloe.status == "selesai" and moncongloe.decision_number == "188.4/123/2012"
    assert moncongloe.figures == [
        {"label": "Keluarga miskin", "value": 1250, "unit": "KK"},
        {"label": "PMKS", "value": 12.5, "unit": "persen"},
    ]
    page = client.get(reverse("programs:integrated_detail", args=[moncongloe.uid]))
    assert "Keluarga miskin: 1250 KK" in page.content.decode()


def test_an_integrated_programme_moved_outside_the_area_is_a_message(personas, moncongloe):
    response = _client(personas["admin_maros"]).post(
        reverse("programs:integrated_edit", args=[moncongloe.uid]),
        {"title": "X", "area": "73.71.01", "status": "rencana", "figures": "| 3"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "keterangan | nilai | satuan" in text
    moncongloe.refresh_from_db()
    assert moncongloe.title != "X"
    response = _client(personas["admin_maros"]).post(
        reverse("programs:integrated_edit", args=[moncongloe.uid]),
        {
            **_opened(forms.IntegratedProgrammeEditForm(programme=moncongloe, versioned=True)),
            "title": "X",
            "area": "73.71.01",
            "status": "rencana",
        },
    )
    assert "di luar wilayah kerja Anda" in response.content.decode()
    assert IntegratedProgramme.objects.get(pk=moncongloe.pk).area_id == "73.09.13"


def test_the_head_cannot_edit_and_sees_no_edit_button(personas, moncongloe):
    client = _client(personas["head"])
    page = client.get(reverse("programs:integrated_detail", args=[moncongloe.uid]))
    assert reverse("programs:integrated_edit", args=[moncongloe.uid]) not in page.content.decode()
    assert client.get(reverse("programs:integrated_edit", args=[moncongloe.uid])).status_code == 404


def test_ending_a_focal_point_link_takes_the_part_away_from_them(personas, ipsi):
    partner = personas["partner"]
    detail = reverse("programs:integrated_detail", args=[ipsi.programme.uid])
    assert _client(partner).get(detail).status_code == 200
    response = _client(personas["admin_maros"]).post(
        reverse("programs:focal_point_end", args=[ipsi.uid]), {"user": partner.username}
    )
    assert response.status_code == 302
    assert not FocalPoint.objects.get(implementer=ipsi, user=partner).active
    assert _client(partner).get(detail).status_code == 404
    # A second end, or a user with no link, is a 404, and nothing else changes.
    again = _client(personas["admin_maros"]).post(
        reverse("programs:focal_point_end", args=[ipsi.uid]), {"user": partner.username}
    )
    assert again.status_code == 404


def test_a_focal_point_cannot_end_its_own_or_anothers_link(personas, ipsi):
    partner = personas["partner"]
    response = _client(partner).post(
        reverse("programs:focal_point_end", args=[ipsi.uid]), {"user": partner.username}
    )
    assert response.status_code == 404
    assert FocalPoint.objects.get(implementer=ipsi, user=partner).active


def test_a_body_of_its_own_is_edited_by_the_administrator_of_its_area(personas, ipsi):
    body = ipsi.organisation
    client = _client(personas["admin_makassar"])
    listing = client.get(reverse("programs:organisation_list")).content.decode()
    assert reverse("programs:organisation_edit", args=[body.uid]) in listing
    response = client.post(
        reverse("programs:organisation_edit", args=[body.uid]),
        {
            **_opened(forms.OrganisationEditForm(organisation=body, versioned=True)),
            "name": "Ikatan Pekerja Sosial Profesional Indonesia Makassar",
            "short_name": "IPSPI Makassar",
            "kind": "asosiasi",
            "area": "73.71",
            "phone": "0411-123456",
            "active": "on",
        },
    )
    assert response.status_code == 302
    body.refresh_from_db()
    assert body.short_name == "IPSPI Makassar" and body.phone == "0411-123456"
    # Maros's administrator is offered no edit link for it and is refused the page.
    maros = _client(personas["admin_maros"])
    listing = maros.get(reverse("programs:organisation_list")).content.decode()
    assert reverse("programs:organisation_edit", args=[body.uid]) not in listing
    assert maros.get(reverse("programs:organisation_edit", args=[body.uid])).status_code == 404


def test_a_body_kept_by_a_psks_institution_links_to_its_page(personas):
    from pandu.registry.actions import register_psks_organisation
    from pandu.registry.models import PSKSType

    psks = register_psks_organisation(
        personas["admin_maros"],
        psks_type=PSKSType.objects.get(slug="lks"),
        name="LKS Harapan Moncongloe",
        area=Area.objects.get(code="73.09.13"),
        legal_status="yayasan",
    )
    body = Organisation.objects.get(psks_record=psks)
    client = _client(personas["admin_maros"])
    page = client.get(reverse("programs:organisation_edit", args=[body.uid]))
    text = page.content.decode()
    assert page.status_code == 200
    assert reverse("registry:psks_org_detail", args=[psks.uid]) in text
    assert '<form method="post"' not in text.split("</nav>", 1)[-1].split("</main>")[0]
    response = client.post(
        reverse("programs:organisation_edit", args=[body.uid]),
        {"name": "Nama lain", "kind": "lks", "area": "73.09.13"},
    )
    assert response.status_code == 200
    body.refresh_from_db()
    assert body.name == "LKS Harapan Moncongloe"
