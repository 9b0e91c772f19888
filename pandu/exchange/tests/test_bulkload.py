"""Bulk-load mode: a large import sets search indexes aside while it writes and always puts them
back: at its end, after a failure, at the next import, after migrate, or on request."""

from __future__ import annotations

import io

import pytest
from django.core import checks
from django.core.management import call_command
from django.db import connection

from pandu.exchange import bulkload
from pandu.exchange.importer import Importer
from pandu.exchange.models import DeferredIndex, ImportBatch
from pandu.registry.models import Household, Person

from .conftest import family, import_file, write_csv

# Bulk mode drops and creates indexes, which needs real commits.
pytestmark = pytest.mark.django_db(transaction=True)


def _indexes() -> dict[str, set[str]]:
    found = {}
    with connection.cursor() as cursor:
        for table in bulkload.TABLES:
            constraints = connection.introspection.get_constraints(cursor, table)
            found[table] = {name for name, info in constraints.items() if info.get("index")}
            found[table] |= {
                f"fk {','.join(info['columns'])}"
                for info in constraints.values()
                if info.get("foreign_key")
            }
    return found


@pytest.fixture
def all_indexes_back():
    """Whatever a test does, the test database ends with every index it started with."""
    before = _indexes()
    yield before
    bulkload.restore_indexes()
    assert _indexes() == before


@pytest.fixture
def bulk_for_small_files(monkeypatch):
    monkeypatch.setattr(Importer, "bulk_min_rows", 1)


def _file(tmp_path, families: int = 4):
    rows = []
    for i in range(families):
        rows += family(300 + i, 3000 + 10 * i)
    return write_csv(tmp_path / "awal.csv", rows)


def test_large_import_writes_without_search_indexes_and_rebuilds_them(
    personas, tmp_path, monkeypatch, all_indexes_back, bulk_for_small_files
):
    seen_during_write: list[set[str]] = []
    unique_during_write: list[set[tuple]] = []
    real = Importer._commit

    def watch(self, items, facts):
        seen_during_write.append(_indexes()["registry_person"])
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, "registry_person")
        unique_during_write.append(
            {tuple(info["columns"]) for info in constraints.values() if info.get("unique")}
        )
        assert DeferredIndex.objects.exists()
        return real(self, items, facts)

    monkeypatch.setattr(Importer, "_commit", watch)
    batch = import_file(personas["admin_maros"], _file(tmp_path), batch_rows=3)

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert (batch.rows_read, batch.created, batch.rejected) == (12, 12, 0)
    assert Person.objects.count() == 12 and Household.objects.count() == 4
    person_indexes = all_indexes_back["registry_person"]
    assert len(seen_during_write) >= 2
    for during in seen_during_write:
        # Search indexes were aside; unique keys and the household lookups stayed.
        assert during < person_indexes
    # The registry was empty: nothing is read back, so only the NIK stays unique while writing
    # (it stops a person registered meanwhile); SQLite cannot drop a table's unique uid.
    assert ("nik",) in unique_during_write[0]
    assert (("uid",) in unique_during_write[0]) == (connection.vendor == "sqlite")
    assert "registry_pe_househo_bea0dd_idx" not in seen_during_write[0]
    if connection.vendor == "postgresql":
        # Foreign keys are checked once at the end instead of row by row.
        assert "fk household_id" not in seen_during_write[0]
    assert "fk household_id" in _indexes()["registry_person"]
    assert _indexes() == all_indexes_back
    assert not DeferredIndex.objects.exists()


def test_a_failed_bulk_import_still_rebuilds_the_indexes(
    personas, tmp_path, monkeypatch, all_indexes_back, bulk_for_small_files
):
    real = Importer._commit
    calls = {"n": 0}

    def fail_second(self, items, facts):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk penuh")
        return real(self, items, facts)

    monkeypatch.setattr(Importer, "_commit", fail_second)
    batch = import_file(personas["admin_maros"], _file(tmp_path), batch_rows=3)
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.batches_committed == 1
    assert _indexes() == all_indexes_back
    assert not DeferredIndex.objects.exists()


def test_indexes_left_aside_by_a_killed_import_are_reported_and_restored(all_indexes_back):
    dropped = bulkload.defer_indexes()
    assert dropped and set(dropped) == set(DeferredIndex.objects.values_list("name", flat=True))
    after_drop = _indexes()
    assert after_drop["registry_person"] < all_indexes_back["registry_person"]

    warnings = [m for m in checks.run_checks(databases=["default"]) if m.id == "exchange.W001"]
    assert len(warnings) == 1 and str(len(dropped)) in warnings[0].msg

    out = io.StringIO()
    call_command("import_registry", "--restore-indexes", stdout=out)
    assert f"{len(dropped)} index(es) rebuilt." in out.getvalue()
    assert _indexes() == all_indexes_back
    assert not [m for m in checks.run_checks(databases=["default"]) if m.id == "exchange.W001"]


def test_the_next_import_rebuilds_what_a_killed_import_left_aside(
    personas, tmp_path, all_indexes_back
):
    bulkload.defer_indexes()
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "kecil.csv", family(1, 10)))
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert _indexes() == all_indexes_back and not DeferredIndex.objects.exists()


def test_a_small_file_or_a_file_smaller_than_the_registry_keeps_the_indexes(
    personas, tmp_path, household_factory
):
    assert not bulkload.wanted(99_999)
    assert bulkload.wanted(100_000)
    for _ in range(3):
        household_factory()
    registered = Person.objects.count()
    assert registered > 2 and bulkload.registered_people() == registered
    assert not bulkload.wanted(registered - 1, min_rows=1)
    assert bulkload.wanted(registered, min_rows=1)


def test_a_large_import_into_a_filled_registry_keeps_what_it_reads_by(
    personas, tmp_path, monkeypatch, all_indexes_back, bulk_for_small_files
):
    import_file(personas["admin_maros"], write_csv(tmp_path / "satu.csv", family(1, 10)))
    monkeypatch.setattr(bulkload, "BULK_MIN_SHARE", 0.1)
    during: list[tuple[set[str], set[tuple]]] = []
    real = Importer._commit

    def watch(self, items, facts):
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, "registry_person")
        unique = {tuple(info["columns"]) for info in constraints.values() if info.get("unique")}
        during.append((set(constraints), unique))
        return real(self, items, facts)

    monkeypatch.setattr(Importer, "_commit", watch)
    batch = import_file(personas["admin_maros"], _file(tmp_path), batch_rows=3)
    assert batch.status == ImportBatch.Status.SUCCEEDED and batch.created == 12
    names, unique = during[0]
    assert "registry_pe_househo_bea0dd_idx" in names  # the heads of registered households
    assert "registry_pe_area_co_50542f_idx" not in names  # a search index: set aside
    assert {("nik",), ("uid",)} <= unique
    assert _indexes() == all_indexes_back


def test_uid_constraints_set_aside_come_back_as_constraints(all_indexes_back):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot drop a table's unique constraint")
    dropped = bulkload.defer_indexes(lookups=False)
    assert {"registry_person_uid_key", "registry_household_uid_key"} <= set(dropped)
    assert "registry_pe_househo_bea0dd_idx" in dropped
    bulkload.restore_indexes()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'u' AND conname = ANY(%s)",
            [["registry_person_uid_key", "registry_household_uid_key"]],
        )
        assert len(cursor.fetchall()) == 2
    assert not DeferredIndex.objects.exists()
