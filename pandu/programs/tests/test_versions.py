"""Two administrators editing one programme, integrated programme or body at once: what one
changed is never put back by the other's form; both changing the same field is shown to the
second one, with the value now and who set it."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from pandu.accounts.models import User
from pandu.conftest import PASSWORD, browser_data
from pandu.organisations.actions import create_organisation
from pandu.organisations.models import Organisation
from pandu.programs import actions, forms
from pandu.programs.models import IntegratedProgramme, Programme
from pandu.regions.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(personas) -> tuple[User, User]:
    second = User.objects.create_user(
        "admin_maros_2", password=PASSWORD, role="admin", area_id="73.09"
    )
    second.first_name, second.last_name = "Nurul", "Hidayah"
    second.save()
    return personas["admin_maros"], second


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def local(personas) -> Programme:
    return actions.save_programme(
        personas["admin_maros"],
        code="APBD-MAROS-RTLH",
        name="Bedah rumah Kabupaten Maros",
        level="kabupaten",
        area=Area.objects.get(code="73.09"),
        benefit_type="barang",
        legal_basis=["Perbup Maros 12/2025", "Perda Maros 3/2024"],
    )


def _programme_page(programme: Programme, **changes) -> dict:
    fresh = Programme.objects.get(pk=programme.pk)
    return browser_data(forms.ProgrammeForm(programme=fresh, versioned=True), **changes)


def test_two_administrators_change_different_fields_of_a_programme_and_both_stay(admins, local):
    first, second = admins
    url = reverse("programs:programme_edit", args=[local.code])
    mine = _programme_page(local, period="Sekali setahun")
    theirs = _programme_page(local, name="Bedah rumah tidak layak huni Maros")

    assert _client(second).post(url, theirs).status_code == 302
    assert _client(first).post(url, mine).status_code == 302

    local.refresh_from_db()
    assert local.name == "Bedah rumah tidak layak huni Maros"
    assert local.period == "Sekali setahun"
    assert local.legal_basis == ["Perbup Maros 12/2025", "Perda Maros 3/2024"]  # untouched
    rows = list(local.history.order_by("history_id"))
    assert [row.history_user.username for row in rows[1:]] == ["admin_maros_2", "admin_maros"]


def test_both_changing_a_programmes_name_shows_who_set_it(admins, local):
    first, second = admins
    url = reverse("programs:programme_edit", args=[local.code])
    mine = _programme_page(local, name="RTLH Maros")
    theirs = _programme_page(local, name="Bedah rumah tidak layak huni Maros")
    _client(second).post(url, theirs)

    refused = _client(first).post(url, mine)

    assert refused.status_code == 200
    page = html.unescape(refused.content.decode())
    assert (
        "Nama program kini “Bedah rumah tidak layak huni Maros”, diubah oleh Nurul Hidayah" in page
    )
    assert refused.context["form"]["name"].value() == "RTLH Maros"
    local.refresh_from_db()
    assert local.name == "Bedah rumah tidak layak huni Maros"


def test_an_integrated_programme_keeps_a_change_made_meanwhile(admins, moncongloe):
    first, second = admins
    url = reverse("programs:integrated_edit", args=[moncongloe.uid])

    def page(**changes) -> dict:
        fresh = IntegratedProgramme.objects.get(pk=moncongloe.pk)
        form = forms.IntegratedProgrammeEditForm(programme=fresh, versioned=True)
        return browser_data(form, **changes)

    mine = page(decision_number="188.4/123/2012")
    clash = page(title="Program terpadu Moncongloe 2026")
    theirs = page(title="Program terpadu Moncongloe", ends_on=date(2026, 12, 31).isoformat())
    assert _client(second).post(url, theirs).status_code == 302

    assert _client(first).post(url, mine).status_code == 302
    refused = _client(first).post(url, clash)

    moncongloe.refresh_from_db()
    assert moncongloe.title == "Program terpadu Moncongloe"
    assert moncongloe.ends_on == date(2026, 12, 31) and moncongloe.decision_number == (
        "188.4/123/2012"
    )
    assert refused.status_code == 200
    text = html.unescape(refused.content.decode())
    assert "Nama program terpadu kini “Program terpadu Moncongloe”, diubah oleh Nurul" in text


def test_a_body_edited_twice_at_once_keeps_both_changes(admins):
    first, second = admins
    body = create_organisation(
        first,
        name="Sekolah Tinggi Kesejahteraan Sosial Maros",
        kind="perguruan_tinggi",
        area=Area.objects.get(code="73.09"),
    )
    url = reverse("programs:organisation_edit", args=[body.uid])

    def page(**changes) -> dict:
        fresh = Organisation.objects.get(pk=body.pk)
        return browser_data(
            forms.OrganisationEditForm(organisation=fresh, versioned=True), **changes
        )

    mine = page(phone="0411-371000")
    theirs = page(short_name="STKS Maros")
    assert _client(second).post(url, theirs).status_code == 302
    assert _client(first).post(url, mine).status_code == 302

    body.refresh_from_db()
    assert (body.short_name, body.phone, body.version) == ("STKS Maros", "0411-371000", 3)
