"""From a rule to an enrolled KPM in a real browser: the Dinas's administrator defines a rule,
runs it dry, commits it and makes the candidate list; Pak Syamsul (TKSK) records his visit on
his phone; the Dinas approves; the head records the decree; the family is an active KPM, and
its explanation page says which rule selected it.

The registry is built through the actions; every step under test goes through the pages.
"""

from __future__ import annotations

from datetime import date

import pytest

from pandu.conftest import LAPPARA
from pandu.core import jobs
from pandu.core.tests.browser import BROWSER_MARKS, DESKTOP, PHONE, Session, chromium, overflow
from pandu.programs.models import Enrolment, Programme

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture
def sessions(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    opened: list[Session] = []

    def start(username: str, viewport: dict = DESKTOP) -> Session:
        session = Session(browser, live_server.url, username, viewport)
        opened.append(session)
        return session

    yield start
    for session in opened:
        assert not session.errors, session.errors
        session.close()


def test_rule_to_enrolled_kpm(sessions, personas, household_factory):
    families = [household_factory(LAPPARA), household_factory(LAPPARA)]
    Programme.objects.create(code="PKH-UJI", name="PKH uji", benefit_type="tunai")

    # The Dinas: a rule, a dry run, the commit, the candidate list.
    admin = sessions("admin_maros").page
    admin.goto("/sasaran/aturan/baru/")
    admin.fill("#id_name", "PKH uji keluarga")
    admin.select_option("select[name$='-field']", "household_size")
    admin.select_option("select[name$='-op']", "gte")
    admin.fill("input[name$='-value']", "2")
    admin.get_by_role("button", name="Simpan sebagai versi baru").click()
    admin.wait_for_url("**/sasaran/aturan/")

    admin.goto("/sasaran/uji-coba/")
    admin.select_option("#id_programme", label="PKH-UJI — PKH uji")
    admin.fill("#id_area", "73.09.13")
    admin.select_option("#id_ruleset", index=1)
    admin.fill("#id_amount", "3000000")
    admin.get_by_role("button", name="Hitung uji coba").click()
    admin.wait_for_url("**/sasaran/*/")
    assert jobs.run_pending() == 1
    admin.reload()
    admin.get_by_role("button", name="Tetapkan hasil ini").click()
    admin.wait_for_selector("text=Hasil penetapan sudah ditetapkan")

    admin.goto("/program/kpm/")
    admin.locator("#candidates-form button").click()
    admin.wait_for_selector("text=2 calon PKH-UJI ditambahkan")
    assert Enrolment.objects.filter(status="calon").count() == 2
    target = Enrolment.objects.get(household=families[0])

    # Pak Syamsul on his phone: the visit, with a note.
    tksk = sessions("tksk_moncongloe", PHONE).page
    tksk.goto(f"/program/kpm/{target.uid}/")
    tksk.get_by_role("link", name="Catat hasil kunjungan").click()
    tksk.wait_for_selector("#verify-form")
    assert not overflow(tksk, PHONE["width"]), overflow(tksk, PHONE["width"])
    tksk.locator("label", has_text="Ditemukan").first.click()
    tksk.fill("#id_note", "Ibu ada di rumah, anak balita dua")
    tksk.get_by_role("button", name="Simpan hasil verifikasi").click()
    tksk.wait_for_selector("text=Hasil kunjungan KK")
    target.refresh_from_db()
    assert target.step == "terverifikasi" and target.visit_result == "ditemukan"

    # The Dinas approves.
    admin.goto(f"/program/kpm/{target.uid}/")
    admin.locator("#dinas-form").get_by_role("button", name="Setujui").click()
    admin.wait_for_selector("text=Calon disetujui Dinas")

    # The head: the printed list, then the decree.
    head = sessions("head").page
    head.goto("/program/kpm/penetapan/")
    pdf = head.request.get("/program/kpm/cetak/PKH-UJI/?wilayah=73.09")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    head.select_option("#id_programme", label="PKH-UJI — PKH uji")
    head.fill("#id_number", "460/21/DINSOS/2026")
    head.fill("#id_decreed_on", date.today().isoformat())
    head.get_by_role("button", name="Tetapkan sebagai KPM").click()
    head.wait_for_selector("text=ditetapkan sebagai KPM dengan SK 460/21/DINSOS/2026")
    target.refresh_from_db()
    assert target.status == "aktif" and target.decree.number == "460/21/DINSOS/2026"
    assert Enrolment.objects.get(household=families[1]).status == "calon"

    # Why the family was chosen: its explanation page names the rule and its value.
    admin.goto(f"/program/kpm/{target.uid}/")
    assert "Aktif" in admin.inner_text("#enrolment-status")
    assert "460/21/DINSOS/2026" in admin.inner_text("#enrolment-history")
    admin.get_by_role("link", name="Penjelasan hasil penetapan sasaran").click()
    admin.wait_for_url("**/keluarga/**")
    assert "jumlah anggota keluarga aktif" in admin.inner_text("main")
