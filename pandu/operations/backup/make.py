"""Making the archive."""

from __future__ import annotations

import io
import json
import os
import platform
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.utils import timezone

from pandu.core import crypto

from . import databases
from .layout import (
    FOLDERS,
    FORMAT,
    FORMAT_VERSION,
    KEYS_MEMBER,
    MANIFEST,
    PG_MEMBER,
    SQLITE_MEMBER,
    Say,
    Site,
    add_file,
    compressed,
    open_archive,
    quiet,
    this_site,
    versions,
)


def create_backup(
    output: Path, *, alias: str = "default", site: Site | None = None, say: Say = quiet
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
        described = (databases.dump_sqlite if vendor == "sqlite" else databases.dump_postgresql)(
            alias, dump
        )
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
            "data_keys": [],
            "files": {},
        }
        if "pg_dump" in described:
            manifest["versions"]["pg_dump"] = described["pg_dump"]
        old_umask = os.umask(0o077)
        try:
            with open_archive(partial, write_gz=compressed(output)) as tar:
                manifest["files"][member] = add_file(tar, dump, member)
                dump.unlink()
                ring = _data_keys(site)
                if ring is not None:
                    say(f"data keys ({site.data_keys}) ...")
                    manifest["files"][KEYS_MEMBER] = add_file(tar, ring, KEYS_MEMBER)
                    manifest["data_keys"] = sorted(crypto.load_ring(ring).keys)
                for folder in FOLDERS:
                    root = site.folder(folder)
                    say(f"{folder} ({root}) ...")
                    if not root.is_dir():
                        continue
                    for path in sorted(root.rglob("*")):
                        if path.is_file() and not path.is_symlink():
                            name = f"{folder}/{path.relative_to(root).as_posix()}"
                            manifest["files"][name] = add_file(tar, path, name)
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


def _data_keys(site: Site) -> Path | None:
    """The site's data-key ring file: without it the encrypted columns of the database copy
    could never be read again (decision 0019)."""
    if site.data_keys is None or not site.data_keys.is_file():
        return None
    return site.data_keys
