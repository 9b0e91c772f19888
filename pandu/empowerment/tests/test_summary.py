"""The monitoring summary: per village or district and per visitor, counted in the database, the
same figures on the page and in the spreadsheet."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from pandu.conftest import BULU, LAPPARA, MAKASSAR_VILLAGE, close_quietly
from pandu.core.models import AccessLog
from pandu.empowerment import actions
from pandu.empowerment.summary import monitoring_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def visited(personas, make_kpm):
    """Lappara: three active KPM, two visited (one twice, by the TKSK and the social worker);
    Bulu: one active KPM, visited, with a card problem; Makassar: one, visited there."""
    tksk, worker = personas["tksk_moncongloe"], personas["social_worker"]
    today = timezone.localdate()
    lappara = [make_kpm(LAPPARA) for _ in range(3)]
    bulu = make_kpm(BULU)
    make_kpm(LAPPARA, status="ditangguhkan")
    actions.record_visit(tksk, lappara[0], visited_on=today, use_food=True, use_school=True)
    actions.record_visit(worker, lappara[0], visited_on=today, use_food=True)
    actions.record_visit(
        tksk, lappara[1], visited_on=today - timedelta(days=3), use_debt=True,
        follow_up_needed=True, follow_up_note="Utang rentenir",
    )  # fmt: skip
    actions.record_visit(
        tksk, bulu, visited_on=today, aid_received=False,
        problem_card=True, problem_card_note="Kartu belum dibagikan",
    )  # fmt: skip
    makassar = make_kpm(MAKASSAR_VILLAGE)
    from pandu.accounts.models import User

    mk_worker = User.objects.create_user("tksk_mariso", role="tksk", area_id="73.71.01")
    actions.record_visit(mk_worker, makassar, visited_on=today, use_health=True)


def test_per_village_and_per_visitor(personas, visited):
    summary = monitoring_summary(personas["admin_maros"])
    rows = {r.key: r for r in summary.by_area}
    assert set(rows) == {LAPPARA, BULU}
    lappara, bulu = rows[LAPPARA], rows[BULU]
    assert (lappara.visits, lappara.kpm_visited, lappara.active_kpm) == (3, 2, 3)
    assert lappara.coverage == 66.7
    assert lappara.uses == {
        "use_food": 2,
        "use_school": 1,
        "use_health": 0,
        "use_business": 0,
        "use_debt": 1,
        "use_other": 0,
    }
    assert lappara.follow_up == 1
    assert (bulu.visits, bulu.not_received, bulu.problems["problem_card"]) == (1, 1, 1)
    assert (summary.total.visits, summary.total.kpm_visited, summary.total.active_kpm) == (4, 3, 4)
    visitors = {r.name: r for r in summary.by_visitor}
    assert set(visitors) == {"tksk_moncongloe", "social_worker"}
    assert (visitors["tksk_moncongloe"].visits, visitors["tksk_moncongloe"].kpm_visited) == (3, 3)
    assert visitors["tksk_moncongloe"].active_kpm == 4  # the active KPM of Moncongloe


def test_per_district_and_filters(personas, visited):
    admin = personas["admin_maros"]
    by_district = monitoring_summary(admin, group="district")
    assert [(r.key, r.visits, r.active_kpm) for r in by_district.by_area] == [("73.09.13", 4, 4)]
    today = timezone.localdate()
    recent = monitoring_summary(admin, date_from=today - timedelta(days=1), area=LAPPARA)
    assert [(r.key, r.visits) for r in recent.by_area] == [(LAPPARA, 2)]
    other = monitoring_summary(admin, programme="BPNT")
    assert other.total.visits == 0 and other.by_area == []


def test_the_summary_of_makassar_is_its_own(personas, visited):
    summary = monitoring_summary(personas["admin_makassar"])
    assert [(r.key, r.visits) for r in summary.by_area] == [(MAKASSAR_VILLAGE, 1)]
    assert monitoring_summary(personas["operator_lappara"]).total.visits == 0


def test_the_summary_is_counted_in_a_fixed_number_of_queries(
    personas, visited, make_kpm, django_assert_max_num_queries
):
    admin = personas["admin_maros"]
    with django_assert_max_num_queries(6):
        monitoring_summary(admin)
    for _ in range(5):
        kpm = make_kpm(BULU)
        actions.record_visit(
            personas["tksk_moncongloe"], kpm, visited_on=timezone.localdate(), use_food=True
        )
    with django_assert_max_num_queries(6):
        monitoring_summary(admin)


def test_the_page_and_the_spreadsheet_show_the_same_figures(personas, visited):
    client = Client()
    client.force_login(personas["head"])
    page = client.get("/pemberdayaan/rekap/")
    assert page.status_code == 200
    assert "Moncongloe Lappara" in page.content.decode()
    response = client.get("/pemberdayaan/rekap/xlsx/?group=village")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")
    book = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    close_quietly(response)
    area = book["Per wilayah"]
    header = [c.value for c in area[4]]
    rows = {
        r[0]: dict(zip(header, r, strict=False))
        for r in area.iter_rows(min_row=5, values_only=True)
    }
    assert rows[LAPPARA]["Kunjungan"] == 3 and rows[LAPPARA]["KPM aktif"] == 3
    assert rows[LAPPARA]["Pangan"] == 2
    assert [c.value for c in book["Per pendamping"][4]][:2] == ["Pendamping", "Wilayah kerja"]
    assert AccessLog.objects.filter(user=personas["head"], kind="export").exists()


def test_an_area_outside_the_user_is_not_summed(personas, visited):
    client = Client()
    client.force_login(personas["admin_maros"])
    page = client.get("/pemberdayaan/rekap/?area=73.71")
    assert page.status_code == 200
    assert "di luar wilayah kerja Anda" in page.content.decode()
    bad = client.get("/pemberdayaan/rekap/?date_from=2025-05-01&date_to=2025-01-01")
    assert "Tanggal awal tidak boleh setelah tanggal akhir." in bad.content.decode()
