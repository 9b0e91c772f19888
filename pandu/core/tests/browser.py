"""What the browser tests share: one Chromium (Debian's /usr/bin/chromium, driven by Playwright)
per test module, a signed-in page per persona and screen size, and the check that a page fits
the width of its screen, naming what sticks out when it does not.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pandu.conftest import PASSWORD

# Playwright's sync API runs an event loop in the test's thread; the ORM calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
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

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

#: The marks every browser test module carries.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"
    ),
]


@contextmanager
def chromium() -> Iterator:
    """One headless Chromium for as long as the block runs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=False
        )
        try:
            yield browser
        finally:
            browser.close()


class Session:
    """A signed-in page of one persona at one screen size, with the errors the page raised."""

    def __init__(self, browser, base_url: str, username: str, viewport: dict):
        self.context = browser.new_context(base_url=base_url, viewport=viewport, locale="id-ID")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        self.page.on("response", self._response)
        self.page.goto("/akun/masuk/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.get_by_role("button", name="Masuk").click()
        self.page.wait_for_url("**/")

    def _response(self, response) -> None:
        if response.status >= 500:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def close(self) -> None:
        self.context.close()


# The elements sticking out past the right edge of the screen, innermost first, each once: those
# inside a box that scrolls or clips sideways do not make the page scroll and are left out.
_OVERFLOW_JS = r"""
(limit) => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x !== 'visible') return true;
    }
    return false;
  };
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const classes = [...el.classList].slice(0, 3);
    if (classes.length) s += '.' + classes.join('.');
    return s;
  };
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 5; e = e.parentElement) {
      parts.unshift(name(e));
    }
    return parts.join(' > ');
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 0.5 || clipped(el)) continue;
    const style = getComputedStyle(el);
    if (style.position === 'fixed' || style.visibility === 'hidden') continue;
    out.push({el, right: Math.round(box.right)});
  }
  // Innermost: no overflowing child reaches as far.
  const inner = out.filter(({el, right}) =>
    !out.some((o) => o.el !== el && el.contains(o.el) && o.right >= right));
  inner.sort((a, b) => b.right - a.right);
  const seen = new Set();
  const lines = [];
  for (const {el, right} of inner) {
    const where = path(el);
    if (seen.has(where)) continue;  // the same cell of the next row says nothing new
    seen.add(where);
    const text = (el.innerText || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 60);
    lines.push(`${where} reaches ${right}px: "${text}"`);
  }
  return lines.slice(0, limit);
}
"""


def page_widths(page) -> dict:
    return page.evaluate(
        "() => ({html: document.documentElement.scrollWidth, body: document.body.scrollWidth,"
        " screen: window.innerWidth})"
    )


def overflow(page, width: int) -> str:
    """An empty string when the page fits ``width`` pixels, else what sticks out."""
    widths = page_widths(page)
    if widths["html"] <= width and widths["body"] <= width:
        return ""
    culprits = page.evaluate(_OVERFLOW_JS, 5)
    lines = [f"{page.url}: page {widths['html']}px, body {widths['body']}px, screen {width}px"]
    lines += [f"    {c}" for c in culprits]
    return "\n".join(lines)
