"""Rotating the data-key ring of the encrypted columns (decision 0019; ``core.crypto``).

A rotation is two steps that can be taken apart: a new key is added to the ring's file and
encrypts from then on, then every value still under an older key (or still plain text) is
re-encrypted under it, table by table, a batch per transaction. Until the old key is retired
it keeps decrypting, so pages read every row throughout. An interrupted pass loses nothing (each
batch is committed whole, or not at all) and is simply run again: it skips what is done.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from pandu.core import crypto

Say = Callable[[str], None]


def _quiet(_text: str) -> None:
    return None


@dataclass
class Pass:
    """What one re-encryption pass did."""

    primary: str
    rows: int = 0
    changed: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    left: Counter = field(default_factory=Counter)


def values_by_key(using: str = "default") -> dict[str, Counter]:
    """Per table, how many values are under each key id (``""``: plain text)."""
    return {
        model._meta.db_table: crypto.values_by_key(model, fields, using=using)
        for model, fields in crypto.encrypted_models()
    }


def totals(using: str = "default") -> Counter:
    found: Counter = Counter()
    for counts in values_by_key(using).values():
        found.update(counts)
    return found


def reencrypt(*, batch_size: int = 500, using: str = "default", say: Say = _quiet) -> Pass:
    """Every value not under the primary key re-encrypted under it; ``left`` counts the values
    still under another key afterwards (written meanwhile by a process that had not yet seen
    the new key: on another machine whose ring file was not copied)."""
    ring = crypto.load_ring()
    done = Pass(primary=ring.primary)
    change = crypto.to_primary(ring)
    for model, fields in crypto.encrypted_models():
        table = model._meta.db_table
        changed = 0
        for rows, n in crypto.rewrite_batches(
            model, fields, change, batch_size=batch_size, using=using
        ):
            done.rows += rows
            changed += n
        done.tables[table] = changed
        done.changed += changed
        say(f"{table}: {changed} values re-encrypted")
    left = totals(using)
    done.left = Counter({kid: n for kid, n in left.items() if kid != ring.primary and n})
    return done


def retire(kid: str, using: str = "default") -> None:
    """Take ``kid`` out of the ring, refused while a value is still under it."""
    ring = crypto.load_ring()
    if kid not in ring.keys:
        raise crypto.DataKeyMissing(f"the data-key ring has no key {kid}")
    if kid == ring.primary:
        raise crypto.DataKeyError(f"data key {kid} encrypts new values: rotate first")
    still = totals(using).get(kid, 0)
    if still:
        raise crypto.DataKeyError(
            f"{still} values are still under data key {kid}: run rotate_data_key --resume first"
        )
    crypto.remove_key(kid)
