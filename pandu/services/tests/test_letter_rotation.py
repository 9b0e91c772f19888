"""A printed referral letter's QR link outlives a key rotation and a new SECRET_KEY; a forged
link does not open (decision 0018)."""

from __future__ import annotations

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from pandu.operations import actions as key_actions
from pandu.services import public

from .test_views import _referral

pytestmark = pytest.mark.django_db

NEW_SECRET = "a-new-site-secret-after-a-leak-" + "z" * 30


def _page(token: str):
    return Client().get(reverse("services:public_letter", args=[token]))


def test_a_letter_printed_before_rotation_and_a_new_secret_key_still_verifies(
    world, make_case, settings
):
    referral = _referral(world, make_case())
    printed = public.letter_token(referral)

    key_actions.rotate_letter_key("yearly rotation")
    settings.SECRET_KEY = NEW_SECRET
    settings.SECRET_KEY_FALLBACKS = []

    response = _page(printed)
    assert response.status_code == 200
    assert 'data-letter="valid"' in response.content.decode()
    assert referral.number in response.content.decode()
    assert public.letter_token(referral) != printed  # new letters carry the new key


def test_a_forged_letter_link_is_not_found(world, make_case):
    referral, other = _referral(world, make_case()), _referral(world, make_case())
    kid, _uid, signature = public.letter_token(referral).split(".")
    # Another referral's id under this letter's signature, and a made-up signature.
    assert _page(f"{kid}.{other.uid.hex}.{signature}").status_code == 404
    assert _page(f"{kid}.{referral.uid.hex}.{'A' * len(signature)}").status_code == 404
    # The old kind of token, signed with a key that is not the site's.
    forged = signing.dumps(referral.uid.hex, key="guessed", salt=public.LETTER_SALT)
    assert _page(forged).status_code == 404


def test_a_letter_printed_before_the_key_ring_verifies_after_secret_key_changes(
    world, make_case, settings
):
    referral = _referral(world, make_case())
    old_token = signing.dumps(referral.uid.hex, salt=public.LETTER_SALT, compress=True)
    key_actions.keep_legacy_letter_keys([settings.SECRET_KEY])  # done by the migration

    settings.SECRET_KEY = NEW_SECRET
    settings.SECRET_KEY_FALLBACKS = []

    assert 'data-letter="valid"' in _page(old_token).content.decode()
