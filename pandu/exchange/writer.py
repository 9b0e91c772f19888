"""Set-based SQL for the importer: look up a batch's keys in one query, insert with COPY
(PostgreSQL) or ``executemany`` (SQLite), update with ``executemany``.

``pandu.demo.bulk`` does the same for generated data but writes whole new households only and
does not hand back the keys it assigned; the importer also needs lookups and updates, and keys
for its change log, so it keeps its own small writer (see decision 0005).
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db import models
from django.utils import timezone
from psycopg.types.json import Json, Jsonb

_random = random.Random(os.urandom(32))
_getrandbits = _random.getrandbits
_last_ms = 0
_counter = 0


def new_uid() -> str:
    """One time-ordered uid, as :func:`new_uids` makes them."""
    return new_uids(1)[0]


#: "7" (the version) and the 12-bit counter, as hex; the first hex digit of the random part,
#: of which the top two bits become the variant (0b10).
_COUNTER_HEX = [f"7{n:03x}" for n in range(0x1000)]
_VARIANT_HEX = {d: "89ab"[int(d, 16) & 3] for d in "0123456789abcdef"}


def new_uids(count: int) -> list[str]:
    """``count`` time-ordered UUIDs (version 7, RFC 9562) as 32 hex digits, increasing.

    48 bits of Unix milliseconds, a 12-bit counter that keeps uids of the same millisecond in
    order (after 4,096 it runs over into the next millisecond), and 62 random bits; one clock
    read and one draw of random bits for all of them. A million uids made by one import are
    therefore increasing, so the unique index on ``uid`` is appended to instead of being
    rewritten all over at every commit (random version-4 uids made the SQLite import write
    ~15 GB for 1M rows).
    """
    global _last_ms, _counter
    if count <= 0:
        return []
    ms = time.time_ns() // 1_000_000
    counter = 0
    if ms <= _last_ms:
        ms, counter = _last_ms, _counter + 1
    bits = f"{_getrandbits(64 * count):0{16 * count}x}"
    uids: list[str] = []
    done = 0
    while done < count:
        if counter > 0xFFF:
            ms, counter = ms + 1, 0
        take = min(count - done, 0x1000 - counter)
        head = f"{ms:012x}"
        uids += [
            head + _COUNTER_HEX[n] + _VARIANT_HEX[bits[k]] + bits[k + 1 : k + 16]
            for n, k in zip(
                range(counter, counter + take),
                range(16 * done, 16 * (done + take), 16),
                strict=True,
            )
        ]
        done += take
        counter += take
    _last_ms, _counter = ms, counter - 1
    return uids


class Table:
    """One table's columns in insert order, with each column's default already prepared."""

    def __init__(self, model: type[models.Model], connection) -> None:
        self.name = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns: list[str] = [str(f.column) for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        # Defaults for columns the caller leaves out. Per-row values (uid, timestamps) must be
        # given: a uid default computed here would be the same for every row.
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if f.primary_key or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                continue
            if f.name == "uid":
                continue
            self.defaults[f.attname] = f.get_db_prep_save(f.get_default(), connection)

    def fill(self, given: dict[str, Sequence[Any]], count: int) -> list[Sequence[Any]]:
        """The table's columns for ``count`` rows: ``given`` maps attribute names to a value per
        row; a column not given holds its default in every row."""
        columns: list[Sequence[Any]] = []
        for name in self.attnames:
            values = given.get(name)
            if values is None:
                if name not in self.defaults:
                    raise KeyError(f"{self.name}.{name} has no value and no default")
                values = (self.defaults[name],) * count
            elif len(values) != count:
                raise ValueError(f"{self.name}.{name}: {len(values)} values for {count} rows")
            columns.append(values)
        return columns

    def without_id(self) -> tuple[list[str], itemgetter]:
        names = [a for a in self.attnames if a != "id"]
        return [c for c in self.columns if c != "id"], itemgetter(*names)


class SqlWriter:
    """Raw reads and writes on one connection; call inside ``transaction.atomic`` to write."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.vendor = connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise RuntimeError(f"bulk import is not implemented for {self.vendor}")
        self.sqlite = self.vendor == "sqlite"
        self.max_params = 900 if self.sqlite else 30_000
        self._sequences: dict[str, str] = {}
        if self.sqlite:
            import sqlite3

            connection.ensure_connection()
            try:
                limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            except (AttributeError, sqlite3.Error):  # pragma: no cover - Python < 3.11
                limit = 999
            self.max_params = max(100, min(limit - 10, 30_000))

    def now(self):
        return self.connection.ops.adapt_datetimefield_value(timezone.now())

    def date(self, value):
        if value is None:
            return None
        return value.isoformat() if self.sqlite else value

    # -- reads --------------------------------------------------------------------------------

    def select_in(
        self, sql: str, column: str, keys: Sequence[Any], extra: Sequence[Any] = ()
    ) -> list[tuple]:
        """Rows of ``sql`` (which contains ``{cond}``) for ``column IN keys``, in few queries.

        PostgreSQL plans ``column = ANY(array of 20,000)`` as a sequential scan of the whole
        table; a semi-join on ``unnest(array)`` is answered from the index. The keys travel as
        one comma-separated text (psycopg adapts a list element by element in Python, 2 s per
        million keys), unless a key is empty, holds a comma or is not text.
        """
        if not keys:
            return []
        rows: list[tuple] = []
        with self.connection.cursor() as cursor:
            if not self.sqlite:
                param: Any
                if isinstance(keys[0], int):
                    values, param = "string_to_array(%s, ',')::bigint[]", ",".join(map(str, keys))
                elif all(type(k) is str and k and "," not in k for k in keys):
                    values, param = "string_to_array(%s, ',')", ",".join(keys)
                else:
                    values, param = "%s::text[]", list(keys)
                cond = f"{column} IN (SELECT unnest({values}))"
                cursor.execute(sql.format(cond=cond), [*extra, param])
                return list(cursor.fetchall())
            step = self.max_params - len(extra)
            for start in range(0, len(keys), step):
                chunk = keys[start : start + step]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(sql.format(cond=f"{column} IN ({marks})"), [*extra, *chunk])
                rows.extend(cursor.fetchall())
        return rows

    # -- writes -------------------------------------------------------------------------------

    def delete_in(self, table: str, column: str, keys: Sequence[int]) -> None:
        """Delete the rows whose ``column`` is one of ``keys`` (integers), in few statements."""
        if not keys:
            return
        with self.connection.cursor() as cursor:
            if not self.sqlite:
                cursor.execute(
                    f"DELETE FROM {table} WHERE {column} IN "  # noqa: S608
                    "(SELECT unnest(string_to_array(%s, ',')::bigint[]))",
                    [",".join(map(str, keys))],
                )
                return
            step = self.max_params
            for start in range(0, len(keys), step):
                chunk = list(keys[start : start + step])
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)  # noqa: S608

    def reserve_ids(self, table: str, count: int) -> list[int]:
        """Primary keys for ``count`` new rows (SQLite: after the current maximum, safe inside
        the write transaction; PostgreSQL: drawn from the table's sequence)."""
        if count == 0:
            return []
        with self.connection.cursor() as cursor:
            if self.sqlite:
                cursor.execute(f"SELECT max(id) FROM {table}")  # noqa: S608
                top = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                start = max(top, row[0] if row else 0) + 1
                return list(range(start, start + count))
            # The sequence is looked up once: ``nextval(pg_get_serial_sequence(...))`` in the
            # select list resolves the name again for every row (2.5 s instead of 0.3 s for a
            # million keys).
            if table not in self._sequences:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                self._sequences[table] = cursor.fetchone()[0]
            # One row of text: fetching 20,000 one-column rows cost more than drawing the keys.
            cursor.execute(
                "SELECT string_agg(nextval(%s::regclass)::text, ',') FROM generate_series(1, %s)",
                [self._sequences[table], count],
            )
            return sorted(map(int, cursor.fetchone()[0].split(",")))

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        self.insert_columns(table, columns, list(zip(*rows, strict=True)))

    def insert_columns(
        self, table: str, columns: Sequence[str], data: Sequence[Sequence[Any]]
    ) -> None:
        """Like :meth:`insert`, with the values given a column at a time.

        PostgreSQL: ``COPY``, formatted and sent :data:`COPY_SLICE_ROWS` rows at a time, so the
        server already stores one slice while the next is being formatted.
        """
        if not data or not data[0]:
            return
        if len(data) != len(columns):
            raise ValueError(f"{len(data)} columns of values for {len(columns)} columns")
        count = len(data[0])
        if self.sqlite:
            names = ", ".join(columns)
            values, varying = _inline_constants(data, count)
            rows = list(zip(*varying, strict=True)) if varying else [()] * count
            self.connection.connection.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({values})",  # noqa: S608
                rows,
            )
            return
        # Columns that hold one value in every row go last, formatted once as the end of
        # every row: the rows are then joined from the other columns only.
        same = [_is_constant(column, count) for column in data]
        if all(same):
            same[0] = False
        order = sorted(range(len(columns)), key=same.__getitem__)  # stable: varying first
        names = ", ".join(columns[i] for i in order)
        varying = [data[i] for i in order if not same[i]]
        ending = [data[i][0] for i in order if same[i]]
        raw = self.connection.connection
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for start in range(0, count, COPY_SLICE_ROWS):
                part = [column[start : start + COPY_SLICE_ROWS] for column in varying]
                try:
                    text = copy_columns(part, ending)
                except TypeError:  # a value the column formatter does not know: psycopg's turn
                    for row in zip(*part, strict=True):
                        copy.write_row((*row, *ending))
                    continue
                copy.write(text)

    def update_many(
        self, table: str, columns: Sequence[str], rows: Iterable[tuple], key: str = "id"
    ) -> None:
        """``UPDATE table SET columns... WHERE key = ?`` for each row (values, then the key)."""
        rows = list(rows)
        if not rows:
            return
        if self.sqlite:
            sets = ", ".join(f"{c} = ?" for c in columns)
            self.connection.connection.executemany(
                f"UPDATE {table} SET {sets} WHERE {key} = ?",  # noqa: S608
                rows,
            )
            return
        sets = ", ".join(f"{c} = %s" for c in columns)
        with self.connection.connection.cursor() as cur:
            cur.executemany(f"UPDATE {table} SET {sets} WHERE {key} = %s", rows)  # noqa: S608

    def bump_versions(self, table: str, keys: Iterable[int]) -> None:
        """Raise the version of the rows ``keys`` of ``table`` by one: an edit form opened on one
        of them before the import then knows it changed (``core.versions``). One statement for
        the whole batch (a few on SQLite, within its limit of parameters)."""
        keys = sorted(set(keys))
        if not keys:
            return
        with self.connection.cursor() as cursor:
            if not self.sqlite:
                cursor.execute(
                    f"UPDATE {table} SET version = version + 1 WHERE id IN "  # noqa: S608
                    "(SELECT unnest(string_to_array(%s, ',')::bigint[]))",
                    [",".join(map(str, keys))],
                )
                return
            step = self.max_params
            for start in range(0, len(keys), step):
                chunk = keys[start : start + step]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"UPDATE {table} SET version = version + 1 WHERE id IN ({marks})",  # noqa: S608
                    chunk,
                )

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)


def _is_constant(column: Sequence[Any], count: int) -> bool:
    """Whether every one of the ``count`` values is the same value of the same type."""
    first = column[0]
    return column.count(first) == count and len(set(map(type, column))) == 1


def _sql_literal(value: Any) -> str | None:
    """``value`` as an SQLite literal, or None when it is not a plain value worth inlining."""
    if value is None:
        return "NULL"
    if value is True or value is False:
        return "1" if value else "0"
    if type(value) is int:
        return str(value)
    if type(value) is str and len(value) <= 200 and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"  # SQLite strings have no other escapes
    return None


def _inline_constants(data: Sequence[Sequence[Any]], count: int) -> tuple[str, list[Sequence[Any]]]:
    """The VALUES list for an insert of ``count`` rows given a column at a time, with columns
    that hold one value in every row written as literals, and the columns left to bind.

    SQLite spends a good part of a wide insert binding parameters; an import batch has many
    columns that are the same on every row (timestamps, defaults, the batch's reason), and
    binding only the rest halves the time of a person insert.
    """
    if count < 50:
        return ", ".join("?" * len(data)), list(data)
    marks: list[str] = []
    varying: list[Sequence[Any]] = []
    for column in data:
        literal = _sql_literal(column[0]) if _is_constant(column, count) else None
        if literal is None:
            marks.append("?")
            varying.append(column)
        else:
            marks.append(literal)
    return ", ".join(marks), varying


# --- COPY text ----------------------------------------------------------------------------------

_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_NULL = "\\N"


#: Rows formatted and handed to the server at a time by :meth:`SqlWriter.insert_columns`.
COPY_SLICE_ROWS = 4096


def copy_columns(columns: Sequence[Sequence[Any]], ending: Sequence[Any] = ()) -> bytes:
    """Rows given a column at a time (every column as long) in PostgreSQL's COPY text format,
    each row followed by the values of ``ending`` (the same for every row, formatted once).

    psycopg's ``write_row`` looks up a dumper for every value (tens of millions in a large
    import); a column of an import batch holds one Python type, so each column is converted in
    one pass (``str``, ``date.isoformat``, ...) and only text that holds a tab, newline, carriage
    return or backslash is escaped. Raises ``TypeError`` for a type it does not handle and
    ``ValueError`` for columns of different lengths.
    """
    if not columns or not columns[0]:
        return b""
    text = [_copy_column(column) for column in columns]
    end = "".join(["\t" + _copy_value(value) for value in ending]) + "\n"
    return (end.join(map("\t".join, zip(*text, strict=True))) + end).encode()


def _copy_column(values: Sequence[Any]) -> list[str]:
    n = len(values)
    first = values[0]
    kinds = set(map(type, values))
    if len(kinds) == 1 and values.count(first) == n:
        return [_copy_value(first)] * n
    if kinds == {str}:
        if _COPY_SPECIAL.search("".join(values)):
            return [v.translate(_COPY_ESCAPES) for v in values]
        return list(values)
    if kinds <= {int, type(None)} or kinds <= {date, type(None)} or kinds <= {datetime, type(None)}:
        if type(None) in kinds:
            return [_COPY_NULL if v is None else str(v) for v in values]
        return list(map(str, values))
    return [_copy_value(v) for v in values]


def _copy_value(value: Any) -> str:
    kind = type(value)
    if value is None:
        return _COPY_NULL
    if kind is str:
        return value.translate(_COPY_ESCAPES)
    if kind is bool:
        return "t" if value else "f"
    if kind in (int, float, Decimal, date, datetime):
        return str(value)
    if isinstance(value, (Json, Jsonb)):  # JSON defaults prepared by Django (Jsonb on PostgreSQL)
        return json.dumps(value.obj).translate(_COPY_ESCAPES)
    if kind in (list, dict):
        return json.dumps(value).translate(_COPY_ESCAPES)
    raise TypeError(f"no COPY text format for {kind.__name__}")
