"""The service dashboard's pictures and papers: charts of the period (months, districts, needs,
channels) from the monthly tallies, a printed report (PDF) of the chosen period and area on the
office's letterhead, and the spreadsheet's period as date cells; for the roles with reports only,
inside their area."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pandu.accounts import actions as office_actions
from pandu.core.models import AccessLog
from pandu.core.tests.pdf import body, pdf_text

from .conftest import unregistered

pytestmark = pytest.mark.django_db

PDF_URL = reverse("services:dashboard_pdf")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _specs(html: str) -> dict[str, dict]:
    blocks = re.findall(
        r'<script id="(chart-[a-z]+)-data" type="application/json">(.*?)</script>', html, re.S
    )
    return {name: json.loads(text) for name, text in blocks}


def test_the_dashboard_draws_months_districts_needs_and_channels(world, make_intake):
    make_intake(subject=unregistered("Daeng Baji"), needs=("health", "civil_documents"))
    html = client_for(world.users["head"]).get(reverse("services:dashboard")).content.decode()
    specs = _specs(html)
    assert set(specs) == {"chart-months", "chart-districts", "chart-needs", "chart-channels"}
    this_month = timezone.localdate().replace(day=1)
    assert specs["chart-months"]["values"] == [1]
    assert (
        len(specs["chart-months"]["labels"]) == 1
        and str(this_month.year) in specs["chart-months"]["labels"][0]
    )
    districts = dict(
        zip(specs["chart-districts"]["labels"], specs["chart-districts"]["values"], strict=True)
    )
    assert districts["Moncongloe"] == 1 and districts["Mandai"] == 0
    assert sum(specs["chart-needs"]["values"]) == 2
    assert reverse("services:dashboard_pdf") in html


def test_the_report_pdf_prints_the_period_figures_and_signer(world, make_intake):
    make_intake(subject=unregistered("Daeng Baji"), needs=("health",))
    admin = world.users["admin_maros"]
    office_actions.save_office(
        admin,
        admin.area,
        fields={"name": "Dinas Sosial Kabupaten Maros", "address": "Jl. Sudirman 5"},
        signers={
            "report": {
                "name": "Drs. H. Andi Baso",
                "position": "Kepala Dinas Sosial",
                "nip": "196804121990031005",
            }
        },
    )
    today = timezone.localdate()
    start = today.replace(day=1)
    response = client_for(world.users["head"]).get(
        PDF_URL, {"start": start.strftime("%d-%m-%Y"), "end": today.strftime("%d-%m-%Y")}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(body(response))
    for expected in (
        "LAPORAN LAYANAN TERPADU",
        "Kabupaten Maros",
        f"{start:%d-%m-%Y} s.d. {today:%d-%m-%Y}",
        "Pengaduan/permohonan per bulan",
        "Moncongloe",
        "Rujukan per mitra",
        "Drs. H. Andi Baso",
        "NIP. 196804121990031005",
    ):
        assert expected in text, expected
    assert "Daeng Baji" not in text  # figures only, no names
    assert AccessLog.objects.filter(
        user=world.users["head"], kind=AccessLog.Kind.EXPORT, detail__contains="pdf"
    ).exists()


def test_the_spreadsheet_gives_the_period_as_dates(world):
    from openpyxl import load_workbook

    response = client_for(world.users["head"]).get(
        reverse("services:dashboard_xlsx"), {"start": "01-03-2026", "end": "31-03-2026"}
    )
    sheet = load_workbook(BytesIO(response.content))["Ringkasan"]
    assert sheet["A2"].value == "Periode dari" and sheet["B2"].value == dt.datetime(2026, 3, 1)
    assert sheet["B3"].value == dt.datetime(2026, 3, 31)
    assert sheet["B2"].number_format == "DD-MM-YYYY"


@pytest.mark.parametrize("who", ["operator_lappara", "partner", "front_office"])
def test_roles_without_reports_get_a_logged_404_for_the_report(world, who):
    user = world.users[who]
    assert client_for(user).get(PDF_URL).status_code == 404
    assert AccessLog.objects.filter(user=user, kind=AccessLog.Kind.DENIED).exists()


def test_an_area_outside_the_users_own_is_not_reported(world, make_intake):
    make_intake(subject=unregistered("Daeng Baji"))
    response = client_for(world.users["admin_makassar"]).get(PDF_URL, {"area": "73.09"})
    text = pdf_text(body(response))
    assert "Kabupaten Maros" not in text and "Kota Makassar" in text
