"""docs/payments.md documents the file layouts the code writes and reads, column by column."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from pandu.payments import layouts

DOC = (Path(settings.BASE_DIR) / "docs" / "payments.md").read_text(encoding="utf-8")


def _table_after(heading: str) -> list[str]:
    """The first cells of the Markdown table that follows ``heading``."""
    part = DOC[DOC.index(heading) :]
    rows = re.findall(r"^\| `(\w+)` \|", part.split("\n\n", 2)[1], flags=re.M)
    return rows


def _listed(marker: str) -> list[str]:
    line = DOC[DOC.index(marker) :].split(".\n", 1)[0]
    return re.findall(r"`(\w+)`", line.split(":", 1)[1])


def test_the_bank_list_is_documented_column_by_column():
    assert _table_after("**Bank (KKS") == layouts.headers("bank")


def test_the_post_office_and_e_warong_lists_are_documented():
    assert _listed("**PT Pos** — `pos`") == layouts.headers("pos")
    assert _listed("**E-warong (in kind)** — `ewarong`") == layouts.headers("ewarong")


def test_the_reconciliation_file_is_documented_with_its_required_columns():
    part = DOC[DOC.index("## Reconciliation file") :]
    table = re.findall(r"^\| `(\w+)` \| (yes|for [^|]+) \|", part, flags=re.M)
    assert [name for name, _req in table] == [c.name for c in layouts.RECONCILIATION]
    assert [name for name, req in table if req == "yes"] == list(layouts.REQUIRED)
