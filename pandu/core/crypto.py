"""Encryption at rest of sensitive free text: the data-key ring and the stored form (decision 0019).

A value is stored as ``enc1:<key id>:<Fernet token>`` (``cryptography``'s Fernet: AES-128-CBC
with an HMAC-SHA256, a fresh IV each time). The key id names the ring's key that encrypted it,
so a value is decrypted with that key alone, a missing key is named in the error, and a
rotation finds the values still under an older key. An empty text stays empty; a value without
the prefix is legacy plain text written before encryption and is read as it is.

The ring is a JSON file outside the database (``settings.PANDU_DATA_KEY_FILE``, readable by its
owner only): whoever reads the database or one of its dumps learns nothing from these columns.
It is re-read whenever the file changes, so a key added by ``manage.py rotate_data_key`` is
used by every running process at its next write. The newest key (``primary``) encrypts; every
key in the ring decrypts until it is retired, which ``rotate_data_key --retire`` allows only
when no value is left under it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import connections, transaction
from django.views.decorators.debug import sensitive_variables

PREFIX = "enc1:"
RING_FORMAT = "pandu-data-keys"
RING_VERSION = 1
_KID = re.compile(r"^[0-9a-f]{8}$")
_STORED = re.compile(r"^enc1:([0-9a-f]{8}):([A-Za-z0-9_=-]+)$")


class DataKeyError(Exception):
    """Encrypted data cannot be read or written. The message names the key id and the ring's
    file, never a key, so it may be logged and shown to the operator."""


class DataKeyMissing(DataKeyError):
    """The ring has no file, or not the key a value was encrypted with."""


class DataUnreadable(DataKeyError):
    """A value does not decrypt with the key it names (changed in the database, or a different
    key under the same id)."""


@dataclass(frozen=True)
class DataKey:
    kid: str
    secret: str = field(repr=False)
    created_at: str = ""


@dataclass
class KeyRing:
    path: Path
    keys: dict[str, DataKey]
    primary: str
    _fernets: dict[str, Fernet] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.primary not in self.keys:
            raise DataKeyError(f"the data-key ring at {self.path} names a primary key it lacks")
        self._fernets = {kid: Fernet(k.secret.encode()) for kid, k in self.keys.items()}

    def encrypt(self, text: str) -> str:
        token = self._fernets[self.primary].encrypt(text.encode("utf-8")).decode("ascii")
        return f"{PREFIX}{self.primary}:{token}"

    def decrypt(self, stored: str) -> str:
        match = _STORED.match(stored)
        if match is None:
            return stored  # legacy plain text, from before encryption
        kid, token = match.groups()
        fernet = self._fernets.get(kid)
        if fernet is None:
            raise DataKeyMissing(
                f"data key {kid} is not in the data-key ring at {self.path}: restore the ring "
                "file from the backup that holds it (docs/operations.md, key rotation)"
            )
        try:
            return fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise DataUnreadable(
                f"a value under data key {kid} does not decrypt with that key of the ring at "
                f"{self.path}: the value was changed, or the ring holds another key with that id"
            ) from None


# --- Reading and writing the ring's file -----------------------------------------------------


def ring_path() -> Path:
    return Path(settings.PANDU_DATA_KEY_FILE)


_loaded: dict[Path, tuple[tuple[int, int, int], KeyRing]] = {}


@sensitive_variables("data")
def _parse(path: Path, raw: bytes) -> KeyRing:
    try:
        data = json.loads(raw)
        if data.get("format") != RING_FORMAT:
            raise ValueError(f"not a {RING_FORMAT} file")
        if data.get("version", 0) > RING_VERSION:
            raise ValueError(f"written by a newer Pandu (version {data.get('version')})")
        keys = {}
        for entry in data["keys"]:
            kid = str(entry["kid"])
            if not _KID.match(kid):
                raise ValueError(f"bad key id {kid!r}")
            Fernet(str(entry["key"]).encode())  # 32 bytes, base64url: or ValueError
            keys[kid] = DataKey(kid, str(entry["key"]), str(entry.get("created_at", "")))
        return KeyRing(path, keys, str(data["primary"]))
    except DataKeyError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataKeyError(f"the data-key ring at {path} cannot be read: {exc}") from None


def load_ring(path: Path | None = None) -> KeyRing:
    """The ring, read again only when its file has changed (one ``stat`` per call)."""
    path = path or ring_path()
    try:
        st = path.stat()
    except FileNotFoundError:
        raise DataKeyMissing(
            f"there is no data-key ring at {path} (PANDU_DATA_KEY_FILE): `manage.py migrate` "
            "makes one on a new site; on a site with data, restore the file from its backup"
        ) from None
    stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    cached = _loaded.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    ring = _parse(path, path.read_bytes())
    _loaded[path] = (stamp, ring)
    return ring


def ring_data(ring: KeyRing) -> dict[str, Any]:
    return {
        "format": RING_FORMAT,
        "version": RING_VERSION,
        "primary": ring.primary,
        "keys": [
            {"kid": k.kid, "key": k.secret, "created_at": k.created_at} for k in ring.keys.values()
        ],
    }


def new_key(taken: Iterable[str] = ()) -> DataKey:
    taken = set(taken)
    kid = secrets.token_hex(4)
    while kid in taken:
        kid = secrets.token_hex(4)
    created = datetime.now(UTC).isoformat(timespec="seconds")
    return DataKey(kid, Fernet.generate_key().decode("ascii"), created)


def _write_new_file(path: Path, data: dict[str, Any]) -> Path:
    """``data`` into a new file beside ``path``, readable by its owner only; returns its path."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(data, out, indent=1)
        out.write("\n")
        out.flush()
        os.fsync(out.fileno())
    return temporary


def _replace(path: Path, data: dict[str, Any]) -> None:
    temporary = _write_new_file(path, data)
    os.replace(temporary, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One change of the ring at a time (two rotations started together)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def ensure_ring(path: Path | None = None) -> KeyRing:
    """The ring, made with its first key when there is no file. Made by linking a complete
    file into place, so processes that start together all end up with the same key."""
    path = path or ring_path()
    if not path.exists():
        key = new_key()
        data = {
            "format": RING_FORMAT,
            "version": RING_VERSION,
            "primary": key.kid,
            "keys": [{"kid": key.kid, "key": key.secret, "created_at": key.created_at}],
        }
        temporary = _write_new_file(path, data)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: its key is the ring's
        finally:
            temporary.unlink()
    return load_ring(path)


def add_key(path: Path | None = None) -> DataKey:
    """A new key, which encrypts from now on; the older ones keep decrypting."""
    path = path or ring_path()
    with _locked(path):
        ring = ensure_ring(path)
        key = new_key(ring.keys)
        data = ring_data(ring)
        data["keys"].append({"kid": key.kid, "key": key.secret, "created_at": key.created_at})
        data["primary"] = key.kid
        _replace(path, data)
    return key


def remove_key(kid: str, path: Path | None = None) -> None:
    """Take a key out of the ring (the caller has checked that no value is left under it)."""
    path = path or ring_path()
    with _locked(path):
        ring = load_ring(path)
        if kid not in ring.keys:
            raise DataKeyMissing(f"the data-key ring at {path} has no key {kid}")
        if kid == ring.primary:
            raise DataKeyError(f"data key {kid} encrypts new values; add a new key first")
        data = ring_data(ring)
        data["keys"] = [k for k in data["keys"] if k["kid"] != kid]
        _replace(path, data)


def merge_ring(incoming: bytes, path: Path | None = None) -> KeyRing:
    """Add the keys of another ring file (a backup's) to this site's; the incoming primary
    becomes the primary, as the restored data was written with it. No key is ever dropped."""
    path = path or ring_path()
    other = _parse(Path("(backup)"), incoming)
    with _locked(path):
        try:
            mine = load_ring(path)
        except DataKeyMissing:
            _replace(path, ring_data(other))
            return load_ring(path)
        data = ring_data(mine)
        for kid, key in other.keys.items():
            if kid in mine.keys:
                if mine.keys[kid].secret != key.secret:
                    raise DataKeyError(
                        f"data key {kid} of the backup differs from the key of that id in "
                        f"{path}; keep both files and ask for help before going on"
                    )
                continue
            data["keys"].append({"kid": kid, "key": key.secret, "created_at": key.created_at})
        data["primary"] = other.primary
        _replace(path, data)
    return load_ring(path)


# --- Values ---------------------------------------------------------------------------------


def encrypt(text: str) -> str:
    return load_ring().encrypt(text) if text else text


def decrypt(stored: str) -> str:
    if not stored or not stored.startswith(PREFIX):
        return stored
    return load_ring().decrypt(stored)


def key_id(stored: str | None) -> str | None:
    """The id of the key a stored value is under, None for empty or plain text."""
    match = _STORED.match(stored or "")
    return match.group(1) if match else None


# --- Every encrypted column, and rewriting it -----------------------------------------------


def encrypted_fields(model) -> list:
    from .fields import EncryptedMixin

    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]


def encrypted_models() -> list[tuple[Any, list]]:
    """Every model (historical copies too) with encrypted columns, by table name."""
    from django.apps import apps

    found = [(m, encrypted_fields(m)) for m in apps.get_models() if not m._meta.proxy]
    return sorted(((m, f) for m, f in found if f), key=lambda mf: mf[0]._meta.db_table)


def rewrite_batches(
    model,
    fields: list,
    change: Callable[[str], str | None],
    *,
    batch_size: int = 500,
    using: str = "default",
) -> Iterator[tuple[int, int]]:
    """Pass over ``model``'s table in primary-key order, ``batch_size`` rows at a time, each
    batch in its own transaction; every non-empty value for which ``change`` gives a new stored
    value is replaced. Yields ``(rows read, values changed)`` after each committed batch.

    A value is replaced only if it is still what was read (``WHERE column = old``): one written
    meanwhile by a user is left as it is, already under the key in use. The raw columns are
    written directly: no history row, no ``updated_at``, as the text itself does not change.
    """
    connection = connections[using]
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    columns = [f.column for f in fields]
    read = f"SELECT {pk}, {', '.join(qn(c) for c in columns)} FROM {table}"  # noqa: S608
    first = f"{read} ORDER BY {pk} LIMIT %s"
    after = f"{read} WHERE {pk} > %s ORDER BY {pk} LIMIT %s"
    last: Any = None
    while True:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            if last is None:
                cursor.execute(first, [batch_size])
            else:
                cursor.execute(after, [last, batch_size])
            rows = cursor.fetchall()
            if not rows:
                return
            changed = 0
            for row in rows:
                for column, old in zip(columns, row[1:], strict=True):
                    if not old:
                        continue
                    new = change(old)
                    if new is None or new == old:
                        continue
                    cursor.execute(
                        f"UPDATE {table} SET {qn(column)} = %s "  # noqa: S608
                        f"WHERE {pk} = %s AND {qn(column)} = %s",
                        [new, row[0], old],
                    )
                    changed += cursor.rowcount
            last = rows[-1][0]
        yield len(rows), changed


def to_primary(ring: KeyRing) -> Callable[[str], str | None]:
    """For :func:`rewrite_batches`: a value under an older key (or plain) under the primary."""
    prefix = f"{PREFIX}{ring.primary}:"

    def change(old: str) -> str | None:
        return None if old.startswith(prefix) else ring.encrypt(ring.decrypt(old))

    return change


def to_plain(ring: KeyRing) -> Callable[[str], str | None]:
    """For :func:`rewrite_batches`: back to plain text (undoing the encrypting migration)."""

    def change(old: str) -> str | None:
        return ring.decrypt(old) if old.startswith(PREFIX) else None

    return change


def encrypt_table(model, *, using: str = "default", batch_size: int = 500) -> int:
    """Every value of ``model``'s encrypted columns under the primary key; the count changed."""
    ring = load_ring()
    fields = encrypted_fields(model)
    batches = rewrite_batches(model, fields, to_primary(ring), batch_size=batch_size, using=using)
    return sum(n for _rows, n in batches)


def decrypt_table(model, *, using: str = "default") -> int:
    ring = load_ring()
    fields = encrypted_fields(model)
    return sum(n for _rows, n in rewrite_batches(model, fields, to_plain(ring), using=using))


def values_by_key(model, fields: list, *, using: str = "default") -> Counter:
    """How many non-empty values of ``model`` are under each key id (``""``: plain text)."""
    connection = connections[using]
    qn = connection.ops.quote_name
    found: Counter = Counter()
    with connection.cursor() as cursor:
        for f in fields:
            column = qn(f.column)
            cursor.execute(
                f"SELECT CASE WHEN SUBSTR({column}, 1, 5) = %s THEN SUBSTR({column}, 6, 8) "  # noqa: S608
                f"ELSE '' END, COUNT(*) FROM {qn(model._meta.db_table)} "
                f"WHERE {column} IS NOT NULL AND {column} <> '' GROUP BY 1",
                [PREFIX],
            )
            for kid, n in cursor.fetchall():
                found[kid] += n
    return found
