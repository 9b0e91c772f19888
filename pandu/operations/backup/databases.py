"""The database half of a backup: SQLite's online backup API, PostgreSQL's pg_dump of one
snapshot and pg_restore, and what a database holds (row counts, migrations, letter-key ids)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from django.db import connections

from .layout import BackupError, Site

#: Seconds a locked SQLite database is waited for before the backup gives up.
LOCKED_SECONDS = 120


def pg_params(database: dict[str, Any]) -> dict[str, Any]:
    from django.db.backends.postgresql.base import DatabaseWrapper

    params = DatabaseWrapper(database).get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("server_side_binding", None)
    params.pop("prepare_threshold", None)
    return params


_PG_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
}


def _pg_env(database: dict[str, Any]) -> dict[str, str]:
    """The connection as libpq's variables: the password never shows in ``ps``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, value in pg_params(database).items():
        if key in _PG_ENV and value not in (None, ""):
            env[_PG_ENV[key]] = str(value)
    return env


def pg_connect(database: dict[str, Any], **kwargs):
    import psycopg

    return psycopg.connect(**pg_params(database), **kwargs)


def pg_tool(name: str) -> str:
    """The path of ``pg_dump``/``pg_restore``; a clear error when it is not installed."""
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found on this machine. Install the PostgreSQL client tools of "
            f"the server's version or newer (Debian: apt-get install postgresql-client) and "
            f"run the command again."
        )
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{what} failed (exit {done.returncode}): " + " | ".join(detail))


def _tool_version(path: str) -> str:
    done = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return done.stdout.strip()


# --- What a database holds ------------------------------------------------------------------


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [r[0] for r in rows]


def _sqlite_describe(conn: sqlite3.Connection) -> dict[str, Any]:
    tables = _sqlite_tables(conn)
    counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    migrations: dict[str, list[str]] = {}
    keys: list[str] = []
    if "django_migrations" in tables:
        for app, name in conn.execute("SELECT app, name FROM django_migrations ORDER BY id"):
            migrations.setdefault(app, []).append(name)
    if "operations_letterkey" in tables:
        keys = [r[0] for r in conn.execute("SELECT kid FROM operations_letterkey ORDER BY id")]
    return {"tables": counts, "migrations": migrations, "letter_keys": keys}


def _pg_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false)) "
        "ORDER BY tablename"
    )
    return [r[0] for r in cursor.fetchall()]


def _pg_describe(cursor) -> dict[str, Any]:
    from psycopg import sql

    tables = _pg_tables(cursor)
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    migrations: dict[str, list[str]] = {}
    keys: list[str] = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    if "operations_letterkey" in tables:
        cursor.execute("SELECT kid FROM operations_letterkey ORDER BY id")
        keys = [r[0] for r in cursor.fetchall()]
    return {"tables": counts, "migrations": migrations, "letter_keys": keys}


def database_is_empty(site: Site) -> bool:
    if site.vendor == "sqlite":
        path = sqlite_path(site)
        if not path.exists() or path.stat().st_size == 0:
            return True
        with closing(sqlite3.connect(path)) as conn:
            return not _sqlite_tables(conn)
    with pg_connect(site.database) as conn, conn.cursor() as cursor:
        return not _pg_tables(cursor)


def describe_database(site: Site) -> dict[str, Any]:
    """Row counts, applied migrations and letter-key ids of the site's database as it is."""
    if site.vendor == "sqlite":
        with closing(sqlite3.connect(sqlite_path(site))) as conn:
            return _sqlite_describe(conn)
    with pg_connect(site.database) as conn, conn.cursor() as cursor:
        return _pg_describe(cursor)


def sqlite_path(site: Site) -> Path:
    name = str(site.database["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError("an in-memory SQLite database has no file to restore into")
    return Path(name)


# --- Making a backup ------------------------------------------------------------------------


def dump_sqlite(alias: str, dest: Path) -> dict[str, Any]:
    """The online backup API from the site's own connection: one consistent copy while the
    site keeps writing (WAL). A database locked for longer than ``LOCKED_SECONDS`` (another
    process holding it exclusively) stops the backup instead of waiting for ever."""
    wrapper = connections[alias]
    if wrapper.in_atomic_block:
        # SQLite cannot copy a database from inside the copying connection's own write
        # transaction: the backup would wait for that transaction for ever.
        raise BackupError("a SQLite backup runs outside a transaction (not inside atomic())")
    wrapper.ensure_connection()
    waited_since: list[float] = []

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            waited_since.append(waited_since[0] if waited_since else time.monotonic())
            if time.monotonic() - waited_since[0] > LOCKED_SECONDS:
                raise BackupError(
                    f"the SQLite database stayed locked for {LOCKED_SECONDS} s; run the backup "
                    "again when the long write (an import, a migration) has finished"
                )
        else:
            waited_since.clear()

    with closing(sqlite3.connect(dest)) as target:
        wrapper.connection.backup(target, progress=progress)
    with closing(sqlite3.connect(dest)) as conn:
        described = _sqlite_describe(conn)
    described["server_version"] = sqlite3.sqlite_version
    return described


def dump_postgresql(alias: str, dest: Path) -> dict[str, Any]:
    """Counts and dump from one exported snapshot, so the manifest describes the dump exactly."""
    from psycopg import IsolationLevel

    pg_dump = pg_tool("pg_dump")
    database = connections[alias].settings_dict
    with pg_connect(database) as conn:
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            described = _pg_describe(cursor)
            _run(
                [pg_dump, "-Fc", f"--snapshot={snapshot}", f"--file={dest}"],
                _pg_env(database),
                "pg_dump",
            )
        conn.rollback()
    described["server_version"] = server_version
    described["pg_dump"] = _tool_version(pg_dump)
    return described


def close_connections_to(site: Site) -> None:
    """This process's connections to the database being replaced (others are left alone)."""
    target = (site.database.get("HOST"), site.database.get("PORT"), str(site.database["NAME"]))
    for wrapper in connections.all(initialized_only=True):
        own = wrapper.settings_dict
        if (own.get("HOST"), own.get("PORT"), str(own["NAME"])) == target:
            wrapper.close()


def restore_sqlite(site: Site, database_file: Path) -> None:
    path = sqlite_path(site)
    path.parent.mkdir(parents=True, exist_ok=True)
    close_connections_to(site)
    incoming = path.with_name(path.name + ".restoring")
    shutil.move(str(database_file), incoming)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(incoming, path)


def restore_postgresql(site: Site, database_file: Path, force: bool) -> None:
    from psycopg import sql

    pg_restore = pg_tool("pg_restore")
    close_connections_to(site)
    if force:
        with pg_connect(site.database) as conn, conn.cursor() as cursor:
            tables = _pg_tables(cursor)
            if tables:
                cursor.execute(
                    sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(
                        sql.SQL(", ").join(sql.Identifier(t) for t in tables)
                    )
                )
            conn.commit()
    _run(
        [
            pg_restore,
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            f"--dbname={site.database['NAME']}",
            str(database_file),
        ],
        _pg_env(site.database),
        "pg_restore",
    )
