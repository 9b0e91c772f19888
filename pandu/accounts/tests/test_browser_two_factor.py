"""Two-factor login in a real browser: an administrator, whose role requires it, signs in with a
password, is taken to the enrolment page, reads the key off the page, types the app's code, sees
the ten recovery codes once, and from then on signs in with password and code (computed here as
the authenticator app computes it). On a phone every page of the walk fits the screen."""

from __future__ import annotations

import base64
import time

import pytest
from django_otp.oath import TOTP

from pandu.accounts.models import User
from pandu.conftest import PASSWORD
from pandu.core.tests.browser import BROWSER_MARKS, DESKTOP, PHONE, chromium, overflow

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """The 6-digit code an authenticator app shows for the base32 ``secret``."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def sign_in_with_password(context, username: str):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    return page, errors


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_administrator_enrols_an_authenticator_and_signs_in_with_it(
    browser, live_server, personas, settings, size
):
    settings.PANDU_2FA_REQUIRED_ROLES = ["admin", "auditor"]
    viewport = DESKTOP if size == "desktop" else PHONE
    too_wide: list[str] = []

    def fits(page) -> None:
        if size == "phone":
            too_wide.append(overflow(page, viewport["width"]))

    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="id-ID")
    context.set_default_timeout(15_000)
    page, errors = sign_in_with_password(context, "admin_maros")

    # The gate: an administrator without an authenticator enrols one before anything else.
    page.wait_for_url("**/akun/dua-langkah/aktifkan/**")
    fits(page)
    assert page.locator("img[alt='Kode QR untuk aplikasi autentikator']").is_visible()
    page.goto("/registri/keluarga/")
    page.wait_for_url("**/akun/dua-langkah/aktifkan/**")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Kode").fill(app_code(secret))
    page.get_by_role("button", name="Aktifkan").click()

    codes = page.locator("#recovery-codes li")
    codes.first.wait_for()
    assert codes.count() == 10
    fits(page)
    page.get_by_role("link", name="Sudah saya simpan, lanjutkan").click()
    page.wait_for_url("**/registri/keluarga/")
    assert User.objects.get(username="admin_maros").two_factor_enabled
    context.close()

    # The next sign-in asks for the code from the app.
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="id-ID")
    context.set_default_timeout(15_000)
    page, more_errors = sign_in_with_password(context, "admin_maros")
    page.wait_for_url("**/akun/dua-langkah/**")
    fits(page)
    page.get_by_label("Kode").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator("main h1").first.is_visible()
    page.goto("/akun/keamanan/")
    assert "Sisa 10 kode cadangan" in page.locator("main").inner_text()
    fits(page)
    context.close()

    assert [line for line in too_wide if line] == []
    assert errors + more_errors == []
