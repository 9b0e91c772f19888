"""When python-calamine cannot read a workbook, openpyxl reads it instead."""

from __future__ import annotations

import pytest

from pandu.exchange.layout import CORE_COLUMNS
from pandu.registry.models import Person

from .conftest import family, import_file

pytestmark = pytest.mark.django_db


def test_workbook_is_read_with_openpyxl_when_calamine_fails(personas, tmp_path, monkeypatch):
    openpyxl = pytest.importorskip("openpyxl")
    calamine = pytest.importorskip("python_calamine")

    def broken(*args, **kwargs):
        raise calamine.CalamineError("cannot read")

    monkeypatch.setattr(calamine.CalamineWorkbook, "from_path", broken)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(CORE_COLUMNS)
    for row in family(1, 10):
        ws.append([row[c] for c in CORE_COLUMNS])
    path = tmp_path / "data.xlsx"
    wb.save(path)
    batch = import_file(personas["admin_maros"], path)
    assert (batch.file_kind, batch.created, batch.rejected) == ("excel", 3, 0)
    assert Person.objects.count() == 3
