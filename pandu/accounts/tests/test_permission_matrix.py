"""Who may open the letterhead pages: the administrators, each for the office of their own area;
every other role gets a logged 404. Every ``accounts:`` URL but signing in and out is here."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from pandu.accounts import actions
from pandu.conftest import PERSONAS
from pandu.core.models import AccessLog

from .test_office import png

pytestmark = pytest.mark.django_db

ADMINS = {"admin_maros", "admin_makassar"}

#: URL name → who gets a 200 (each sees only their own area's office).
RULES: dict[str, set[str]] = {
    "accounts:office": ADMINS,
    "accounts:office_logo": ADMINS,
    "accounts:office_sample": ADMINS,
}


@pytest.fixture
def offices(personas, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    for who, name in (("admin_maros", "Dinsos Maros"), ("admin_makassar", "Dinsos Makassar")):
        user = personas[who]
        actions.save_office(
            user,
            user.area,
            fields={"name": name, "address": "Jl. Poros"},
            signers={},
            logo=SimpleUploadedFile("logo.png", png(), content_type="image/png"),
        )
    return personas


@pytest.mark.parametrize("name", sorted(RULES))
@pytest.mark.parametrize("who", sorted(PERSONAS))
def test_each_role_gets_the_letterhead_pages_it_may_use(offices, name, who):
    client = Client()
    client.force_login(offices[who])
    response = client.get(reverse(name))
    if who in RULES[name]:
        assert response.status_code == 200
        if name == "accounts:office":
            own = "Dinsos Maros" if who == "admin_maros" else "Dinsos Makassar"
            other = "Dinsos Makassar" if who == "admin_maros" else "Dinsos Maros"
            text = response.content.decode()
            assert own in text and other not in text
    else:
        assert response.status_code == 404
        assert AccessLog.objects.filter(kind="denied", user=offices[who]).exists()


def test_signed_out_visitors_are_sent_to_sign_in():
    for name in RULES:
        response = Client().get(reverse(name))
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


# --- Accounts, security and user administration --------------------------------------------
#
# The records: operator_lappara's account (in Maros) and one API token of it. Administrators and
# auditors see the accounts of their area; only the administrator of the account's area manages
# it; every other persona gets the logged 404 and nothing changes.

EVERYONE = frozenset(PERSONAS)
USER_READERS = frozenset({"admin_maros", "admin_makassar", "auditor"})
MAROS_USER_READERS = frozenset({"admin_maros", "auditor"})
MAROS_MANAGERS = frozenset({"admin_maros"})


def _target(personas):
    return personas["operator_lappara"]


def _deactivated(personas) -> None:
    from pandu.accounts.models import User

    User.objects.filter(pk=_target(personas).pk).update(is_active=False)


def _token(personas):
    from pandu.accounts.models import ApiToken

    return ApiToken.objects.get(user=_target(personas))


#: URL name → (URL, who gets a 200; every other signed-in persona a logged 404).
ACCOUNT_PAGES: dict[str, tuple] = {
    "accounts:security": (lambda p: reverse("accounts:security"), EVERYONE),
    "accounts:token_list": (lambda p: reverse("accounts:token_list"), EVERYONE),
    "accounts:password_change": (lambda p: reverse("accounts:password_change"), EVERYONE),
    "accounts:two_factor_enrol": (lambda p: reverse("accounts:two_factor_enrol"), EVERYONE),
    "accounts:user_list": (lambda p: reverse("accounts:user_list"), USER_READERS),
    "accounts:change_list": (lambda p: reverse("accounts:change_list"), USER_READERS),
    "accounts:user_create": (
        lambda p: reverse("accounts:user_create"),
        frozenset({"admin_maros", "admin_makassar"}),
    ),
    "accounts:user_detail": (
        lambda p: reverse("accounts:user_detail", args=[_target(p).uid]),
        MAROS_USER_READERS,
    ),
    "accounts:user_edit": (
        lambda p: reverse("accounts:user_edit", args=[_target(p).uid]),
        MAROS_MANAGERS,
    ),
    "accounts:user_password": (
        lambda p: reverse("accounts:user_password", args=[_target(p).uid]),
        MAROS_MANAGERS,
    ),
}

#: Pages anyone may open, signed in or not (asking for a reset, the answers of the reset).
PUBLIC_PAGES: dict[str, Callable] = {
    "accounts:password_reset": lambda p: reverse("accounts:password_reset"),
    "accounts:password_reset_done": lambda p: reverse("accounts:password_reset_done"),
    "accounts:password_reset_complete": lambda p: reverse("accounts:password_reset_complete"),
    "accounts:password_reset_confirm": lambda p: reverse(
        "accounts:password_reset_confirm", args=["MQ", "not-a-token"]
    ),
}

#: POST-only URL name → (URL, body, who succeeds (302, the state changes), what to prepare).
ACCOUNT_POSTS: dict[str, tuple] = {
    "accounts:user_deactivate": (
        lambda p: reverse("accounts:user_deactivate", args=[_target(p).uid]),
        {"reason": "pindah tugas"},
        MAROS_MANAGERS,
        None,
    ),
    "accounts:user_reactivate": (
        lambda p: reverse("accounts:user_reactivate", args=[_target(p).uid]),
        {"reason": "kembali bertugas"},
        MAROS_MANAGERS,
        _deactivated,
    ),
    "accounts:user_two_factor_reset": (
        lambda p: reverse("accounts:user_two_factor_reset", args=[_target(p).uid]),
        {"reason": "ponsel hilang"},
        MAROS_MANAGERS,
        None,
    ),
    "accounts:token_revoke": (
        lambda p: reverse("accounts:token_revoke", args=[_token(p).uid]),
        {},
        frozenset({"admin_maros", "operator_lappara"}),
        None,
    ),
}

#: The second factor's own pages: for a user without one, each sends them on (302) and changes
#: nothing; with a device they are tested in test_two_factor.py.
SECOND_FACTOR = {
    "accounts:two_factor_verify": ("get", lambda p: reverse("accounts:two_factor_verify")),
    "accounts:two_factor_recovery": ("post", lambda p: reverse("accounts:two_factor_recovery")),
    "accounts:two_factor_disable": ("post", lambda p: reverse("accounts:two_factor_disable")),
}


def _account_state(personas) -> tuple:
    from pandu.accounts.models import ApiToken, User, UserChange

    target = User.objects.get(pk=_target(personas).pk)
    return (
        target.is_active,
        target.two_factor_enabled,
        target.must_change_password,
        target.password,
        target.role,
        target.area_id,
        tuple(ApiToken.objects.values_list("revoked_at", flat=True)),
        UserChange.objects.count(),
    )


@pytest.fixture
def accounts_world(personas):
    from pandu.accounts.actions import issue_token

    issue_token(_target(personas), name="lapangan")
    return personas


@pytest.mark.parametrize("name", sorted(ACCOUNT_PAGES))
def test_each_role_gets_the_account_pages_it_may_use(accounts_world, name):
    url_of, allowed = ACCOUNT_PAGES[name]
    url = url_of(accounts_world)
    failures = []
    for who in sorted(PERSONAS):
        client = Client()
        client.force_login(accounts_world[who])
        code = client.get(url).status_code
        expected = 200 if who in allowed else 404
        if code != expected:
            failures.append(f"{who}: {code}, expected {expected}")
        elif (
            code == 404
            and not AccessLog.objects.filter(
                kind="denied", user=accounts_world[who], path=url
            ).exists()
        ):
            failures.append(f"{who}: 404 without a 'denied' access-log row")
    anonymous = Client().get(url)
    if anonymous.status_code != 302 or "/akun/masuk/" not in anonymous["Location"]:
        failures.append(f"anonymous: {anonymous.status_code}, expected the login page")
    assert not failures, f"GET {url}\n" + "\n".join(failures)


@pytest.mark.parametrize("name", sorted(PUBLIC_PAGES))
def test_the_password_reset_pages_are_open_to_everyone(accounts_world, name):
    url = PUBLIC_PAGES[name](accounts_world)
    assert Client().get(url).status_code == 200
    client = Client()
    client.force_login(accounts_world["partner"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", sorted(ACCOUNT_POSTS))
def test_who_may_post_to_each_account_action_and_refusals_change_nothing(accounts_world, name):
    url_of, body, allowed, prepare = ACCOUNT_POSTS[name]
    if prepare is not None:
        prepare(accounts_world)
    failures = []
    for who in sorted(PERSONAS, key=lambda w: w in allowed):  # refusals first
        url = url_of(accounts_world)
        if prepare is _deactivated and who == "operator_lappara":
            continue  # deactivated: signed out, like the anonymous visitor below
        client = Client()
        client.force_login(accounts_world[who])
        if client.get(url).status_code != 405:
            failures.append(f"{who}: GET is not refused with 405")
        before = _account_state(accounts_world)
        code = client.post(url, body).status_code
        changed = _account_state(accounts_world) != before
        if who in allowed:
            if code != 302 or not changed:
                failures.append(f"{who}: {code}, changed={changed}; expected 302 and a change")
            break  # the first success changes the record; the others were refused before
        if code != 404 or changed:
            failures.append(f"{who}: {code}, changed={changed}; expected 404 and no change")
    anonymous = Client().post(url_of(accounts_world), body)
    assert anonymous.status_code == 302 and "/akun/masuk/" in anonymous["Location"]
    assert not failures, f"POST {name}\n" + "\n".join(failures)


@pytest.mark.parametrize("name", sorted(SECOND_FACTOR))
def test_the_second_factor_pages_send_a_user_without_one_on(accounts_world, name):
    method, url_of = SECOND_FACTOR[name]
    url = url_of(accounts_world)
    for who in sorted(PERSONAS):
        client = Client()
        client.force_login(accounts_world[who])
        before = _account_state(accounts_world)
        response = getattr(client, method)(url)
        assert response.status_code == 302, who
        assert _account_state(accounts_world) == before
    assert Client().get(url).status_code in (302, 405)


def test_every_accounts_url_is_in_this_matrix():
    from pandu.accounts import urls

    names = {f"accounts:{p.name}" for p in urls.urlpatterns}
    covered = (
        set(RULES)
        | set(ACCOUNT_PAGES)
        | set(PUBLIC_PAGES)
        | set(ACCOUNT_POSTS)
        | set(SECOND_FACTOR)
        | {"accounts:login", "accounts:logout"}  # test_accounts.py
    )
    assert names == covered
