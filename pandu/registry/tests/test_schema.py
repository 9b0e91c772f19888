"""The registry's indexes: what the migrations leave behind on each backend."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as global_apps
from django.db import connection

from pandu.exchange.models import DeferredIndex
from pandu.registry.models import Household, Person

pytestmark = pytest.mark.django_db(transaction=True)

migration = importlib.import_module("pandu.registry.migrations.0007_drop_number_pattern_indexes")


def _indexed_columns(table: str) -> dict[str, list[str]]:
    """Index name → its definition (PostgreSQL) or columns (SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table]
            )
            return {name: [definition] for name, definition in cursor.fetchall()}
        constraints = connection.introspection.get_constraints(cursor, table)
        return {n: info["columns"] for n, info in constraints.items() if info.get("index")}


def _pattern_indexes(table: str, column: str) -> list[str]:
    return [
        name
        for name, parts in _indexed_columns(table).items()
        if any(f"({column} varchar_pattern_ops)" in p for p in parts)
    ]


def test_nik_and_kk_keep_their_unique_index_and_no_pattern_index():
    for model, column in [(Person, "nik"), (Household, "kk_number")]:
        table = model._meta.db_table
        assert _pattern_indexes(table, column) == []
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        unique = [i for i in constraints.values() if i["unique"] and i["columns"] == [column]]
        assert len(unique) == 1, (table, column, constraints)


def test_the_migration_drops_pattern_indexes_and_forgets_them_when_set_aside():
    if connection.vendor != "postgresql":
        pytest.skip("pattern indexes exist only on PostgreSQL")
    with connection.schema_editor() as editor:
        migration.create_pattern_indexes(global_apps, editor)
    person_like = _pattern_indexes("registry_person", "nik")
    household_like = _pattern_indexes("registry_household", "kk_number")
    assert len(person_like) == 1 and len(household_like) == 1
    # As a killed bulk import leaves it: the KK pattern index dropped and recorded.
    (definition,) = _indexed_columns("registry_household")[household_like[0]]
    DeferredIndex.objects.create(
        name=household_like[0], table="registry_household", definition=definition
    )
    DeferredIndex.objects.create(
        name="kept_aside", table="registry_household", definition="CREATE INDEX kept_aside ..."
    )
    with connection.cursor() as cursor:
        cursor.execute(f'DROP INDEX "{household_like[0]}"')

    with connection.schema_editor() as editor:
        migration.drop_pattern_indexes(global_apps, editor)

    assert _pattern_indexes("registry_person", "nik") == []
    assert _pattern_indexes("registry_household", "kk_number") == []
    assert list(DeferredIndex.objects.values_list("name", flat=True)) == ["kept_aside"]
    DeferredIndex.objects.all().delete()
