"""Accounts: creating users and API tokens from the command line, signing in and out, lockout."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.shortcuts import resolve_url
from django.test import Client

from pandu.accounts.models import ApiToken, User
from pandu.conftest import LAPPARA, PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = resolve_url("accounts:login")
HOME = resolve_url("portal:home")


def run(*args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def sign_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


# --- add_user -------------------------------------------------------------------------------


def test_add_user_creates_a_user_with_role_and_area_who_can_sign_in(areas):
    out, err = run("add_user", "rahma", role="operator", area=LAPPARA, password="Lappara-2026!")

    user = User.objects.get(username="rahma")
    assert (user.role, user.area_id) == ("operator", LAPPARA)
    assert "created rahma (operator" in out
    assert err == ""
    response = sign_in(Client(), "rahma", "Lappara-2026!")
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_add_user_without_a_password_gives_an_account_that_cannot_sign_in_yet(areas):
    run("add_user", "syamsul", role="tksk", area="73.09.13")
    assert not User.objects.get(username="syamsul").has_usable_password()


def test_add_user_notes_an_unusual_area_level_for_the_role(areas):
    _out, err = run("add_user", "rahma", role="operator", area="73.09")
    assert "usually works at another area level" in err
    assert User.objects.filter(username="rahma").exists()


def test_add_user_refuses_an_unknown_role_and_names_the_choices(areas):
    with pytest.raises(CommandError) as exc:
        run("add_user", "boss", role="kepala", area="73.09")
    assert "invalid choice: 'kepala'" in str(exc.value)
    assert "operator" in str(exc.value)
    assert not User.objects.filter(username="boss").exists()


def test_add_user_refuses_an_unknown_area_and_says_which(areas):
    with pytest.raises(CommandError) as exc:
        run("add_user", "rahma", role="operator", area="99.99.99.9999")
    assert "Kode wilayah tidak dikenal: 99.99.99.9999" in str(exc.value)
    assert not User.objects.filter(username="rahma").exists()


def test_add_user_refuses_a_username_already_taken(personas):
    with pytest.raises(CommandError) as exc:
        run("add_user", "operator_lappara", role="operator", area=LAPPARA)
    assert "Nama pengguna sudah dipakai" in str(exc.value)


# --- issue_token ----------------------------------------------------------------------------


def test_issued_token_opens_the_api_and_is_printed_once(personas):
    out, _err = run("issue_token", "operator_lappara", name="Aplikasi lapangan")
    key = out.strip()
    assert key.startswith("pdu_") and len(key) == 44

    response = Client().get("/api/v1/areas/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    assert Client().get("/api/v1/areas/").status_code == 401
    token = ApiToken.objects.get(user__username="operator_lappara")
    assert token.name == "Aplikasi lapangan" and key not in (token.digest, token.prefix)


def test_each_issue_token_is_a_new_token_and_renew_revokes_the_others(personas):
    first = run("issue_token", "operator_lappara")[0].strip()
    second = run("issue_token", "operator_lappara")[0].strip()
    assert first != second
    assert Client().get("/api/v1/areas/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 200
    renewed = run("issue_token", "operator_lappara", renew=True)[0].strip()
    for old in (first, second):
        assert Client().get("/api/v1/areas/", HTTP_AUTHORIZATION=f"Token {old}").status_code == 401
    assert Client().get("/api/v1/areas/", HTTP_AUTHORIZATION=f"Token {renewed}").status_code == 200


def test_issue_token_takes_a_validity_and_refuses_more_than_a_year(personas):
    run("issue_token", "operator_lappara", days=7)
    token = ApiToken.objects.get()
    assert (token.expires_at - token.created_at).days == 7
    with pytest.raises(CommandError, match="1 sampai 365 hari"):
        run("issue_token", "operator_lappara", days=400)


def test_issue_token_refuses_an_unknown_or_inactive_user(personas):
    with pytest.raises(CommandError, match="no active user 'nobody'"):
        run("issue_token", "nobody")
    User.objects.filter(username="partner").update(is_active=False)
    with pytest.raises(CommandError, match="no active user 'partner'"):
        run("issue_token", "partner")


# --- Signing in and out ---------------------------------------------------------------------


def test_login_page_shows_the_form(areas):
    response = Client().get(LOGIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Masuk ke Pandu" in page
    assert 'name="username"' in page and 'name="password"' in page


def test_login_with_the_right_password_goes_home_and_a_wrong_one_says_so(personas):
    client = Client()
    wrong = sign_in(client, "operator_lappara", "salah")
    assert wrong.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in wrong.content.decode()
    right = sign_in(client, "operator_lappara", PASSWORD)
    assert right.status_code == 302 and right["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_pages_send_anonymous_visitors_to_login_and_back(personas):
    client = Client()
    response = client.get(resolve_url("registry:household_list"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/registri/keluarga/"
    back = client.post(
        f"{LOGIN}?next=/registri/keluarga/",
        {"username": "operator_lappara", "password": PASSWORD, "next": "/registri/keluarga/"},
    )
    assert back["Location"] == "/registri/keluarga/"


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(personas):
    client = Client()
    for _ in range(5):
        assert sign_in(client, "operator_lappara", "tebak-tebak").status_code in (200, 429)

    locked = sign_in(client, "operator_lappara", PASSWORD)

    assert locked.status_code == 429
    assert "Terlalu banyak percobaan" in locked.content.decode()
    assert client.get(HOME).status_code == 302  # not signed in
    # Only that username is locked: a colleague at the same computer still gets in.
    assert sign_in(Client(), "operator_bulu", PASSWORD).status_code == 302


def test_four_wrong_passwords_do_not_lock_and_a_success_resets_the_count(personas):
    client = Client()
    for _ in range(4):
        sign_in(client, "operator_lappara", "tebak-tebak")
    assert sign_in(client, "operator_lappara", PASSWORD).status_code == 302
    client = Client()
    for _ in range(4):
        sign_in(client, "operator_lappara", "tebak-tebak")
    assert sign_in(client, "operator_lappara", PASSWORD).status_code == 302


def test_logout_is_a_post_and_ends_the_session(personas):
    client = Client()
    sign_in(client, "operator_lappara", PASSWORD)
    assert client.get(resolve_url("accounts:logout")).status_code == 405
    assert client.get(HOME).status_code == 200

    response = client.post(resolve_url("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert client.get(HOME).status_code == 302
