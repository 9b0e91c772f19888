"""The audit journey in a real browser: the auditor finds a person whose NIK reads masked, presses
"Tampilkan NIK" and reads the number in place (htmx), then opens the access log,
finds that reveal narrowed to the person and downloads the list; on a phone both pages fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from pandu.conftest import LAPPARA
from pandu.core.models import AccessLog
from pandu.core.tests.browser import BROWSER_MARKS, DESKTOP, PHONE, Session, chromium, overflow

pytestmark = BROWSER_MARKS

ARTIFACTS = Path(__file__).resolve().parents[3] / "var" / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_auditor_reveals_a_nik_and_finds_the_reveal_in_the_log(
    browser, live_server, household_factory, personas, size
):
    family = household_factory(LAPPARA)
    person = family.members.order_by("relationship").first()
    viewport = DESKTOP if size == "desktop" else PHONE
    session = Session(browser, live_server.url, "auditor", viewport)
    page = session.page

    page.goto(f"/registri/penduduk/{person.uid}/")
    nik = page.locator("#person-nik")
    assert person.masked_nik in nik.inner_text() and person.nik not in page.content()
    page.get_by_role("button", name="Tampilkan NIK").click()
    page.locator("#person-nik [data-nik-revealed]").wait_for()
    assert person.nik in nik.inner_text()
    assert page.url.endswith(f"/registri/penduduk/{person.uid}/")  # swapped in place
    entry = AccessLog.objects.get(kind=AccessLog.Kind.NIK_REVEAL)
    assert entry.object_uid == str(person.uid)

    page.goto("/audit/log-akses/")
    page.select_option("#id_kind", "nik_reveal")
    page.get_by_role("button", name="Saring").click()
    page.wait_for_url("**kind=nik_reveal**")
    rows = page.locator("#access-log tbody tr")
    assert rows.count() == 1 and "auditor" in rows.first.inner_text()
    rows.first.locator(f"a[href*='record={person.uid}']").click()
    page.wait_for_url(f"**record={person.uid}**")
    assert page.locator("#access-log tbody tr").count() == 1
    too_wide = overflow(page, viewport["width"]) if size == "phone" else ""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"access-log-{size}.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("[data-export=csv]").click()
    assert download.value.suggested_filename.startswith("log-akses-")
    assert AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT, user=personas["auditor"]).exists()
    assert not too_wide, too_wide
    assert not session.errors, session.errors
    session.close()
