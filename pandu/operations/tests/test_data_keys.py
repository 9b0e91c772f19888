"""Rotating the data key (``rotate_data_key``, decision 0019): every value ends under the new
key, the old key decrypts until then, an interrupted pass resumes without losing a row or a
user's change, a key is retired only when nothing is left under it; and a backup carries the
ring, so the notes of a restored copy read again."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import closing
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from pandu.core import crypto
from pandu.operations import backup, datakeys
from pandu.operations.tests.test_backup import empty_copy  # noqa: F401  (a fixture)
from pandu.registry import actions
from pandu.registry.models import PPKSAssignment, PPKSCategory

ON_SQLITE = connection.vendor == "sqlite"
NOTES = [f"Catatan kasus kekerasan nomor {n}, korban perempuan" for n in range(7)]


@pytest.fixture
def notes(personas, household_factory, data_ring) -> list[PPKSAssignment]:
    """Seven PPKS records with notes (and their history rows), under the ring's first key."""
    worker = personas["social_worker"]
    category = PPKSCategory.objects.get(number=19)
    made = []
    for note in NOTES:
        person = household_factory().members.get(relationship=1)
        made.append(
            actions.assign_ppks(
                worker,
                category=category,
                person=person,
                identified_on=date(2025, 3, 1),
                source="visit",
                note=note,
            )
        )
    return made


def _raw_notes() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM registry_ppksassignment ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def _read_notes() -> list[str]:
    return list(PPKSAssignment.objects.order_by("id").values_list("note", flat=True))


def _keys_in_use() -> set[str]:
    return {kid for kid, n in datakeys.totals().items() if n}


@pytest.mark.django_db
def test_a_rotation_re_encrypts_every_value_of_every_table_under_the_new_key(notes, capsys):
    old = crypto.load_ring().primary
    assert _keys_in_use() == {old}

    call_command("rotate_data_key")

    new = crypto.load_ring().primary
    assert new != old and "every value is under the newest key" in capsys.readouterr().out
    assert _keys_in_use() == {new}
    assert {crypto.key_id(v) for v in _raw_notes()} == {new}
    assert _read_notes() == NOTES
    history = PPKSAssignment.history.model.objects.order_by("history_id")
    assert [h.note for h in history] == NOTES
    # Nothing was re-saved through the model: no new history row, no new timestamp.
    assert history.count() == len(NOTES)
    call_command("rotate_data_key", "--retire", old)
    assert old not in crypto.load_ring().keys and _read_notes() == NOTES


@pytest.mark.django_db
def test_an_interrupted_rotation_reads_every_row_and_resumes_where_it_stopped(notes):
    old = crypto.load_ring().primary
    call_command("rotate_data_key", "--add-only")
    new = crypto.load_ring().primary
    ring = crypto.load_ring()
    passes = crypto.rewrite_batches(
        PPKSAssignment, crypto.encrypted_fields(PPKSAssignment), crypto.to_primary(ring),
        batch_size=3,
    )  # fmt: skip
    assert next(passes) == (3, 3)
    passes.close()  # the pass stops here (a crash, a kill), between two batches

    kids = [crypto.key_id(v) for v in _raw_notes()]
    assert kids == [new] * 3 + [old] * 4
    assert _read_notes() == NOTES  # both keys decrypt meanwhile
    with pytest.raises(CommandError, match="still under data key"):
        call_command("rotate_data_key", "--retire", old)

    call_command("rotate_data_key", "--resume")
    assert {crypto.key_id(v) for v in _raw_notes()} == {new}
    assert _read_notes() == NOTES
    call_command("rotate_data_key", "--retire", old)
    with pytest.raises(CommandError, match="encrypts new values"):
        call_command("rotate_data_key", "--retire", new)


@pytest.mark.django_db
def test_a_note_changed_during_the_pass_keeps_the_users_text(notes):
    crypto.add_key()
    ring = crypto.load_ring()
    target = notes[2]
    re_encrypt = crypto.to_primary(ring)

    def change(old: str) -> str | None:
        result = re_encrypt(old)
        if crypto.decrypt(old) == NOTES[2]:
            # The user saves the note between the pass's read and its write.
            PPKSAssignment.objects.filter(pk=target.pk).update(note="Diperbarui petugas")
        return result

    fields = crypto.encrypted_fields(PPKSAssignment)
    changed = sum(n for _rows, n in crypto.rewrite_batches(PPKSAssignment, fields, change))
    assert changed == len(NOTES) - 1
    assert PPKSAssignment.objects.get(pk=target.pk).note == "Diperbarui petugas"
    assert _read_notes() == [*NOTES[:2], "Diperbarui petugas", *NOTES[3:]]
    assert {crypto.key_id(v) for v in _raw_notes()} == {ring.primary}


@pytest.mark.django_db
def test_the_list_shows_ids_and_counts_never_a_key(notes, capsys, data_ring):
    call_command("rotate_data_key", "--add-only")
    capsys.readouterr()
    call_command("rotate_data_key", "--list")
    out = capsys.readouterr().out
    ring = crypto.load_ring()
    for kid in ring.keys:
        assert kid in out
    assert f"{ring.primary}\tencrypts" in out
    assert f"{len(NOTES) * 2} values" in out  # the records and their history rows
    assert not any(k["key"] in out for k in json.loads(data_ring.read_text())["keys"])


@pytest.mark.django_db
def test_a_rotation_without_a_ring_says_where_it_looked(settings, tmp_path):
    settings.PANDU_DATA_KEY_FILE = tmp_path / "none" / "data-keys.json"
    with pytest.raises(CommandError, match="no data-key ring at"):
        call_command("rotate_data_key", "--resume")


# --- Backups ----------------------------------------------------------------------------------

MARKED = "Korban perdagangan orang, dijemput di pelabuhan: catatan untuk cadangan"


def _committed(write):
    """``write`` run and committed where pg_dump's own connection sees it: on SQLite this test
    runs outside a transaction; on PostgreSQL a thread's connection commits it."""
    if ON_SQLITE:
        return write()
    result: list = []
    thread = threading.Thread(target=lambda: (result.append(write()), connection.close()))
    thread.start()
    thread.join()
    return result[0]


def _history_row():
    """A PPKS note's history row: a table without foreign-key constraints, so it is written
    alone and removed again without touching anything else."""
    from django.utils import timezone

    from pandu.registry.reference import load_reference_data

    # The 26 categories come from a data migration; a transactional test run before this
    # one may have flushed them.
    load_reference_data()
    model = PPKSAssignment.history.model
    row = model.objects.create(
        id=987654,
        category_id=PPKSCategory.objects.get(number=18).id,
        identified_on=date(2025, 2, 1),
        source="visit",
        note=MARKED,
        history_date=timezone.now(),
        history_type="+",
        created_at=timezone.now(),
    )
    return row.history_id


@pytest.mark.django_db(transaction=ON_SQLITE)
def test_a_backup_carries_the_ring_so_the_restored_notes_read_again(
    settings, tmp_path, data_ring, request
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    history_id = _committed(_history_row)
    request.addfinalizer(
        lambda: _committed(
            lambda: PPKSAssignment.history.model.objects.filter(history_id=history_id).delete()
        )
    )
    archive = tmp_path / "pandu.tar"
    manifest = backup.create_backup(archive)
    ring = crypto.load_ring()
    assert manifest["data_keys"] == sorted(ring.keys)
    assert "keys/data-keys.json" in manifest["files"]
    copy = request.getfixturevalue("empty_copy")
    copy.data_keys = tmp_path / "copy" / "keys" / "data-keys.json"
    report = backup.restore_backup(archive, site=copy)
    assert report["data_keys"] == len(ring.keys)
    assert oct(copy.data_keys.stat().st_mode & 0o777) == "0o600"

    query = "SELECT note FROM registry_historicalppksassignment WHERE history_id = %s"
    if copy.vendor == "sqlite":
        with closing(sqlite3.connect(copy.database["NAME"])) as conn:
            (raw,) = conn.execute(query.replace("%s", "?"), (history_id,)).fetchone()
    else:
        with backup.pg_connect(copy.database) as conn:
            (raw,) = conn.execute(query, (history_id,)).fetchone()
    assert raw.startswith("enc1:") and "perdagangan" not in raw
    assert crypto.load_ring(copy.data_keys).decrypt(raw) == MARKED
