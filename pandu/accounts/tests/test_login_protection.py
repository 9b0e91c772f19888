"""Login protection behind the documented reverse proxy (``PANDU_TRUSTED_PROXIES=1``): the
caller's address is the one the proxy appended to ``X-Forwarded-For``. Five wrong passwords
lock that account for that address only: the account's owner elsewhere and every other account
still sign in, and the attacker cannot pick another address by writing the header himself.
Guessing across many accounts from one address is stopped by the per-address count."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from pandu.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PROXY = "10.0.0.2"  # the site's own nginx: every request arrives from it
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.PANDU_TRUSTED_PROXIES = 1


def attempt(username: str, password: str, *, caller: str, forwarded: str | None = None):
    """A sign-in as the proxy forwards it: the caller's address appended to what it sent."""
    chain = f"{forwarded}, {caller}" if forwarded else caller
    return Client().post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=chain,
    )


def test_five_wrong_guesses_lock_the_account_for_the_guesser_only(personas):
    for _ in range(5):
        assert attempt("operator_lappara", "tebak-tebak", caller=ATTACKER).status_code in (
            200,
            429,
        )

    locked = attempt("operator_lappara", PASSWORD, caller=ATTACKER)
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan" in locked.content.decode()

    # The owner, at the office behind the same proxy, signs in as usual.
    assert attempt("operator_lappara", PASSWORD, caller=OWNER).status_code == 302
    # So do the other users, from anywhere (the attacker's address included).
    assert attempt("operator_bulu", PASSWORD, caller=OWNER).status_code == 302
    assert attempt("admin_maros", PASSWORD, caller=ATTACKER).status_code == 302


def test_a_forged_forwarded_header_does_not_give_the_attacker_a_new_address(personas):
    for n in range(5):
        attempt("operator_lappara", "tebak-tebak", caller=ATTACKER, forwarded=f"192.0.2.{n}")
    forged = attempt("operator_lappara", PASSWORD, caller=ATTACKER, forwarded=OWNER)
    assert forged.status_code == 429


def test_without_the_proxy_setting_every_caller_would_share_the_proxys_address(personas, settings):
    """Why the setting matters (docs/deploy.md): with it at 0 the proxy's own address is
    everyone's, and one attacker's guesses lock the account for its owner too."""
    settings.PANDU_TRUSTED_PROXIES = 0
    for _ in range(5):
        attempt("operator_lappara", "tebak-tebak", caller=ATTACKER)
    assert attempt("operator_lappara", PASSWORD, caller=OWNER).status_code == 429


def test_guessing_across_many_accounts_from_one_address_is_stopped(personas, settings):
    settings.PANDU_LOGIN_FAILURES_PER_ADDRESS = "8/15m"
    names = ["operator_lappara", "operator_bulu", "tksk_moncongloe", "head"]
    for n in range(8):
        attempt(names[n % len(names)], "tebak-tebak", caller=ATTACKER)

    stopped = attempt("social_worker", PASSWORD, caller=ATTACKER)
    assert stopped.status_code == 429
    assert "dari alamat ini" in stopped.content.decode()
    # Nobody else is stopped, and no account was locked for its owner.
    for username in names:
        assert attempt(username, PASSWORD, caller=OWNER).status_code == 302
