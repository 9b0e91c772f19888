"""Restoring the archive: every name and hash checked before anything is replaced, an
occupied target refused unless forced, the row counts and hashes compared afterwards."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.utils import timezone

from pandu.core import crypto

from . import databases
from .layout import (
    CHUNK,
    FOLDERS,
    FORMAT,
    FORMAT_VERSION,
    KEYS_MEMBER,
    MANIFEST,
    BackupError,
    Say,
    Site,
    folder_hashes,
    open_archive,
    quiet,
    this_site,
)


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with open_archive(archive) as tar:
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
    if top not in (*FOLDERS, "database") and name != KEYS_MEMBER:
        return None
    return top, PurePosixPath(*path.parts[1:])


def non_empty_targets(site: Site) -> list[str]:
    found = []
    if not databases.database_is_empty(site):
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
    """Every file into its staging folder (the database and the data keys into ``work``), each
    hash checked; returns the database file."""
    expected = manifest["files"]
    seen: set[str] = set()
    database_file = work / "database"
    with open_archive(archive) as tar:
        for member in tar:
            if member.name == MANIFEST or member.isdir():
                continue
            where = _safe_member(member.name)
            if where is None or not member.isfile():
                raise BackupError(f"the archive holds {member.name!r}, which restore refuses")
            if member.name not in expected:
                raise BackupError(f"{member.name} is in the archive but not in its manifest")
            top, inner = where
            if top == "database":
                target = database_file
            elif member.name == KEYS_MEMBER:
                target = work / "data-keys.json"
            else:
                target = staging[top].joinpath(*inner.parts)
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
    archive: Path, *, force: bool = False, site: Site | None = None, say: Say = quiet
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
            databases.restore_sqlite(site, database_file)
        else:
            databases.restore_postgresql(site, database_file, force)
        restored = databases.describe_database(site)
        differ = {
            t: (n, restored["tables"].get(t))
            for t, n in manifest["database"]["tables"].items()
            if restored["tables"].get(t) != n
        }
        if differ:
            raise BackupError(f"row counts differ after the restore (table: backup, now): {differ}")
        _install_data_keys(work / "data-keys.json", site, say)
        for folder in FOLDERS:
            say(f"{folder} ...")
            _swap_in(staging[folder], site.folder(folder), stamp, say)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for staged in staging.values():
            shutil.rmtree(staged, ignore_errors=True)
    files = {
        n: v
        for n, v in manifest["files"].items()
        if not n.startswith("database/") and n != KEYS_MEMBER
    }
    for folder in FOLDERS:
        now = folder_hashes(site.folder(folder), folder)
        if {n: v for n, v in files.items() if n.startswith(folder + "/")} != now:
            raise BackupError(f"the restored {folder} folder differs from the manifest")
    return {
        "tables": len(manifest["database"]["tables"]),
        "rows": sum(manifest["database"]["tables"].values()),
        "files": len(files),
        "letter_keys": len(manifest.get("letter_keys", [])),
        "data_keys": len(manifest.get("data_keys", [])),
        "migrations": pending_migrations(manifest),
    }


def _install_data_keys(ring: Path, site: Site, say: Say) -> None:
    """The archive's data keys added to the site's ring (its newest key encrypting from now
    on); a key the site already has stays, so nothing that could decrypt is ever lost."""
    if not ring.is_file():
        return
    if site.data_keys is None:
        say("the archive's data keys were not installed: this site names no ring file")
        return
    try:
        crypto.merge_ring(ring.read_bytes(), site.data_keys)
    except crypto.DataKeyError as exc:
        raise BackupError(str(exc)) from None
    say(f"data keys added to {site.data_keys}")


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
