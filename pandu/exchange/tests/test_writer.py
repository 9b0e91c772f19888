"""The importer's SQL writer: rows written with COPY (PostgreSQL) or executemany (SQLite) come
back exactly as given, whatever characters the text holds."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from psycopg.types.json import Jsonb

from pandu.exchange import writer as writer_module
from pandu.exchange.writer import SqlWriter, Table, copy_columns
from pandu.registry.models import PPKSAssignment

AWKWARD = [
    "tab\there",
    "line\nbreak",
    "carriage\rreturn",
    "back\\slash \\N",
    "quote ' and \"",
    "Sitti Aminah",
    "",
]


def _columns(rows: list[tuple]) -> list[tuple]:
    return list(zip(*rows, strict=True))


def test_copy_columns_formats_each_column_once_and_escapes_only_what_copy_needs():
    moment = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    rows = [
        (1, "a\tb", None, True, date(2020, 1, 2), moment, Jsonb([]), "same"),
        (2, "c\\d", 5, False, None, moment, Jsonb([]), "same"),
    ]
    text = copy_columns(_columns(rows)).decode()
    assert text.split("\n") == [
        "1\ta\\tb\t\\N\tt\t2020-01-02\t2026-12-03 09:30:00+00:00\t[]\tsame",
        "2\tc\\\\d\t5\tf\t\\N\t2026-12-03 09:30:00+00:00\t[]\tsame",
        "",
    ]
    assert copy_columns(_columns([(Decimal("1.50"), {"a": 1})])) == b'1.50\t{"a": 1}\n'
    assert copy_columns([]) == b""
    # Values that end every row are formatted once, with the same escapes.
    assert copy_columns([(1, 2)], ["a\tb", None, True]) == b"1\ta\\tb\t\\N\tt\n2\ta\\tb\t\\N\tt\n"


def test_copy_columns_refuses_what_it_cannot_format():
    with pytest.raises(TypeError):
        copy_columns([(object(), object())])
    with pytest.raises(ValueError):
        copy_columns([(1, 2), (3,)])  # columns of different lengths


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["rows", "columns"])
def test_insert_round_trip_keeps_every_value(given, monkeypatch):
    monkeypatch.setattr(writer_module, "COPY_SLICE_ROWS", 7)  # several slices, the last short
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE writer_probe "
            "(n integer, name text, born date, ok boolean, flags text, note text)"
        )
    rows = [
        (
            i,
            name,
            date(1990, 1, 1) + timedelta(days=i),
            i % 2 == 0,
            json.dumps([name]),
            None if i % 3 else name,
        )
        for i, name in enumerate(AWKWARD * 10)
    ]
    names = ["n", "name", "born", "ok", "flags", "note"]
    if given == "rows":
        SqlWriter(connection).insert("writer_probe", names, rows)
    else:
        SqlWriter(connection).insert_columns("writer_probe", names, list(zip(*rows, strict=True)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT n, name, born, ok, flags, note FROM writer_probe ORDER BY n")
        back = cursor.fetchall()
    # SQLite stores booleans as integers.
    expected = [
        (n, name, born, ok if connection.vendor == "postgresql" else int(ok), flags, note)
        for n, name, born, ok, flags, note in rows
    ]
    assert [tuple(r) for r in back] == expected


@pytest.mark.django_db
def test_select_in_finds_every_key_whatever_it_holds():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE writer_keys (n integer, name text)")
    names = ["7309010101800001", "a,b", "", "with space", "plain"]
    rows = [(i, name) for i, name in enumerate(names)]
    writer = SqlWriter(connection)
    writer.insert("writer_keys", ["n", "name"], rows)
    sql = "SELECT n, name FROM writer_keys WHERE {cond}"
    assert sorted(writer.select_in(sql, "n", [0, 3, 99])) == [(0, names[0]), (3, names[3])]
    assert sorted(writer.select_in(sql, "name", ["7309010101800001", "plain", "nope"])) == [
        (0, names[0]),
        (4, "plain"),
    ]
    # A comma or an empty key takes the array path; the answer is the same.
    assert sorted(writer.select_in(sql, "name", ["a,b", ""])) == [(1, "a,b"), (2, "")]


@pytest.mark.django_db
def test_table_fill_gives_defaults_for_columns_not_given_and_refuses_what_is_missing():
    table = Table(PPKSAssignment, connection)
    given = {
        "id": [1, 2],
        "uid": ["a" * 32, "b" * 32],
        "created_at": ["t", "t"],
        "updated_at": ["t", "t"],
        "category_id": [5, 6],
        "area_code": ["73.09.01.2001"] * 2,
    }
    columns = dict(zip(table.attnames, table.fill(given, 2), strict=True))
    assert columns["category_id"] == [5, 6]
    assert columns["active"] == (table.defaults["active"],) * 2  # the model's default
    assert columns["person_id"] == (None, None)
    with pytest.raises(KeyError, match="uid"):
        table.fill({k: v for k, v in given.items() if k != "uid"}, 2)
    with pytest.raises(ValueError, match="3 values for 2 rows"):
        table.fill({**given, "category_id": [1, 2, 3]}, 2)


@pytest.mark.django_db
def test_a_slice_holding_a_value_copy_columns_cannot_format_is_written_by_psycopg(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    monkeypatch.setattr(writer_module, "COPY_SLICE_ROWS", 3)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE writer_odd (n integer, note text)")
    odd = uuid.UUID("12345678-1234-5678-1234-567812345678")
    notes: list = ["a", "b", "c", "d", odd, "f", "g"]
    SqlWriter(connection).insert_columns("writer_odd", ["n", "note"], [list(range(7)), notes])
    with connection.cursor() as cursor:
        cursor.execute("SELECT n, note FROM writer_odd ORDER BY n")
        back = [tuple(r) for r in cursor.fetchall()]
    assert back == [(i, odd.hex if i == 4 else v) for i, v in enumerate(notes)]


@pytest.mark.django_db
def test_insert_columns_refuses_values_for_fewer_columns_than_named():
    with pytest.raises(ValueError, match="2 columns of values for 3 columns"):
        SqlWriter(connection).insert_columns("writer_odd", ["n", "note", "x"], [[1], ["a"]])


@pytest.mark.django_db
def test_reserved_ids_are_new_distinct_and_increasing():
    writer = SqlWriter(connection)
    first = writer.reserve_ids("registry_household", 5)
    assert len(first) == 5 and first == sorted(set(first))
    assert writer.reserve_ids("registry_household", 0) == []
    if connection.vendor == "postgresql":
        # Drawn from the sequence: never handed out twice, even before anything is written.
        second = writer.reserve_ids("registry_household", 3)
        assert len(second) == 3 and min(second) > max(first)
    else:
        # After the current maximum, inside the write transaction that then uses them.
        assert first == list(range(first[0], first[0] + 5))


def test_columns_with_one_value_in_every_row_are_written_as_literals_on_sqlite():
    count = 60
    data = [
        list(range(count)),  # varies
        ["quote ' here"] * count,  # one string: a literal, its quote doubled
        [None] * count,  # NULL
        [7] * count,  # one integer
        [1] * (count - 1) + [True],  # equal values of two types: bound, not inlined
        ["x" * 201] * count,  # too long to inline
    ]
    values, varying = writer_module._inline_constants(data, count)
    assert values == "?, 'quote '' here', NULL, 7, ?, ?"
    assert varying == [data[0], data[4], data[5]]
    # Few rows: everything bound.
    values, varying = writer_module._inline_constants([c[:3] for c in data], 3)
    assert values == "?, ?, ?, ?, ?, ?" and len(varying) == 6


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["rows", "columns"])
def test_rows_with_columns_of_one_value_come_back_whole(given, monkeypatch):
    """SQLite writes such columns as literals; PostgreSQL sends them last in each COPY row."""
    monkeypatch.setattr(writer_module, "COPY_SLICE_ROWS", 30)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE writer_const "
            "(n integer, note text, k integer, gone text, name text, flag boolean)"
        )
    names = ["n", "note", "k", "gone", "name", "flag"]
    rows = [(i, "quote ' and \" tab\t", 7, None, f"Siti {i}", True) for i in range(80)]
    writer = SqlWriter(connection)
    if given == "rows":
        writer.insert("writer_const", names, rows)
    else:
        writer.insert_columns("writer_const", names, _columns(rows))
    with connection.cursor() as cursor:
        cursor.execute("SELECT n, note, k, gone, name, flag FROM writer_const ORDER BY n")
        back = [tuple(r) for r in cursor.fetchall()]
    assert back == [(*row[:5], row[5] if connection.vendor == "postgresql" else 1) for row in rows]


def test_uids_made_for_a_batch_are_version_7_increasing_and_unique(monkeypatch):
    monkeypatch.setattr(writer_module, "_last_ms", 0)
    # A frozen clock: more than 4,096 uids in one millisecond run over into the next one.
    monkeypatch.setattr(writer_module.time, "time_ns", lambda: 1_764_000_000_000 * 1_000_000)
    made = writer_module.new_uids(3) + [writer_module.new_uid()] + writer_module.new_uids(5000)
    made.append(writer_module.new_uid())
    assert len(set(made)) == len(made) == 5005
    assert made == sorted(made)
    parsed = [uuid.UUID(u) for u in made]
    assert {(u.version, u.variant) for u in parsed} == {(7, uuid.RFC_4122)}
    millis = [u.int >> 80 for u in parsed]
    assert (millis[0], millis[4095], millis[4096], millis[-1]) == (
        1_764_000_000_000,
        1_764_000_000_000,
        1_764_000_000_001,
        1_764_000_000_001,
    )
    assert writer_module.new_uids(0) == []
