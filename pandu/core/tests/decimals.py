"""Reading a page for numbers written with the wrong decimal separator, for tests.

Indonesian writes 12,5 and 1.500 (comma for decimals, dot for thousands); English 12.5 and
1,500. A number is read from the page's visible text (no tags, attributes or scripts) as digits
joined by dots and commas. Area codes (73.09, 73.09.13) are codes, not numbers, and are left
out by name; dates (05-07-1985) and times (14:05) use other separators and never match.
"""

from __future__ import annotations

import html
import re

NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)+")


def _grouped(thousands: str) -> str:
    """A whole part: 7, 12, 1.500, 12.500.000 (a grouped one never starts with a zero)."""
    return rf"(?:[1-9]\d{{0,2}}(?:{re.escape(thousands)}\d{{3}})+|\d+)"


VALID = {
    "id": re.compile(_grouped(".") + r"(?:,\d+)?"),
    "en": re.compile(_grouped(",") + r"(?:\.\d+)?"),
}
WRONG = {"id": ".", "en": ","}


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def wrong_decimals(page: str, language: str, codes: set[str] = frozenset()) -> list[str]:
    """Numbers on ``page`` that the reader of ``language`` would misread: ``12.5`` in
    Indonesian, ``12,5`` in English. ``codes`` are codes that look like numbers (area codes)."""
    text = visible_text(page)
    found = []
    for match in NUMBER.finditer(text):
        token = match.group(0).rstrip(".,")
        if token in codes or WRONG[language] not in token:
            continue
        if not VALID[language].fullmatch(token):
            before = " ".join(text[max(0, match.start() - 40) : match.start()].split())
            found.append(f"{token} (after: {before[-30:]!r})")
    return found


def area_codes() -> set[str]:
    from pandu.regions.models import Area

    return set(Area.objects.values_list("code", flat=True))
