"""Imported records show the import in their history, next to changes made one by one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pandu.core import jobs
from pandu.exchange.models import ImportBatch
from pandu.registry.models import Person

from .conftest import family, write_csv

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
