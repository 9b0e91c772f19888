"""The data-key ring and the encrypted fields (decision 0019): what goes into a column is
ciphertext naming its key, what comes out is the text; legacy plain text still reads; a missing
or wrong key is an error that names the key id and the ring's file, never a key."""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from django.core.exceptions import FieldError

from pandu.core import checks, crypto

TEXT = "Anak dipukul ayah tiri; ibu takut melapor. Rumah di belakang masjid, ĳ ✓"


def _secrets(path: Path) -> list[str]:
    return [k["key"] for k in json.loads(path.read_text())["keys"]]


def test_a_text_encrypts_to_a_token_naming_its_key_and_decrypts_back(data_ring):
    ring = crypto.load_ring()
    stored = crypto.encrypt(TEXT)
    assert stored.startswith(f"enc1:{ring.primary}:")
    assert crypto.key_id(stored) == ring.primary
    assert "Anak" not in stored and "masjid" not in stored
    assert crypto.decrypt(stored) == TEXT
    # A fresh IV each time: the same text never gives the same column value twice.
    assert crypto.encrypt(TEXT) != stored


def test_an_empty_text_stays_empty_and_legacy_plain_text_reads_as_it_is(data_ring):
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""
    assert crypto.decrypt("Catatan lama sebelum enkripsi") == "Catatan lama sebelum enkripsi"
    assert crypto.key_id("Catatan lama") is None


def test_a_value_under_a_key_the_ring_lacks_names_the_key_id_and_no_key(data_ring, tmp_path):
    stored = crypto.encrypt(TEXT)
    kid = crypto.key_id(stored)
    crypto.add_key()
    data = json.loads(data_ring.read_text())
    data["keys"] = [k for k in data["keys"] if k["kid"] != kid]
    data_ring.write_text(json.dumps(data))
    with pytest.raises(crypto.DataKeyMissing) as caught:
        crypto.decrypt(stored)
    message = str(caught.value)
    assert kid in message and str(data_ring) in message
    assert not any(secret in message for secret in _secrets(data_ring))


def test_a_changed_value_is_unreadable_rather_than_wrong(data_ring):
    stored = crypto.encrypt(TEXT)
    tampered = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    with pytest.raises(crypto.DataUnreadable):
        crypto.decrypt(tampered)


def test_no_ring_file_is_a_clear_error_naming_where_it_was_looked_for(settings, tmp_path):
    settings.PANDU_DATA_KEY_FILE = tmp_path / "nowhere" / "data-keys.json"
    with pytest.raises(crypto.DataKeyMissing, match="no data-key ring at .*nowhere"):
        crypto.encrypt(TEXT)


def test_the_ring_is_private_to_its_owner(settings, tmp_path):
    path = tmp_path / "keys" / "data-keys.json"
    crypto.ensure_ring(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    settings.PANDU_DATA_KEY_FILE = path
    assert checks.data_key_ring_private() == []
    path.chmod(0o644)
    assert [e.id for e in checks.data_key_ring_private()] == ["pandu.E002"]


def _first_key(path: str) -> str:
    return crypto.ensure_ring(Path(path)).primary


def test_processes_that_make_the_ring_together_all_get_the_same_key(tmp_path):
    path = str(tmp_path / "keys" / "data-keys.json")
    with ProcessPoolExecutor(4) as pool:
        kids = list(pool.map(_first_key, [path] * 8))
    assert len(set(kids)) == 1
    assert [k["kid"] for k in json.loads(Path(path).read_text())["keys"]] == kids[:1]
    assert not [p for p in os.listdir(tmp_path / "keys") if p.startswith(".")]


def test_a_new_key_encrypts_while_the_old_one_keeps_decrypting(data_ring):
    old = crypto.encrypt(TEXT)
    key = crypto.add_key()
    assert crypto.load_ring().primary == key.kid
    new = crypto.encrypt(TEXT)
    assert crypto.key_id(new) == key.kid != crypto.key_id(old)
    assert crypto.decrypt(old) == crypto.decrypt(new) == TEXT
    with pytest.raises(crypto.DataKeyError, match="encrypts new values"):
        crypto.remove_key(key.kid)
    crypto.remove_key(crypto.key_id(old))
    with pytest.raises(crypto.DataKeyMissing):
        crypto.decrypt(old)


def test_a_ring_changed_by_another_process_is_read_again(data_ring):
    before = crypto.load_ring().primary
    data = json.loads(data_ring.read_text())
    extra = crypto.new_key(k["kid"] for k in data["keys"])
    data["keys"].append({"kid": extra.kid, "key": extra.secret, "created_at": ""})
    data["primary"] = extra.kid
    data_ring.write_text(json.dumps(data))
    assert crypto.load_ring().primary == extra.kid != before


def test_keys_never_show_in_a_repr(data_ring):
    ring = crypto.load_ring()
    shown = repr(ring) + "".join(repr(k) for k in ring.keys.values())
    assert not any(secret in shown for secret in _secrets(data_ring))


def test_a_broken_ring_file_says_so_without_quoting_it(data_ring):
    data = json.loads(data_ring.read_text())
    data["keys"][0]["key"] = "not-a-key-" + data["keys"][0]["key"][:20]
    data_ring.write_text(json.dumps(data))
    with pytest.raises(crypto.DataKeyError, match="cannot be read") as caught:
        crypto.load_ring()
    assert data["keys"][0]["key"] not in str(caught.value)


@pytest.mark.django_db
def test_an_encrypted_column_cannot_be_searched_only_tested_for_empty(data_ring):
    from pandu.services.models import CaseNote, Intake

    assert list(Intake.objects.filter(resolution="")) == []
    assert list(Intake.objects.filter(resolution__isnull=True)) == []
    with pytest.raises(FieldError, match="encrypted"):
        list(Intake.objects.filter(description="Sakit"))
    with pytest.raises(FieldError):
        list(CaseNote.objects.filter(text__icontains="anak"))
