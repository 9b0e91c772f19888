"""What a backup is made of: where the site keeps its data, the archive's layout, hashes."""

from __future__ import annotations

import hashlib
import platform
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import django
from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = "pandu-backup"
# 2: the data-key ring (``keys/data-keys.json``) is in the archive; a Pandu that knows only
# version 1 refuses such an archive as "made by a newer Pandu" instead of tripping over it.
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/pandu.sqlite3"
PG_MEMBER = "database/pandu.dump"
KEYS_MEMBER = "keys/data-keys.json"
FOLDERS = ("media", "jobs")
CHUNK = 1024 * 1024

Say = Callable[[str], None]


class BackupError(Exception):
    """What went wrong, said so that the operator knows what to do next."""


@dataclass
class Site:
    """Where a site keeps its data: a database (Django settings dict), two folders and the
    data-key ring that its encrypted columns need (None: a site without one)."""

    database: dict[str, Any]
    media_root: Path
    jobs_dir: Path
    data_keys: Path | None = None

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
        data_keys=Path(settings.PANDU_DATA_KEY_FILE),
    )


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.PANDU_BACKUP_DIR) / f"pandu-{stamp}.tar"


def quiet(_text: str) -> None:
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


def add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    with path.open("rb") as f:
        info = tar.gettarinfo(arcname=name, fileobj=f)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        reader = _Hashing(f)
        tar.addfile(info, reader)  # type: ignore[arg-type]
    return {"size": info.size, "sha256": reader.sha.hexdigest()}


def compressed(path: Path) -> bool:
    return path.name.endswith((".tar.gz", ".tgz"))


def open_archive(path: Path, *, write_gz: bool | None = None) -> tarfile.TarFile:
    """Reading finds out by itself whether the archive is compressed; writing is told."""
    if write_gz is None:
        return tarfile.open(path, "r:*")
    return tarfile.open(path, "w:gz") if write_gz else tarfile.open(path, "w")


def versions() -> dict[str, str]:
    from ..metrics import version

    return {
        "pandu": version(),
        "django": django.get_version(),
        "python": platform.python_version(),
    }
