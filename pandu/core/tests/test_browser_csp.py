"""Under the Content-Security-Policy, the pages that used inline scripts, style attributes and
a CDN still work in a real browser, and the browser reports no violation."""

from __future__ import annotations

from pandu.conftest import PASSWORD
from pandu.core import jobs
from pandu.registry.tests.test_browser import BrowserProblems, pytestmark  # noqa: F401
from pandu.registry.tests.test_browser import browser_page as page_fixture

browser_page = page_fixture  # the same Chromium page fixture as the registry's journey


def _sign_in(page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/")


def _violations(problems: BrowserProblems) -> list[str]:
    return [m for m in problems.messages if "Content Security Policy" in m or "Refused" in m]


def test_pages_run_under_the_policy_without_violations(browser_page, personas):
    page = browser_page
    problems = BrowserProblems(page)
    _sign_in(page, "admin_maros")

    # The API documentation: Swagger UI from our own files, its start-up script a file too.
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Pandu API" in page.inner_text(".swagger-ui .info .title")

    # A job's progress bar takes its width from data-width.
    job = jobs.enqueue("exchange.export", user=personas["admin_maros"], params={})
    page.goto(f"/tugas/{job.uid}/")
    width = page.eval_on_selector(".progress-bar", "el => el.style.width")
    assert width.endswith("%")

    # The language switch sends its form without an onchange attribute.
    page.goto("/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"

    assert _violations(problems) == [], problems.messages
