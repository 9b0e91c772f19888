"""The one-stop service's main journey in a real browser, with the public status check after each
step: Ibu Dewi takes in a walk-in, Pak Andi assesses, plans and refers to Dinas Kesehatan with
consent, dr. Lina accepts and completes, the supervisor approves the plan and the closure.

Playwright drives Debian's Chromium (/usr/bin/chromium) against pytest-django's live server.
"""

import os
import re
from datetime import date
from pathlib import Path

import pytest

from pandu.conftest import LAPPARA, PASSWORD
from pandu.services.models import Intake, Referral

# Playwright's sync API runs an event loop in this thread; the test's ORM calls stay synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# PANDU_SCREENSHOTS=1 keeps a full-page screenshot of each step in var/test-artifacts/services/.
SHOTS = Path(__file__).resolve().parents[3] / "var" / "test-artifacts" / "services"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"
    ),
]


@pytest.fixture
def browser(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=False
        )
        contexts = []

        def new_page():
            context = chromium.new_context(
                base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="id-ID"
            )
            context.set_default_timeout(15_000)
            contexts.append(context)
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            return page

        errors: list[str] = []
        new_page.errors = errors  # type: ignore[attr-defined]
        try:
            yield new_page
        finally:
            for context in contexts:
                context.close()
            chromium.close()


def shot(page, name: str) -> None:
    if os.environ.get("PANDU_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(new_page, username: str):
    page = new_page()
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/")
    return page


def public_status(new_page, ticket: str, born: str) -> str:
    """What a citizen sees on the public page (no login)."""
    page = new_page()
    page.goto("/layanan/publik/status/?tiket=" + ticket)
    assert page.input_value("#id_ticket") == ticket
    page.fill("#id_birth_date", born)
    page.get_by_role("button", name="Periksa").click()
    page.wait_for_selector("[data-result]")
    text = page.inner_text("main")
    shot(page, "public-status")
    page.context.close()
    return text


def test_walk_in_to_referral_to_closure(browser, world, household_factory):
    household_factory(LAPPARA)
    born = "17-05-1980"  # Muhammad Rahman 1's birth date in the household factory

    # Ibu Dewi, front office: finds the man by name and records his request.
    dewi = sign_in(browser, "front_office")
    dewi.goto("/layanan/pengaduan/baru/")
    dewi.fill("#person-q", "moh rahman")
    dewi.locator("#person-results a", has_text="Muhammad Rahman 1").click()
    dewi.wait_for_selector("[data-person]")
    shot(dewi, "1-intake-form")
    dewi.select_option("#id_kind", "permohonan")
    dewi.check("input[name=needs][value=health]")
    dewi.fill("#id_description", "Batuk lebih dari dua minggu, tidak punya biaya berobat")
    dewi.get_by_role("button", name="Simpan dan beri nomor tiket").click()
    dewi.wait_for_selector("[data-ticket]")
    ticket = dewi.inner_text("[data-ticket]").strip()
    shot(dewi, "2-intake-detail")
    assert re.fullmatch(r"SLRT-7309-\d{4}-\d{6}", ticket)
    intake = Intake.objects.get(ticket_number=ticket)
    # The person gets the number with its random check part; the number alone opens nothing.
    reference = dewi.inner_text("[data-reference]").strip()
    assert reference == intake.public_reference
    assert intake.person is not None
    receipt = dewi.request.get(f"/layanan/pengaduan/{intake.uid}/tanda-terima/")
    assert receipt.ok and receipt.body().startswith(b"%PDF")
    assert "Diterima, menunggu penanganan" in public_status(browser, reference, born)

    # She routes it to Pak Andi.
    dewi.select_option("#id_assign_to", str(world.users["social_worker"].pk))
    dewi.get_by_role("button", name="Buka kasus").click()
    dewi.wait_for_selector("[data-case-status]")
    assert "Sedang ditangani" in public_status(browser, reference, born)

    # Pak Andi, social worker: assessment, plan.
    andi = sign_in(browser, "social_worker")
    andi.goto("/layanan/kasus/")
    andi.get_by_role("link", name=ticket).click()
    andi.get_by_role("link", name="Isi asesmen").click()
    andi.fill("#id_situation", "Tinggal bersama istri, penghasilan tidak tetap")
    andi.fill("#id_complaint", "Batuk lama, berat badan turun")
    andi.select_option("#id_jkn", "no")
    andi.check("#id_final")
    andi.get_by_role("button", name="Simpan").click()
    andi.wait_for_selector("#asesmen >> text=final")
    andi.fill("#id_description", "Pemeriksaan dan pengobatan TB sampai tuntas")
    andi.get_by_role("button", name="Tambah tujuan").click()
    andi.get_by_role("button", name="Ajukan rencana ke supervisor").click()
    andi.wait_for_selector("[data-plan-status=submitted]")
    shot(andi, "3-case-detail")

    # The supervisor (the administrator of Maros) approves the plan.
    boss = sign_in(browser, "admin_maros")
    case_url = andi.url.split("#")[0]
    boss.goto(case_url)
    boss.get_by_role("button", name="Setujui rencana").click()
    boss.wait_for_selector("[data-plan-status=approved]")

    # Pak Andi refers to Dinas Kesehatan; sending waits for the recorded consent.
    andi.goto(case_url)
    andi.get_by_role("link", name="Rujuk").click()
    andi.select_option("#id_service", str(world.health.uid))
    andi.fill("#id_request", "Mohon pemeriksaan dahak dan pengobatan TB")
    andi.get_by_role("button", name="Simpan draf").click()
    andi.get_by_role("button", name="Kirim rujukan").click()
    assert "persetujuan" in andi.inner_text(".alert-danger")
    andi.check("input[name=consent_by][value=self]")
    andi.select_option("#id_method", "signed")
    andi.check("#id_confirm")
    andi.get_by_role("button", name="Catat persetujuan").click()
    andi.wait_for_selector("[data-consent=yes]")
    andi.get_by_role("button", name="Kirim rujukan").click()
    andi.wait_for_selector("[data-referral-status=sent]")
    shot(andi, "4-referral")
    referral = Referral.objects.get()
    assert "Dirujuk ke Dinas Kesehatan Kabupaten Maros" in public_status(browser, reference, born)

    # dr. Lina, Dinas Kesehatan: her inbox, accept, complete.
    lina = sign_in(browser, "partner")
    lina.goto("/layanan/masuk/")
    lina.get_by_role("link", name=referral.number).click()
    assert "Muhammad Rahman 1" in lina.inner_text("[data-subject]")
    assert intake.person.nik not in lina.content()
    lina.get_by_role("button", name="Setujui").click()
    lina.wait_for_selector("[data-referral-status=accepted]")
    shot(lina, "5-inbox-detail")
    assert "Rujukan diterima oleh Dinas Kesehatan" in public_status(browser, reference, born)
    lina.fill("#id_text", "Sudah diperiksa, obat TB diberikan untuk 6 bulan")
    lina.get_by_role("button", name="Selesai").click()
    lina.wait_for_selector("[data-referral-status=completed]")
    assert "Layanan Dinas Kesehatan Kabupaten Maros selesai" in public_status(
        browser, reference, born
    )

    # Pak Andi asks to close; the supervisor approves.
    andi.goto(case_url)
    assert "completed" in andi.get_attribute("[data-referral-status]", "data-referral-status")
    andi.get_by_role("link", name="Ajukan penutupan").click()
    andi.select_option("#id_outcome", "resolved")
    andi.fill("#id_summary", "Pengobatan berjalan, kontrol rutin di puskesmas")
    andi.get_by_role("button", name="Ajukan penutupan").click()
    andi.wait_for_selector("[data-case-status=closure_requested]")
    boss.goto(case_url)
    boss.get_by_role("button", name="Setujui penutupan").click()
    boss.wait_for_selector("[data-case-status=closed]")
    shot(boss, "6-case-closed")
    boss.goto("/layanan/dasbor/")
    shot(boss, "7-dashboard")
    final = public_status(browser, reference, born)
    assert "Selesai" in final
    # Only the status: nothing personal on the public page.
    assert "Muhammad Rahman" not in final and intake.person.nik not in final
    # A wrong birth date tells nothing.
    wrong = public_status(browser, reference, "18-05-1980")
    assert "tidak ditemukan" in wrong and "Selesai" not in wrong
    assert browser.errors == []
    assert date.today().year >= 2026
