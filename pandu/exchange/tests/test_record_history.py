"""Imported records show the import in their history, next to changes made one by one, on the
record's page and through the API alike."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.core import jobs
from pandu.exchange.models import ImportBatch
from pandu.registry import actions
from pandu.registry.history import history_entries
from pandu.registry.models import Person

from .conftest import family, import_file, write_csv

pytestmark = pytest.mark.django_db


def test_person_page_names_the_import_batch_file_and_user(client, personas, tmp_path):
    path = write_csv(tmp_path / "lappara-2026.csv", family(1, 10))
    client.force_login(personas["operator_lappara"])
    upload = SimpleUploadedFile("lappara-2026.csv", path.read_bytes(), content_type="text/csv")
    client.post(reverse("exchange:import_upload"), {"file": upload})
    batch = ImportBatch.objects.get()
    mapping = {f"col_{name}": str(i) for name, i in batch.mapping.items()}
    client.post(reverse("exchange:import_detail", args=[batch.uid]), mapping)
    jobs.run_pending()
    person = Person.objects.order_by("id").first()
    page = client.get(reverse("registry:person_detail", args=[person.uid])).content.decode()
    assert "lappara-2026.csv" in page
    assert "operator_lappara" in page
    listing = client.get(reverse("registry:person_list")).content.decode()
    assert "/impor-ekspor/ekspor/penduduk/?format=csv" in listing


def _api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="id")
    client.force_authenticate(user)
    return client


def test_the_api_history_of_an_imported_person_shows_the_import(personas, tmp_path):
    operator = personas["operator_lappara"]
    batch = import_file(operator, write_csv(tmp_path / "lappara-2026.csv", family(1, 10)))
    person = Person.objects.order_by("id").first()

    response = _api(operator).get(f"/api/v1/persons/{person.uid}/history/")

    assert response.status_code == 200
    (entry,) = response.json()
    assert (entry["type"], entry["user"]) == ("+", "operator_lappara")
    assert entry["reason"] == (
        f"Diimpor dalam batch {batch.short_id} oleh operator_lappara dari berkas lappara-2026.csv"
    )


def test_an_import_update_shows_raw_values_in_the_api_and_names_on_the_page(personas, tmp_path):
    operator = personas["operator_lappara"]
    rows = family(1, 10)
    import_file(operator, write_csv(tmp_path / "a.csv", rows))
    rows[1]["education"] = "5"
    rows[0]["rt"] = rows[1]["rt"] = rows[2]["rt"] = "7"
    import_file(operator, write_csv(tmp_path / "b.csv", rows))
    wife = Person.objects.get(nik=rows[1]["nik"])

    person_api = _api(operator).get(f"/api/v1/persons/{wife.uid}/history/").json()
    household_api = _api(operator).get(f"/api/v1/households/{wife.household.uid}/history/").json()

    assert [e["type"] for e in person_api] == ["~", "+"]
    assert person_api[0]["changes"] == [
        {"field": "education", "label": "pendidikan tertinggi", "old": 3, "new": 5}
    ]
    assert [(c["field"], c["old"], c["new"]) for c in household_api[0]["changes"]] == [("rt", 2, 7)]
    page = history_entries(wife)
    assert [e["type"] for e in page] == ["Diubah lewat impor", "Dibuat lewat impor"]
    assert page[0]["changes"] == [
        {"field": "pendidikan tertinggi", "old": "SMA/SMK/MA/sederajat", "new": "S1/D4"}
    ]


def test_the_page_and_the_api_show_the_same_history(client, personas, tmp_path):
    operator = personas["operator_lappara"]
    rows = family(1, 10)
    import_file(operator, write_csv(tmp_path / "a.csv", rows))
    wife = Person.objects.get(nik=rows[1]["nik"])
    actions.update_person(
        operator, wife, {"full_name": "Sitti Aminah"}, reason="Nama sesuai KTP-el"
    )
    rows[1]["full_name"] = "Sitti Aminah"
    rows[1]["education"] = "5"
    import_file(operator, write_csv(tmp_path / "b.csv", rows))

    client.force_login(operator)
    page = client.get(reverse("registry:person_detail", args=[wife.uid])).context["history"]
    api = _api(operator).get(f"/api/v1/persons/{wife.uid}/history/").json()

    assert len(page) == len(api) == 3
    assert [e["reason"] for e in page] == [e["reason"] for e in api]
    assert [e["user"] for e in api] == ["operator_lappara"] * 3
    assert api[1]["reason"] == "Nama sesuai KTP-el"
    assert [len(e["changes"]) for e in page] == [len(e["changes"]) for e in api]
