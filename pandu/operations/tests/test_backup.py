"""Backups that restore: one archive brings back the database, the uploaded files, the jobs'
files and the letter-key ring, into an empty copy of the site, with the same row counts and
file hashes. On SQLite the copy is a second file; with DATABASE_URL on PostgreSQL, a second
database."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tarfile
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from pandu.core.models import Job
from pandu.operations import backup, letterkeys
from pandu.operations.backup import BackupError, Site, create_backup, restore_backup
from pandu.operations.backup.layout import KEYS_MEMBER

# A backup reads what is committed: PostgreSQL's pg_dump through its own connection, SQLite's
# backup API from outside a transaction, so on SQLite every test runs outside the test's
# transaction (its flush is cheap there).
ON_SQLITE = connection.vendor == "sqlite"
pytestmark = pytest.mark.django_db(transaction=ON_SQLITE)

FILES = {
    "media/proposals/2026/berita-acara Lappara é.pdf": b"%PDF-1.4 berita acara\n" * 50,
    "media/services/agreements/perjanjian.pdf": os.urandom(70_000),
    "media/accounts/logo.png": b"\x89PNG\r\n\x1a\n" + os.urandom(500),
    "jobs/exports/3f2a/registri.csv": b"kk_number,village\n" + b"x" * 1000,
    "jobs/imports/77aa/report.xlsx": os.urandom(4000),
    "jobs/payments/cycle-1/list.csv": b"",
}


@pytest.fixture
def site(settings, tmp_path) -> Site:
    """This test's site: the test database and folders under tmp_path holding FILES."""
    root = tmp_path / "site"
    settings.VAR_DIR = root
    settings.MEDIA_ROOT = root / "media"
    settings.PANDU_BACKUP_DIR = tmp_path / "backups"
    for name, data in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return backup.this_site()


def _table_counts() -> dict[str, int]:
    """Every table's rows in the site's database, counted here independently of backup.py."""
    counts = {}
    with connection.cursor() as cursor:
        for info in connection.introspection.get_table_list(cursor):
            if info.type != "t":
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(info.name)}")  # noqa: S608
            counts[info.name] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def empty_copy(tmp_path):
    """An empty database (a new SQLite file, or a new PostgreSQL database) and no folders."""
    made: list[str] = []
    database = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        database["NAME"] = str(tmp_path / "copy" / "pandu.sqlite3")
    else:
        import psycopg

        name = f"{connection.settings_dict['NAME']}_restore"[:63]
        admin = {**backup.pg_params(connection.settings_dict), "dbname": "postgres"}
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        database["NAME"] = name
    yield Site(
        database=database,
        media_root=tmp_path / "copy" / "media",
        jobs_dir=tmp_path / "copy" / "jobs",
    )
    if made:
        import psycopg

        admin = {**backup.pg_params(connection.settings_dict), "dbname": "postgres"}
        with psycopg.connect(**admin, autocommit=True) as conn:
            for name in made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _registry_and_jobs(household_factory, personas):
    for _ in range(3):
        household_factory()
    Job.objects.create(kind="exchange.export", created_by=personas["admin_maros"], title="Ekspor")


def test_a_backup_restores_into_an_empty_copy_with_the_same_rows_and_files(
    site, empty_copy, tmp_path, request
):
    if ON_SQLITE:
        household_factory = request.getfixturevalue("household_factory")
        personas = request.getfixturevalue("personas")
        # Committed (the test runs outside a transaction here). On PostgreSQL, pg_dump's own
        # connection sees what the migrations committed (reference tables, programmes, the
        # ring, content types), so nothing is written here: a flush and reload would clash
        # with other transactional tests.
        _registry_and_jobs(household_factory, personas)
    token = letterkeys.sign("referral-letter", "0123abcd")
    before = _table_counts()
    if ON_SQLITE:
        assert before["registry_person"] == 6 and before["core_job"] == 1
    assert sum(before.values()) > 0

    archive = tmp_path / "pandu.tar"
    manifest = create_backup(archive)

    assert manifest["database"]["tables"] == before
    # The data-key ring travels too: without it the encrypted columns could not be read.
    assert set(manifest["files"]) == {*FILES, manifest["database"]["member"], KEYS_MEMBER}
    assert token.split(".")[0] in manifest["letter_keys"]
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    report = restore_backup(archive, site=empty_copy)

    assert backup.describe_database(empty_copy)["tables"] == before
    assert report["rows"] == sum(before.values()) and report["files"] == len(FILES)
    for folder in ("media", "jobs"):
        assert backup.folder_hashes(empty_copy.folder(folder), folder) == backup.folder_hashes(
            site.folder(folder), folder
        )
    for name, data in FILES.items():
        restored = empty_copy.folder(name.split("/")[0]).joinpath(*name.split("/")[1:])
        assert restored.read_bytes() == data
    # The ring came along: the restored key is the one that signed, so the letter verifies there.
    kid = token.split(".")[0]
    assert _letter_key(empty_copy, kid) == _letter_key(backup.this_site(), kid)


def _letter_key(site: Site, kid: str) -> tuple:
    query = "SELECT kid, secret, revoked_at FROM operations_letterkey WHERE kid = %s"
    if site.database["NAME"] == connection.settings_dict["NAME"]:
        with connection.cursor() as cursor:
            cursor.execute(query, [kid])
            return cursor.fetchone()
    if site.vendor == "sqlite":
        with closing(sqlite3.connect(site.database["NAME"])) as conn:
            return conn.execute(query.replace("%s", "?"), (kid,)).fetchone()
    with backup.pg_connect(site.database) as conn:
        return conn.execute(query, (kid,)).fetchone()


def test_a_compressed_backup_restores_too(site, empty_copy, tmp_path):
    archive = tmp_path / "pandu.tar.gz"
    manifest = create_backup(archive)
    with tarfile.open(archive, "r:gz") as tar:
        assert "manifest.json" in tar.getnames()
    restore_backup(archive, site=empty_copy)
    assert backup.describe_database(empty_copy)["tables"] == manifest["database"]["tables"]


def test_restore_refuses_a_target_that_holds_data_and_changes_nothing(site, empty_copy, tmp_path):
    archive = tmp_path / "pandu.tar"
    create_backup(archive)
    restore_backup(archive, site=empty_copy)
    kept = empty_copy.media_root / "kept.txt"
    kept.write_text("a file of the site already there")
    rows = backup.describe_database(empty_copy)["tables"]

    with pytest.raises(BackupError, match="refusing to overwrite"):
        restore_backup(archive, site=empty_copy)
    assert kept.read_text() == "a file of the site already there"
    assert backup.describe_database(empty_copy)["tables"] == rows

    restore_backup(archive, site=empty_copy, force=True)
    assert not kept.exists()
    aside = [
        p
        for p in empty_copy.media_root.parent.iterdir()
        if p.name.startswith("media.before-restore-")
    ]
    assert len(aside) == 1 and (aside[0] / "kept.txt").exists()
    assert backup.describe_database(empty_copy)["tables"] == rows


def _rewrite(archive: Path, out: Path, change) -> None:
    """Copy the archive member by member, letting ``change(name, data)`` alter or add some."""
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        for member in src:
            data = src.extractfile(member).read() if member.isfile() else b""
            for name, content in change(member.name, data):
                info = tarfile.TarInfo(name)
                info.size = len(content)
                dst.addfile(info, io.BytesIO(content))


def test_a_damaged_file_stops_the_restore_before_anything_is_written(site, empty_copy, tmp_path):
    archive = tmp_path / "pandu.tar"
    create_backup(archive)
    damaged = tmp_path / "damaged.tar"
    name = "media/services/agreements/perjanjian.pdf"
    _rewrite(archive, damaged, lambda n, d: [(n, d[:-1] + b"!" if n == name else d)])

    with pytest.raises(BackupError, match="damaged"):
        restore_backup(damaged, site=empty_copy)
    assert backup.database_is_empty(empty_copy)
    assert not empty_copy.media_root.exists() or not any(empty_copy.media_root.iterdir())
    assert [p.name for p in empty_copy.media_root.parent.glob(".*restoring*")] == []


def test_an_archive_member_that_climbs_out_of_its_folder_is_refused(site, empty_copy, tmp_path):
    archive = tmp_path / "pandu.tar"
    create_backup(archive)
    evil = tmp_path / "evil.tar"
    outside = "media/../../escaped.txt"

    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["files"][outside] = {"size": 1, "sha256": "0" * 64}
            return [(outside, b"x"), (name, json.dumps(manifest).encode())]
        return [(name, data)]

    _rewrite(archive, evil, change)
    with pytest.raises(BackupError, match="refuses"):
        restore_backup(evil, site=empty_copy)
    assert not (tmp_path / "escaped.txt").exists()


def test_what_is_not_a_backup_or_is_another_database_is_refused(site, empty_copy, tmp_path):
    stray = tmp_path / "stray.tar"
    with tarfile.open(stray, "w") as tar:
        tar.add(__file__, arcname="media/x.py")
    with pytest.raises(BackupError, match="not a Pandu backup"):
        restore_backup(stray, site=empty_copy)
    with pytest.raises(BackupError, match="no such file"):
        restore_backup(tmp_path / "missing.tar", site=empty_copy)

    archive = tmp_path / "pandu.tar"
    create_backup(archive)
    other_vendor = "postgresql" if connection.vendor == "sqlite" else "sqlite3"
    elsewhere = Site(
        database={"ENGINE": f"django.db.backends.{other_vendor}", "NAME": "elsewhere"},
        media_root=tmp_path / "m",
        jobs_dir=tmp_path / "j",
    )
    with pytest.raises(BackupError, match="restore it into a"):
        restore_backup(archive, site=elsewhere)


def test_a_missing_postgresql_tool_is_named_with_what_to_install(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(BackupError, match="pg_dump was not found.*postgresql-client"):
        backup.pg_tool("pg_dump")


def test_the_commands_write_an_archive_and_refuse_to_restore_over_this_site(site, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    call_command("backup", "--output", str(out))
    (archive,) = out.glob("pandu-*.tar")
    assert "backup written" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("restore", str(archive))
    with pytest.raises(CommandError, match="not a Pandu backup"):
        call_command("restore", __file__)


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite's backup API")
def test_a_sqlite_backup_inside_a_transaction_is_refused_instead_of_waiting(site, tmp_path):
    from django.db import transaction

    with transaction.atomic(), pytest.raises(BackupError, match="outside a transaction"):
        create_backup(tmp_path / "pandu.tar")
    assert not (tmp_path / "pandu.tar").exists()
