"""The letter-key ring: letters signed before a rotation, or before SECRET_KEY changed, still
verify; forged, altered and revoked ones do not."""

from __future__ import annotations

import uuid

import pytest
from django.core import signing
from django.core.management import call_command

from pandu.operations import actions, letterkeys
from pandu.operations.models import LetterKey

pytestmark = pytest.mark.django_db

PURPOSE = "referral-letter"
SALT = actions.LEGACY_SALTS[PURPOSE]
OLD_SECRET = "the-site-secret-before-it-leaked-" + "x" * 30
NEW_SECRET = "the-site-secret-after-rotation-" + "y" * 30


def _value() -> str:
    return uuid.uuid4().hex


def test_a_letter_signed_before_rotation_verifies_after_it_and_after_a_new_secret_key(settings):
    value = _value()
    token = letterkeys.sign(PURPOSE, value)
    old_kid = token.split(".")[0]

    new_key, replaced = actions.rotate_letter_key("yearly rotation")
    settings.SECRET_KEY = NEW_SECRET
    settings.SECRET_KEY_FALLBACKS = []

    assert replaced == [old_kid]
    assert letterkeys.unsign(PURPOSE, token) == value
    fresh = letterkeys.sign(PURPOSE, value)
    assert fresh.split(".")[0] == new_key.kid != old_kid
    assert letterkeys.unsign(PURPOSE, fresh) == value


def test_forged_and_altered_tokens_do_not_verify():
    value = _value()
    token = letterkeys.sign(PURPOSE, value)
    kid, _value_part, signature = token.split(".")
    other = _value()
    forged_signature = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    for bad in (
        f"{kid}.{other}.{signature}",  # another referral under a copied signature
        f"{kid}.{value}.{forged_signature}",
        f"ffffffff.{value}.{signature}",  # a key the ring does not hold
        f"{kid}.{value}",
        f"{kid}.{value}.{signature}.x",
        "",
        "a.b.c",
        value,
    ):
        assert letterkeys.unsign(PURPOSE, bad) is None, bad
    # The signature binds the purpose: a token for one kind of paper opens no other.
    assert letterkeys.unsign("receipt", token) is None
    # A signature made with a key of one's own, under the ring's key id, fails too.
    outsider = letterkeys._signature(letterkeys.new_secret(), PURPOSE, kid, other)
    assert letterkeys.unsign(PURPOSE, f"{kid}.{other}.{outsider}") is None


def test_a_revoked_key_verifies_nothing_and_a_new_key_signs_in_its_place():
    value = _value()
    token = letterkeys.sign(PURPOSE, value)
    kid = token.split(".")[0]

    actions.revoke_letter_key(kid, "copied off a stolen laptop")

    assert letterkeys.unsign(PURPOSE, token) is None
    current = letterkeys.current_key()
    assert current.kid != kid and current.revoked_at is None
    assert letterkeys.unsign(PURPOSE, letterkeys.sign(PURPOSE, value)) == value
    with pytest.raises(actions.KeyRingError):
        actions.revoke_letter_key("no-such-key")


def test_values_outside_base64url_are_refused():
    with pytest.raises(letterkeys.LetterKeyError):
        letterkeys.sign(PURPOSE, "7309/../x")


def test_an_empty_ring_gets_its_first_key_when_a_letter_is_signed():
    LetterKey.objects.all().delete()
    token = letterkeys.sign(PURPOSE, "abc")
    assert LetterKey.objects.filter(legacy=False).count() == 1
    assert letterkeys.unsign(PURPOSE, token) == "abc"


# --- Letters printed before the ring (signing.dumps with SECRET_KEY) ---------------------------


def _old_letter(value: str) -> str:
    return signing.dumps(value, salt=SALT, compress=True)


def test_an_old_letter_verifies_after_secret_key_changes_when_its_key_was_kept(settings):
    settings.SECRET_KEY = OLD_SECRET
    value = _value()
    token = _old_letter(value)
    actions.keep_legacy_letter_keys([OLD_SECRET])  # what the migration did on the site

    settings.SECRET_KEY = NEW_SECRET
    settings.SECRET_KEY_FALLBACKS = []

    assert letterkeys.unsign(PURPOSE, token, legacy_salt=SALT) == value
    # Without the legacy salt (another kind of paper) nothing is checked.
    assert letterkeys.unsign(PURPOSE, token) is None
    tampered = token.replace(token.split(":")[0], _old_letter(_value()).split(":")[0])
    assert letterkeys.unsign(PURPOSE, tampered, legacy_salt=SALT) is None


def test_an_old_letter_of_an_unkept_secret_key_fails_once_the_key_changed(settings):
    LetterKey.objects.filter(legacy=True).delete()
    settings.SECRET_KEY = OLD_SECRET
    token = _old_letter(_value())
    # Today's key still checks it (a site whose migration ran after the letter was printed) ...
    assert letterkeys.unsign(PURPOSE, token, legacy_salt=SALT) is not None
    settings.SECRET_KEY = NEW_SECRET
    settings.SECRET_KEY_FALLBACKS = []
    # ... a new key does not, unless the old one stays a fallback.
    assert letterkeys.unsign(PURPOSE, token, legacy_salt=SALT) is None
    settings.SECRET_KEY_FALLBACKS = [OLD_SECRET]
    assert letterkeys.unsign(PURPOSE, token, legacy_salt=SALT) is not None


def test_a_revoked_legacy_key_is_not_reached_through_the_current_secret_key(settings):
    settings.SECRET_KEY = OLD_SECRET
    token = _old_letter(_value())
    (kept,) = actions.keep_legacy_letter_keys([OLD_SECRET])
    actions.revoke_letter_key(kept.kid, "leaked")
    assert letterkeys.unsign(PURPOSE, token, legacy_salt=SALT) is None


def test_keeping_legacy_keys_twice_keeps_each_once():
    assert len(actions.keep_legacy_letter_keys([OLD_SECRET, NEW_SECRET])) == 2
    assert actions.keep_legacy_letter_keys([OLD_SECRET, NEW_SECRET]) == []


def test_legacy_keys_never_sign():
    actions.keep_legacy_letter_keys([OLD_SECRET])
    LetterKey.objects.filter(legacy=False).delete()
    assert not letterkeys.current_key().legacy


# --- The command -------------------------------------------------------------------------------


def test_the_command_rotates_lists_and_revokes_without_printing_a_key(capsys):
    value = _value()
    token = letterkeys.sign(PURPOSE, value)
    call_command("rotate_letter_key", "--note", "staff change")
    out = capsys.readouterr().out
    assert "signs from now on" in out
    assert letterkeys.unsign(PURPOSE, token) == value

    call_command("rotate_letter_key", "--list")
    listing = capsys.readouterr().out
    assert "signing" in listing and "retired" in listing and "staff change" in listing
    for key in LetterKey.objects.all():
        assert key.secret not in listing

    call_command("rotate_letter_key", "--revoke", token.split(".")[0])
    assert letterkeys.unsign(PURPOSE, token) is None
