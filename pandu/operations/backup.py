"""One archive that brings the whole site back: the database, the uploaded files, the jobs'
files, and (inside the database) the letter-key ring that printed letters' links need.

The archive is a tar (``.tar``, or ``.tar.gz`` by its name) of::

    database/pandu.sqlite3   SQLite, copied with the online backup API (writers go on)
    database/pandu.dump      PostgreSQL, ``pg_dump -Fc`` of one snapshot
    media/...                MEDIA_ROOT: minutes, photos, attachments, agreements, logos
    jobs/...                 VAR_DIR/jobs: import uploads and reports, exports, payment files
    manifest.json            what is inside: row counts per table (of the same snapshot as the
                             dump), SHA-256 and size of every file, versions, the time it was made

``restore`` checks every hash before it changes anything, refuses a target that holds data
unless told ``force`` (then the old files are moved aside, not deleted), restores, and compares
the restored tables' row counts with the manifest. Decision 0018; docs/operations.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = "pandu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/pandu.sqlite3"
PG_MEMBER = "database/pandu.dump"
FOLDERS = ("media", "jobs")
CHUNK = 1024 * 1024

Say = Callable[[str], None]


class BackupError(Exception):
    """What went wrong, said so that the operator knows what to do next."""


@dataclass
class Site:
    """Where a site keeps its data: a database (Django settings dict) and two folders."""

    database: dict[str, Any]
    media_root: Path
    jobs_dir: Path

    @property
    def vendor(self) -> str:
        engine = self.database["ENGINE"]
        if "sqlite" in engine:
            return "sqlite"
        if "postgresql" in engine:
            return "postgresql"
        raise BackupError(f"backup knows SQLite and PostgreSQL, not {engine}")

    def folder(self, name: str) -> Path:
        return {"media": self.media_root, "jobs": self.jobs_dir}[name]


def this_site() -> Site:
    return Site(
        database=connections["default"].settings_dict,
        media_root=Path(settings.MEDIA_ROOT),
        jobs_dir=Path(settings.VAR_DIR) / "jobs",
    )


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.PANDU_BACKUP_DIR) / f"pandu-{stamp}.tar"


def _quiet(_text: str) -> None:
    return None


# --- Hashing --------------------------------------------------------------------------------


class _Hashing:
    """A file read once: into the archive and through SHA-256 at the same time."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.sha = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha.update(data)
        return data


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def folder_hashes(root: Path, prefix: str) -> dict[str, dict[str, Any]]:
    """``{"media/a/b.pdf": {"size": n, "sha256": "..."}}`` for every file under ``root``."""
    found: dict[str, dict[str, Any]] = {}
    if not root.is_dir():
        return found
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        name = f"{prefix}/{path.relative_to(root).as_posix()}"
        found[name] = {"size": path.stat().st_size, "sha256": file_sha256(path)}
    return found


# --- PostgreSQL connection details ----------------------------------------------------------


def _pg_params(database: dict[str, Any]) -> dict[str, Any]:
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
    for key, value in _pg_params(database).items():
        if key in _PG_ENV and value not in (None, ""):
            env[_PG_ENV[key]] = str(value)
    return env


def _pg_connect(database: dict[str, Any], **kwargs):
    import psycopg

    return psycopg.connect(**_pg_params(database), **kwargs)


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
        path = _sqlite_path(site)
        if not path.exists() or path.stat().st_size == 0:
            return True
        with sqlite3.connect(path) as conn:
            return not _sqlite_tables(conn)
    with _pg_connect(site.database) as conn, conn.cursor() as cursor:
        return not _pg_tables(cursor)


def describe_database(site: Site) -> dict[str, Any]:
    """Row counts, applied migrations and letter-key ids of the site's database as it is."""
    if site.vendor == "sqlite":
        with sqlite3.connect(_sqlite_path(site)) as conn:
            return _sqlite_describe(conn)
    with _pg_connect(site.database) as conn, conn.cursor() as cursor:
        return _pg_describe(cursor)


def _sqlite_path(site: Site) -> Path:
    name = str(site.database["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError("an in-memory SQLite database has no file to restore into")
    return Path(name)


# --- Making a backup ------------------------------------------------------------------------


def _dump_sqlite(alias: str, dest: Path) -> dict[str, Any]:
    """The online backup API from the site's own connection: one consistent copy while the
    site keeps writing (WAL)."""
    wrapper = connections[alias]
    wrapper.ensure_connection()
    target = sqlite3.connect(dest)
    try:
        wrapper.connection.backup(target)
    finally:
        target.close()
    with sqlite3.connect(dest) as conn:
        described = _sqlite_describe(conn)
    described["server_version"] = sqlite3.sqlite_version
    return described


def _dump_postgresql(alias: str, dest: Path) -> dict[str, Any]:
    """Counts and dump from one exported snapshot, so the manifest describes the dump exactly."""
    from psycopg import IsolationLevel

    pg_dump = pg_tool("pg_dump")
    database = connections[alias].settings_dict
    with _pg_connect(database) as conn:
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


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    with path.open("rb") as f:
        info = tar.gettarinfo(arcname=name, fileobj=f)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        reader = _Hashing(f)
        tar.addfile(info, reader)  # type: ignore[arg-type]
    return {"size": info.size, "sha256": reader.sha.hexdigest()}


def _compressed(path: Path) -> bool:
    return path.name.endswith((".tar.gz", ".tgz"))


def _open_archive(path: Path, *, write_gz: bool | None = None) -> tarfile.TarFile:
    """Reading finds out by itself whether the archive is compressed; writing is told."""
    if write_gz is None:
        return tarfile.open(path, "r:*")
    return tarfile.open(path, "w:gz") if write_gz else tarfile.open(path, "w")


def versions() -> dict[str, str]:
    from .metrics import version

    return {
        "pandu": version(),
        "django": django.get_version(),
        "python": platform.python_version(),
    }


def create_backup(
    output: Path, *, alias: str = "default", site: Site | None = None, say: Say = _quiet
) -> dict[str, Any]:
    """Write the archive to ``output`` (made under a temporary name, renamed when complete;
    readable by its owner only) and return its manifest."""
    site = site or this_site()
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    vendor = site.vendor
    work = Path(tempfile.mkdtemp(prefix=".pandu-backup-", dir=output.parent))
    partial = output.with_name(output.name + ".partial")
    try:
        member = SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER
        dump = work / PurePosixPath(member).name
        say(f"database ({vendor}) ...")
        described = (_dump_sqlite if vendor == "sqlite" else _dump_postgresql)(alias, dump)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "host": platform.node(),
            "versions": versions(),
            "database": {
                "vendor": vendor,
                "member": member,
                "server_version": described.pop("server_version", ""),
                "tables": described["tables"],
                "migrations": described["migrations"],
            },
            "letter_keys": described["letter_keys"],
            "files": {},
        }
        if "pg_dump" in described:
            manifest["versions"]["pg_dump"] = described["pg_dump"]
        old_umask = os.umask(0o077)
        try:
            with _open_archive(partial, write_gz=_compressed(output)) as tar:
                manifest["files"][member] = _add_file(tar, dump, member)
                dump.unlink()
                for folder in FOLDERS:
                    root = site.folder(folder)
                    say(f"{folder} ({root}) ...")
                    if not root.is_dir():
                        continue
                    for path in sorted(root.rglob("*")):
                        if path.is_file() and not path.is_symlink():
                            name = f"{folder}/{path.relative_to(root).as_posix()}"
                            manifest["files"][name] = _add_file(tar, path, name)
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mode = 0o600
                info.mtime = int(timezone.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
        finally:
            os.umask(old_umask)
        os.replace(partial, output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        partial.unlink(missing_ok=True)
    return manifest


# --- Restoring ------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with _open_archive(archive) as tar:
            member = tar.getmember(MANIFEST)
            handle = tar.extractfile(member)
            if handle is None:
                raise KeyError(MANIFEST)
            manifest = json.load(handle)
    except FileNotFoundError:
        raise BackupError(f"{archive}: no such file") from None
    except (tarfile.TarError, KeyError, ValueError, OSError) as exc:
        raise BackupError(f"{archive} is not a Pandu backup ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a Pandu backup (no {FORMAT} manifest)")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(
            f"{archive} was made by a newer Pandu (backup format "
            f"{manifest.get('format_version')}); restore it with that version"
        )
    return manifest


def _safe_member(name: str) -> tuple[str, PurePosixPath] | None:
    """``(folder, path inside it)`` for an archive member, None for one that must not be
    written (absolute, climbing out with ``..``, outside the known folders)."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2:
        return None
    top = path.parts[0]
    if top not in (*FOLDERS, "database"):
        return None
    return top, PurePosixPath(*path.parts[1:])


def non_empty_targets(site: Site) -> list[str]:
    found = []
    if not database_is_empty(site):
        name = site.database["NAME"]
        found.append(f"the database {name} has tables")
    for folder in FOLDERS:
        root = site.folder(folder)
        if root.is_dir() and any(root.iterdir()):
            found.append(f"the folder {root} is not empty")
    return found


def _extract(
    archive: Path, manifest: dict[str, Any], site: Site, staging: dict[str, Path], work: Path
) -> Path:
    """Every file into its staging folder (the database into ``work``), each hash checked;
    returns the database file."""
    expected = manifest["files"]
    seen: set[str] = set()
    database_file = work / "database"
    with _open_archive(archive) as tar:
        for member in tar:
            if member.name == MANIFEST or member.isdir():
                continue
            where = _safe_member(member.name)
            if where is None or not member.isfile():
                raise BackupError(f"the archive holds {member.name!r}, which restore refuses")
            if member.name not in expected:
                raise BackupError(f"{member.name} is in the archive but not in its manifest")
            top, inner = where
            target = database_file if top == "database" else staging[top].joinpath(*inner.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is None:
                raise BackupError(f"{member.name} cannot be read from the archive")
            sha = hashlib.sha256()
            with target.open("wb") as out:
                while chunk := source.read(CHUNK):
                    sha.update(chunk)
                    out.write(chunk)
            if sha.hexdigest() != expected[member.name]["sha256"]:
                raise BackupError(
                    f"{member.name} is damaged: its SHA-256 differs from the manifest"
                )
            os.utime(target, (member.mtime, member.mtime))
            seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"the archive lacks {len(missing)} files of its manifest: {missing[:5]}")
    return database_file


def _restore_sqlite(site: Site, database_file: Path) -> None:
    path = _sqlite_path(site)
    path.parent.mkdir(parents=True, exist_ok=True)
    connections.close_all()
    incoming = path.with_name(path.name + ".restoring")
    shutil.move(str(database_file), incoming)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(incoming, path)


def _restore_postgresql(site: Site, database_file: Path, force: bool) -> None:
    from psycopg import sql

    pg_restore = pg_tool("pg_restore")
    connections.close_all()
    if force:
        with _pg_connect(site.database) as conn, conn.cursor() as cursor:
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


def _swap_in(staged: Path, target: Path, stamp: str, say: Say) -> None:
    if target.exists() and any(target.iterdir()):
        aside = target.with_name(f"{target.name}.before-restore-{stamp}")
        shutil.move(str(target), aside)
        say(f"the old {target} was moved to {aside}")
    elif target.exists():
        target.rmdir()
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(staged), target)


def restore_backup(
    archive: Path, *, force: bool = False, site: Site | None = None, say: Say = _quiet
) -> dict[str, Any]:
    """Restore ``archive`` into the site; returns what was checked. Raises BackupError, before
    anything is changed, for a damaged archive or (without ``force``) a target holding data."""
    site = site or this_site()
    archive = Path(archive)
    manifest = read_manifest(archive)
    vendor = manifest["database"]["vendor"]
    if vendor != site.vendor:
        raise BackupError(
            f"the backup holds a {vendor} database and this site uses {site.vendor}; restore it "
            f"into a {vendor} database"
        )
    occupied = non_empty_targets(site)
    if occupied and not force:
        raise BackupError(
            "refusing to overwrite data: "
            + "; ".join(occupied)
            + ". Restore into an empty database and empty folders, or use --force to replace "
            "them (the database's tables are dropped, the folders moved aside)."
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    work = Path(tempfile.mkdtemp(prefix=".pandu-restore-", dir=archive.parent))
    staging: dict[str, Path] = {}
    try:
        for folder in FOLDERS:
            target = site.folder(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            staging[folder] = Path(
                tempfile.mkdtemp(prefix=f".{target.name}-restoring-", dir=target.parent)
            )
        say("checking the archive's files ...")
        database_file = _extract(archive, manifest, site, staging, work)
        say(f"database ({vendor}) ...")
        if vendor == "sqlite":
            _restore_sqlite(site, database_file)
        else:
            _restore_postgresql(site, database_file, force)
        restored = describe_database(site)
        differ = {
            t: (n, restored["tables"].get(t))
            for t, n in manifest["database"]["tables"].items()
            if restored["tables"].get(t) != n
        }
        if differ:
            raise BackupError(f"row counts differ after the restore (table: backup, now): {differ}")
        for folder in FOLDERS:
            say(f"{folder} ...")
            _swap_in(staging[folder], site.folder(folder), stamp, say)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for staged in staging.values():
            shutil.rmtree(staged, ignore_errors=True)
    files = {n: v for n, v in manifest["files"].items() if not n.startswith("database/")}
    for folder in FOLDERS:
        now = folder_hashes(site.folder(folder), folder)
        if {n: v for n, v in files.items() if n.startswith(folder + "/")} != now:
            raise BackupError(f"the restored {folder} folder differs from the manifest")
    return {
        "tables": len(manifest["database"]["tables"]),
        "rows": sum(manifest["database"]["tables"].values()),
        "files": len(files),
        "letter_keys": len(manifest.get("letter_keys", [])),
        "migrations": pending_migrations(manifest),
    }


def pending_migrations(manifest: dict[str, Any]) -> dict[str, list[str]]:
    """``{"newer_in_code": [...], "unknown_to_code": [...]}``: what ``migrate`` will apply,
    and what the backup has that this code does not (a backup of a newer Pandu)."""
    from django.db.migrations.loader import MigrationLoader

    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {
        (app, name) for app, names in manifest["database"]["migrations"].items() for name in names
    }
    return {
        "newer_in_code": sorted(f"{a}.{n}" for a, n in on_disk - applied),
        "unknown_to_code": sorted(f"{a}.{n}" for a, n in applied - on_disk),
    }
