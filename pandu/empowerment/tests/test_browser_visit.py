"""Pak Syamsul (TKSK) on his phone: from the list of KPM he accompanies to a recorded aid-use
visit (uses as big toggles, a card problem with its note, the location the phone gives), the
visit on its page, then every empowerment page he works with fits a 390-px screen.

Playwright drives Debian's Chromium against pytest-django's live server; the families are
registered through the registry's actions and enrolled as active KPM.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from pandu.conftest import LAPPARA
from pandu.core.tests.browser import BROWSER_MARKS, PHONE, Session, chromium, overflow
from pandu.empowerment import actions
from pandu.empowerment.models import UseVisit
from pandu.regions.models import Area

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def test_tksk_records_an_aid_use_visit_on_a_phone(browser, live_server, personas, make_kpm):
    kpm = make_kpm(
        address="Dusun Bontoa Lappara, Jalan Poros Moncongloe–Maros Kilometer 12, lorong masjid"
    )
    session = Session(browser, live_server.url, "tksk_moncongloe", PHONE)
    page = session.page
    # The phone "gives" a position when the button is pressed.
    session.context.grant_permissions(["geolocation"], origin=live_server.url)
    session.context.set_geolocation({"latitude": -5.0912, "longitude": 119.5571, "accuracy": 18})
    try:
        page.goto("/pemberdayaan/kpm/")
        assert not overflow(page, PHONE["width"]), overflow(page, PHONE["width"])
        page.get_by_role("link", name="Catat kunjungan").first.click()
        page.wait_for_selector("#visit-form")
        assert not overflow(page, PHONE["width"]), overflow(page, PHONE["width"])

        # Saved without a use: the form says what is missing, nothing is stored.
        page.get_by_role("button", name="Simpan kunjungan").click()
        page.wait_for_selector("text=Pilih paling sedikit satu penggunaan bantuan.")
        assert not UseVisit.objects.exists()

        page.locator("label", has_text="Pangan").click()
        page.locator("label", has_text="Sekolah anak").click()
        page.locator("label", has_text="Masalah kartu KKS").click()
        page.fill("#id_problem_card_note", "Kartu tertelan mesin ATM, belum diganti")
        page.fill("#id_note", "Ibu Siti ada di rumah; beras dari e-warong cukup")
        page.get_by_role("button", name="Catat lokasi saya").click()
        page.wait_for_selector("text=Lokasi tercatat")
        assert not overflow(page, PHONE["width"]), overflow(page, PHONE["width"])
        page.get_by_role("button", name="Simpan kunjungan").click()
        page.wait_for_selector("text=disimpan")

        visit = UseVisit.objects.get()
        assert visit.enrolment == kpm and visit.visited_on == timezone.localdate()
        assert visit.uses == ["Pangan", "Sekolah anak"]
        assert visit.problem_card_note == "Kartu tertelan mesin ATM, belum diganti"
        assert round(float(visit.visit_latitude), 4) == -5.0912

        page.goto(f"/pemberdayaan/kunjungan/{visit.uid}/")
        assert "Kartu tertelan mesin ATM" in page.inner_text("#visit-problems")
        assert not overflow(page, PHONE["width"]), overflow(page, PHONE["width"])
    finally:
        session.close()
    assert session.errors == []


def test_every_empowerment_page_of_the_tksk_fits_a_phone(browser, live_server, personas, make_kpm):
    tksk = personas["tksk_moncongloe"]
    kpm = make_kpm()
    actions.record_visit(tksk, kpm, visited_on=timezone.localdate(), use_food=True)
    plan = actions.create_plan(
        tksk, kpm, facilitator=tksk, goals="Warung kelontong berjalan dan anak tetap sekolah"
    )
    group = actions.create_group(
        tksk,
        village=Area.objects.get(code=LAPPARA),
        name="Sipakatau Lappara Sejahtera Bersama",
        business_type="Tenun sarung sutera dan penjualan hasil tenun ke pasar Maros",
        formed_on=date(2025, 2, 1),
    )
    actions.add_member(tksk, group, person=kpm.recipient, role="ketua", business="Tenun")
    pages = [
        "/pemberdayaan/kpm/",
        f"/pemberdayaan/kpm/{make_kpm().uid}/rencana/",
        "/pemberdayaan/kunjungan/",
        "/pemberdayaan/rekap/",
        "/pemberdayaan/graduasi/",
        f"/pemberdayaan/graduasi/{plan.uid}/",
        f"/pemberdayaan/graduasi/{plan.uid}/ubah/",
        "/pemberdayaan/graduasi/pendampingan/",
        "/pemberdayaan/graduasi/kriteria/",
        "/pemberdayaan/kube/",
        "/pemberdayaan/kube/baru/",
        f"/pemberdayaan/kube/{group.uid}/",
        "/pemberdayaan/uep/",
    ]
    session = Session(browser, live_server.url, "tksk_moncongloe", PHONE)
    problems = []
    try:
        for url in pages:
            response = session.page.goto(url)
            if response is None or response.status != 200:
                problems.append(f"{url}: HTTP {response and response.status}")
                continue
            problems.append(overflow(session.page, PHONE["width"]))
    finally:
        session.close()
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)
    assert session.errors == []
