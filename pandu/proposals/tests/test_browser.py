"""Pak Syamsul's visit on a phone: his week's queue, the household's history, one thumb per
member, "sudah dikunjungi", saved. Then the administrator approves it from the decision desk."""

import os

import pytest

from pandu.conftest import LAPPARA, PASSWORD
from pandu.proposals import actions
from pandu.proposals.models import ItemStatus, ProposalItem
from pandu.registry.tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, BrowserProblems

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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
        try:
            yield chromium, live_server.url
        finally:
            chromium.close()


def _page(browser, who: str, viewport: dict):
    chromium, base = browser
    context = chromium.new_context(base_url=base, viewport=viewport, locale="id-ID")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/akun/masuk/")
    page.fill("#id_username", who)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/")
    return page


def test_tksk_verifies_on_a_phone_and_admin_approves(
    browser, personas, household_factory, batch_factory
):
    rahma = personas["operator_lappara"]
    hh = household_factory(LAPPARA, address="Dusun Lappara")
    batch = batch_factory(rahma)
    item = actions.add_household_change_item(
        rahma, batch, hh, {"floor_area": 24, "water_source": 2}, reason="Pendataan ulang musdes"
    )
    actions.submit_batch(rahma, batch)

    phone = _page(browser, "tksk_moncongloe", {"width": 390, "height": 844})
    problems = BrowserProblems(phone)
    phone.goto("/usulan/verifikasi/")
    phone.get_by_role("link", name="Verifikasi", exact=True).click()
    phone.wait_for_url(f"**/usulan/butir/{item.uid}/verifikasi/")
    phone.get_by_text("Riwayat keluarga di registri").click()
    for label in phone.locator("label.btn", has_text="Sesuai (ditemukan)").all():
        label.click()
    phone.fill("#id_note", "Rumah sudah dilihat, lantai semen.")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "proposals-verify-phone.png"), full_page=True)
    button = phone.get_by_role("button", name="Simpan hasil verifikasi")
    assert button.bounding_box()["height"] >= 44  # a thumb's target
    button.click()
    phone.wait_for_url("**/usulan/verifikasi/")
    item.refresh_from_db()
    assert item.status == ItemStatus.VERIFIED
    assert item.visited

    desk = _page(browser, "admin_maros", {"width": 1280, "height": 900})
    desk.goto("/usulan/penetapan/")
    desk.check("#check-all")
    desk.get_by_role("button", name="Setujui yang dicentang").click()
    desk.wait_for_url("**/usulan/penetapan/")
    assert "sudah masuk registri" in desk.content()
    hh.refresh_from_db()
    assert (hh.floor_area, hh.water_source) == (24, 2)
    assert ProposalItem.objects.get(pk=item.pk).status == ItemStatus.APPLIED
    assert not problems.messages, problems.messages
