"""An import raises the version of every registered record it changes, in one statement per table
and batch, so an edit form opened before it knows what the import changed (``core.versions``)."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pandu.conftest import browser_data
from pandu.registry.forms import PersonForm
from pandu.registry.models import Household, Person

from .conftest import family, import_file, write_csv

pytestmark = pytest.mark.django_db


def _bumps(queries) -> list[str]:
    return [q["sql"] for q in queries if "SET version = version + 1 WHERE id IN" in q["sql"]]


def test_an_import_raises_the_versions_of_what_it_changes_once_per_batch(personas, tmp_path):
    operator = personas["operator_lappara"]
    rows = family(1, 10) + family(2, 20)
    import_file(operator, write_csv(tmp_path / "a.csv", rows))
    assert set(Person.objects.values_list("version", flat=True)) == {1}
    rows[1]["education"] = "5"  # the first family's wife
    rows[4]["education"] = "5"  # the second family's wife
    rows[0]["rt"] = rows[1]["rt"] = rows[2]["rt"] = "7"  # the first family's household

    with CaptureQueriesContext(connection) as queries:
        import_file(operator, write_csv(tmp_path / "b.csv", rows))

    versions = dict(Person.objects.values_list("nik", "version"))
    assert versions == {row["nik"]: 2 if row in (rows[1], rows[4]) else 1 for row in rows}
    households = dict(Household.objects.values_list("kk_number", "version"))
    assert households == {rows[0]["kk_number"]: 2, rows[3]["kk_number"]: 1}
    # One statement per table for the whole batch, never one per record.
    assert len(_bumps(queries)) == 2


def _opened(person: Person, user, **changes) -> dict:
    data = browser_data(PersonForm(instance=person, user=user, versioned=True), **changes)
    data["reason"] = "Kunjungan rumah"
    return data


def test_a_form_opened_before_an_import_conflicts_on_what_the_import_changed(personas, tmp_path):
    operator, admin = personas["operator_lappara"], personas["admin_maros"]
    rows = family(1, 10)
    import_file(operator, write_csv(tmp_path / "a.csv", rows))
    wife = Person.objects.get(nik=rows[1]["nik"])
    same_field = _opened(wife, admin, education="4")
    other_field = _opened(wife, admin, birth_place="Gowa")
    rows[1]["education"] = "5"
    import_file(operator, write_csv(tmp_path / "b.csv", rows))
    client = Client()
    client.force_login(admin)

    refused = client.post(resolve_url("registry:person_edit", wife.uid), same_field)
    merged = client.post(resolve_url("registry:person_edit", wife.uid), other_field)

    assert refused.status_code == 200
    page = html.unescape(refused.content.decode())
    assert "Pendidikan tertinggi kini “S1/D4”, diubah oleh operator_lappara" in page
    assert merged.status_code == 302
    wife.refresh_from_db()
    assert (wife.education, wife.birth_place, wife.version) == (5, "Gowa", 3)
