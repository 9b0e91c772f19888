"""Bulk-load mode: a large import sets the registry's secondary indexes aside and rebuilds them.

Keeping a B-tree up to date row by row costs a random page write per row and per index; building
the same index once from the finished table is a sort. When an import brings at least as many
rows as the registry already holds (a first load of a regency, a province's yearly file), the
importer therefore drops the indexes that only serve searches, lists and counts, writes its
batches, and creates the indexes again at the end.

What is never set aside: primary keys, unique indexes (NIK, KK number, uid, one current household
per person: they are the registry's rules and the importer's own lookups), and the indexes the
importer reads while it writes (people by household and relationship). On PostgreSQL the
foreign keys from people and memberships to households and people are also dropped and added
again at the end: adding a foreign key checks every row in one join, where keeping it costs a
trigger call per row at every commit. The importer's keys are correct by construction (it
reserves or looks up every key it writes); the final check proves it.

Each dropped index is recorded in :class:`~pandu.exchange.models.DeferredIndex` in the same
transaction as the ``DROP INDEX`` (DDL is transactional on SQLite and PostgreSQL), so an import
killed half-way leaves a list of what to rebuild, never a silently missing index. Rebuilding
happens at the end of the import (also after a cancel or an error), at the start of every later
import, after ``migrate``, and with ``manage.py import_registry --restore-indexes``; the system
check ``exchange.W001`` reports indexes still set aside.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import connection as default_connection
from django.db import connections, transaction
from django.db.models import Q

log = logging.getLogger("pandu.exchange")

#: Tables the importer writes, with the column lists of the non-unique indexes it must keep.
TABLES: dict[str, list[tuple[str, ...]]] = {
    # People by household (the head check): the (household_id, relationship) index serves it.
    "registry_person": [("household_id", "relationship")],
    "registry_household": [],
    # A member's current membership (moves): the partial unique index on person_id serves it.
    "registry_membership": [],
    "exchange_importchange": [],
}

#: Bulk mode needs at least this many rows still to import ...
BULK_MIN_ROWS = 100_000
#: ... and at least this share of the people already registered.
BULK_MIN_SHARE = 1.0


def registered_people(connection=None) -> int:
    """How many people the registry holds (once per import; a count of a million rows is read
    from the smallest index in well under a second)."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_person")
        return int(cursor.fetchone()[0])


def wanted(rows_to_import: int, connection=None, *, min_rows: int = BULK_MIN_ROWS) -> bool:
    if rows_to_import < min_rows:
        return False
    return rows_to_import >= BULK_MIN_SHARE * registered_people(connection)


def deferrable(connection=None, *, lookups: bool = True) -> list[tuple[str, str]]:
    """(table, index name) of the indexes bulk mode may set aside, in a stable order; with
    ``lookups=False`` (an import that reads nothing back) also those the importer reads."""
    connection = connection or default_connection
    found: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        for table, keep in TABLES.items():
            constraints = connection.introspection.get_constraints(cursor, table)
            for name, info in sorted(constraints.items()):
                if not info.get("index") or info.get("unique") or info.get("primary_key"):
                    continue
                if lookups and tuple(info.get("columns") or ()) in keep:
                    continue
                found.append((table, name))
    return found


#: PostgreSQL: foreign keys checked row by row at each commit (a trigger call per row); in bulk
#: mode they are dropped and added again at the end, which checks every row in one join.
FOREIGN_KEYS: dict[str, list[str]] = {
    # merged_into_id is NULL on every imported row, but each row still queues a trigger event.
    "registry_person": ["household_id", "merged_into_id"],
    "registry_membership": ["person_id", "household_id"],
    "registry_household": ["village_id"],
}


def deferrable_foreign_keys(cursor) -> list[tuple[str, str, str]]:
    """(table, constraint name, ``ALTER TABLE ... ADD CONSTRAINT`` statement), PostgreSQL only."""
    found = []
    for table, columns in FOREIGN_KEYS.items():
        cursor.execute(
            "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
            "WHERE c.contype = 'f' AND c.conrelid = %s::regclass AND a.attname = ANY(%s) "
            "ORDER BY c.conname",
            [table, columns],
        )
        for name, definition in cursor.fetchall():
            found.append(
                (table, name, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            )
    return found


def _exists(cursor, vendor: str, name: str, definition: str) -> bool:
    if definition.startswith("ALTER TABLE"):
        cursor.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", [name])
        return cursor.fetchone() is not None
    return bool(_definition(cursor, vendor, name))


def _definition(cursor, vendor: str, name: str) -> str:
    if vendor == "sqlite":
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
    else:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
    row = cursor.fetchone()
    return row[0] if row and row[0] else ""


#: PostgreSQL, an import that reads nothing back: the unique uids of these tables are also set
#: aside (uids are made by the server, time-ordered and random, so they cannot collide; the
#: constraint is added again at the end, which checks every row).
UID_TABLES = ["registry_person", "registry_household"]


def deferrable_uid_constraints(cursor) -> list[tuple[str, str, str]]:
    """(table, constraint name, statements that build it again), PostgreSQL only.

    The unique index is built first, like the other indexes (two at a time), and then becomes
    the constraint (``ADD CONSTRAINT ... USING INDEX`` takes no time).
    """
    found = []
    for table in UID_TABLES:
        cursor.execute(
            "SELECT c.conname FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
            "WHERE c.contype = 'u' AND c.conrelid = %s::regclass AND a.attname = 'uid' "
            "AND array_length(c.conkey, 1) = 1",
            [table],
        )
        for (name,) in cursor.fetchall():
            found.append(
                (
                    table,
                    name,
                    f'CREATE UNIQUE INDEX "{name}" ON "{table}" (uid); '
                    f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" UNIQUE USING INDEX "{name}"',
                )
            )
    return found


def defer_indexes(batch=None, connection=None, *, lookups: bool = True) -> list[str]:
    """Drop the deferrable indexes, recording each one's definition; returns their names.

    ``lookups=False``: the importer will not read the registry while it writes (it began with an
    empty one), so the indexes it reads by and, on PostgreSQL, the uid constraints go too.
    """
    from .models import DeferredIndex

    connection = connection or default_connection
    dropped: list[str] = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for table, name in deferrable(connection, lookups=lookups):
            definition = _definition(cursor, connection.vendor, name)
            if not definition:
                continue
            DeferredIndex.objects.using(connection.alias).create(
                name=name, table=table, definition=definition, batch=batch
            )
            cursor.execute(f'DROP INDEX "{name}"')
            dropped.append(name)
        if connection.vendor == "postgresql":
            constraints = deferrable_foreign_keys(cursor)
            if not lookups:
                constraints += deferrable_uid_constraints(cursor)
            for table, name, definition in constraints:
                DeferredIndex.objects.using(connection.alias).create(
                    name=name, table=table, definition=definition, batch=batch
                )
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                dropped.append(name)
    if dropped:
        log.info("bulk load: %s indexes set aside: %s", len(dropped), ", ".join(dropped))
    return dropped


def restore_indexes(
    connection=None,
    on_index: Callable[[str, int, int], None] | None = None,
    *,
    leave_running_except=None,
) -> list[str]:
    """Create every set-aside index again (one transaction each); returns their names.

    ``leave_running_except=batch`` leaves alone the indexes of other imports that are still
    running (a worker starting an import must not rebuild what another one is writing past).
    """
    from .models import DeferredIndex, ImportBatch

    connection = connection or default_connection
    pending_qs = DeferredIndex.objects.using(connection.alias).order_by("id")
    if leave_running_except is not None:
        others_running = Q(batch__status=ImportBatch.Status.RUNNING) & ~Q(
            batch=leave_running_except
        )
        pending_qs = pending_qs.exclude(others_running)
    pending = list(pending_qs)
    if not pending:
        return []
    if (
        connection.vendor == "postgresql"
        and PARALLEL_REBUILDS > 1
        and len(pending) > 1
        and not connection.in_atomic_block
    ):
        return _rebuild_in_parallel(connection, pending, on_index)
    restored: list[str] = []
    for number, item in enumerate(pending, start=1):
        if on_index is not None:
            on_index(item.name, number, len(pending))
        _rebuild(connection, item)
        restored.append(item.name)
    return restored


#: PostgreSQL rebuilds this many set-aside indexes at once, each on its own connection: at the
#: end of an import the parser has finished, so the server can use every CPU of the machine.
PARALLEL_REBUILDS = 2


def _rebuild(connection, item) -> None:
    """Create one set-aside index or foreign key and forget it, in one transaction."""
    started = time.monotonic()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Sorting a million keys in memory instead of in temporary files.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        if not _exists(cursor, connection.vendor, item.name, item.definition):
            cursor.execute(item.definition)
        item.delete(using=connection.alias)
    log.info("bulk load: index %s rebuilt in %.1f s", item.name, time.monotonic() - started)


def _rebuild_in_parallel(connection, pending, on_index) -> list[str]:
    """Indexes first, :data:`PARALLEL_REBUILDS` at a time on connections of their own, then
    the foreign keys (adding one checks every row, which the rebuilt indexes do not speed up,
    and it locks both tables)."""
    alias = connection.alias
    # The longest builds first, so the two connections finish together: trigram (GIN) indexes,
    # then the indexes of the largest table.
    indexes = sorted(
        (i for i in pending if not i.definition.startswith("ALTER TABLE")),
        key=lambda i: (" USING gin " not in i.definition, i.table != "registry_person"),
    )
    constraints = [i for i in pending if i.definition.startswith("ALTER TABLE")]
    slots = threading.BoundedSemaphore(PARALLEL_REBUILDS)
    errors: list[BaseException] = []
    restored: list[str] = []

    def work(item) -> None:
        try:
            if not errors:
                _rebuild(connections[alias], item)
                restored.append(item.name)
        except BaseException as exc:  # reported by the calling thread
            errors.append(exc)
        finally:
            connections[alias].close()
            slots.release()

    threads = []
    for number, item in enumerate(indexes, start=1):
        slots.acquire()
        if errors:
            break
        if on_index is not None:
            on_index(item.name, number, len(pending))
        thread = threading.Thread(target=work, args=(item,), name=f"rebuild {item.name}")
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    for number, item in enumerate(constraints, start=len(indexes) + 1):
        if on_index is not None:
            on_index(item.name, number, len(pending))
        _rebuild(connection, item)
        restored.append(item.name)
    return restored


def pending_names(connection=None) -> list[str]:
    from .models import DeferredIndex

    connection = connection or default_connection
    return list(
        DeferredIndex.objects.using(connection.alias).order_by("id").values_list("name", flat=True)
    )
