"""Bu Rahma's main journey in a real browser: register a family, then find one of its members.

Playwright drives Debian's Chromium (/usr/bin/chromium) against pytest-django's live server, with
the static files (Bootstrap, htmx, Tom Select from node_modules) served as in production.
"""

import os
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from pandu.conftest import LAPPARA, PASSWORD, make_kk, make_nik
from pandu.registry.models import Household

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still
# synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"
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
BOOTSTRAP_SUCCESS_GREEN = "rgb(25, 135, 84)"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"
    ),
]

MONCONGLOE = "73.09.13"
KK = make_kk(MONCONGLOE, date(2018, 7, 12), 31)
HEAD_NIK = make_nik(MONCONGLOE, date(1978, 4, 21), "L", 31)
WIFE_NIK = make_nik(MONCONGLOE, date(1982, 11, 5), "P", 31)


class BrowserProblems:
    """Console errors, uncaught exceptions and failed requests seen while the test ran."""

    def __init__(self, page):
        self.messages: list[str] = []
        self.static: dict[str, int] = {}  # file name → HTTP status
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.messages.append(f"uncaught: {exc}"))
        page.on("requestfailed", lambda r: self.messages.append(f"failed: {r.url} {r.failure}"))
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            self.messages.append(f"console: {message.text} at {message.location.get('url')}")

    def _response(self, response) -> None:
        if "/static/" in response.url:
            self.static[response.url.rsplit("/", 1)[-1].split("?")[0]] = response.status
        if response.status >= 400:
            self.messages.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture
def browser_page(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=False
        )
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="id-ID"
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()


def test_operator_registers_a_family_and_finds_the_wife_by_nik(browser_page, personas):
    page = browser_page
    problems = BrowserProblems(page)

    # Sign in as Bu Rahma, operator of Moncongloe Lappara.
    page.goto("/akun/masuk/")
    page.fill("#id_username", "operator_lappara")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/")

    # The page is styled by Bootstrap and the scripts it needs are loaded.
    navbar_colour = page.eval_on_selector(
        "nav.navbar", "el => getComputedStyle(el).backgroundColor"
    )
    assert navbar_colour == BOOTSTRAP_SUCCESS_GREEN
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("typeof TomSelect") == "function"
    assert page.evaluate("typeof bootstrap") == "object"
    for name in (
        "bootstrap.min.css",
        "bootstrap-icons.min.css",
        "bootstrap-icons.woff2",
        "tom-select.bootstrap5.min.css",
        "htmx.min.js",
        "tom-select.complete.min.js",
        "bootstrap.bundle.min.js",
        "pandu.css",
        "pandu.js",
    ):
        assert problems.static.get(name) == 200, (name, problems.static)

    page.get_by_role("link", name="Daftarkan keluarga baru").click()
    page.wait_for_url("**/registri/keluarga/baru/")

    page.fill("#id_kk_number", KK)
    # The village picker: type part of the name, pick the suggestion.
    page.click("#id_village-ts-control")
    page.keyboard.type("Lappara")
    page.locator(".ts-dropdown .option", has_text="Moncongloe Lappara").click()
    assert page.input_value("#id_village") == LAPPARA
    page.fill("#id_rt", "3")
    page.fill("#id_rw", "2")

    fill_member(page, 0, HEAD_NIK, "Daeng Mappuji", "L", "21-04-1978", relationship="1")
    page.get_by_role("button", name="Tambah anggota").click()
    added = int(page.input_value("#id_m-TOTAL_FORMS")) - 1
    fill_member(page, added, WIFE_NIK, "Hasnah Daeng Ngai", "P", "05-11-1982", relationship="2")
    page.fill("#id_reason", "Musyawarah desa 12-01-2026")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "household-form.png"), full_page=True)
    page.get_by_role("button", name="Simpan").click()

    page.wait_for_url("**/registri/keluarga/*-*-*-*-*/")
    members = page.locator("#members")
    assert members.get_by_text("Daeng Mappuji").is_visible()
    assert members.get_by_text("Hasnah Daeng Ngai").is_visible()
    assert page.get_by_text("Keluarga berhasil didaftarkan.").is_visible()
    page.screenshot(path=str(ARTIFACTS / "household-page.png"), full_page=True)
    household = Household.objects.get(kk_number=KK)
    assert household.members.count() == 2
    assert household.village_id == LAPPARA

    # Find the wife by her NIK from the search page.
    page.get_by_role("link", name="Cari").click()
    page.wait_for_url("**/registri/cari/")
    page.fill("input[name=q]", WIFE_NIK)
    page.get_by_role("button", name="Cari").last.click()
    results = page.locator("#results")
    results.get_by_text("Hasnah Daeng Ngai").wait_for()
    assert results.get_by_text("Daeng Mappuji").count() == 0
    page.screenshot(path=str(ARTIFACTS / "search-by-nik.png"), full_page=True)

    assert problems.messages == []


def fill_member(page, index: int, nik: str, name: str, sex: str, born: str, relationship: str):
    prefix = f"#id_m-{index}-"
    page.fill(prefix + "nik", nik)
    page.fill(prefix + "full_name", name)
    page.select_option(prefix + "sex", sex)
    page.select_option(prefix + "relationship", relationship)
    page.fill(prefix + "birth_date", born)
    page.select_option(prefix + "marital_status", "2")
