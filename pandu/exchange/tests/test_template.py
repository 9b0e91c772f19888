"""The import template: a workbook with the layout's Indonesian headers and an example row that
imports as it is, a guide to each column, the code lists, the PPKS the user may record and the
villages of the user's area; for importers only, as a private download."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from pandu.conftest import LAPPARA, MAKASSAR_VILLAGE
from pandu.core.models import AccessLog
from pandu.exchange.layout import EXPORT_COLUMNS, FIELD_BY_NAME
from pandu.registry.models import Person

from .conftest import import_file
from .test_permission_matrix import EVERYONE, IMPORTERS

openpyxl = pytest.importorskip("openpyxl")
pytestmark = pytest.mark.django_db
URL = reverse("exchange:import_template")


def _workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_template_has_the_layout_an_example_the_guide_and_the_code_lists(client, personas):
    client.force_login(personas["operator_lappara"])
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert 'filename="templat-impor-pandu.xlsx"' in response["Content-Disposition"]
    wb = _workbook(response)
    assert wb.sheetnames[:2] == ["Data", "Petunjuk"]
    data = list(wb["Data"].iter_rows(values_only=True))
    assert list(data[0]) == [str(FIELD_BY_NAME[n].label) for n in EXPORT_COLUMNS]
    example = dict(zip(EXPORT_COLUMNS, data[1], strict=True))
    assert example["village_code"] == LAPPARA  # her own village
    assert example["relationship"] == "Kepala keluarga" and example["sex"] == "Laki-laki"
    guide = {row[2]: row for row in wb["Petunjuk"].iter_rows(min_row=2, values_only=True) if row}
    assert guide["nik"][3] == "Ya" and guide["education"][3] == "Tidak"
    education_sheet = guide["education"][4].split("“")[1].rstrip("”")
    assert education_sheet in wb.sheetnames
    codes = list(wb[education_sheet].iter_rows(min_row=2, values_only=True))
    assert codes and all(isinstance(code, int) for _label, code in codes)
    ppks = [row[1] for row in wb["PPKS"].iter_rows(min_row=2, values_only=True)]
    assert "Fakir Miskin" in ppks
    assert "Korban Tindak Kekerasan" not in ppks  # an operator may not record a sensitive one
    places = [row[0] for row in wb["Wilayah"].iter_rows(min_row=2, values_only=True)]
    assert places == [LAPPARA]
    assert MAKASSAR_VILLAGE not in places


def test_the_example_row_imports_as_it_is(client, personas, tmp_path):
    client.force_login(personas["admin_maros"])
    path = tmp_path / "templat.xlsx"
    path.write_bytes(client.get(URL).content)
    batch = import_file(personas["admin_maros"], path)
    assert (batch.created, batch.rejected) == (1, 0), batch.status
    person = Person.objects.get()
    assert person.full_name == "Contoh Nama Kepala Keluarga" and person.relationship == 1


def test_only_importers_download_the_template_and_the_page_links_it(client, personas):
    for who in EVERYONE:
        client.force_login(personas[who])
        response = client.get(URL)
        if who in IMPORTERS:
            assert response.status_code == 200, who
            page = client.get(reverse("exchange:index")).content.decode()
            assert URL in page
        else:
            assert response.status_code == 404, who
            assert AccessLog.objects.filter(user=personas[who], kind="denied").exists()
