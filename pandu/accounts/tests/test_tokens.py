"""API tokens: named, kept as a hash, expiring, revocable, listed with their last use; the plain
DRF tokens of an older database become hashed ones that keep working until they expire."""

from __future__ import annotations

import hashlib
import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pandu.accounts import actions
from pandu.accounts.models import ApiToken, UserChange
from pandu.conftest import api_token

pytestmark = pytest.mark.django_db

AREAS = "/api/v1/areas/"


def call(key: str, **headers):
    return Client().get(AREAS, HTTP_AUTHORIZATION=f"Token {key}", **headers)


def test_only_a_digest_of_the_key_is_stored(personas):
    key = api_token(personas["tksk_moncongloe"])
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values_list().get()]
    assert key not in stored
    assert token.prefix == key[:8]
    assert (token.expires_at - token.created_at).days == 90


def test_an_expired_token_is_refused(personas):
    key = api_token(personas["tksk_moncongloe"])
    assert call(key).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = call(key)
    assert response.status_code == 401
    assert "kedaluwarsa" in response.json()["detail"]


def test_a_revoked_token_is_refused_at_once(personas):
    user = personas["tksk_moncongloe"]
    key = api_token(user)
    actions.revoke_token(user, ApiToken.objects.get())
    assert call(key).status_code == 401
    assert UserChange.objects.filter(user=user, kind="token_revoked").exists()


def test_a_made_up_key_and_a_token_of_a_deactivated_user_are_refused(personas):
    user = personas["tksk_moncongloe"]
    key = api_token(user)
    assert call("pdu_" + "x" * 40).status_code == 401
    user.is_active = False
    user.save()
    assert call(key).status_code == 401


def test_the_last_use_is_noted_with_the_callers_address(personas, settings):
    settings.PANDU_TRUSTED_PROXIES = 1
    key = api_token(personas["tksk_moncongloe"])
    call(key, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    token = ApiToken.objects.get()
    assert token.last_used_from == "203.0.113.9"
    assert timezone.now() - token.last_used_at < timedelta(seconds=10)


def test_the_page_makes_a_token_shows_it_once_and_lists_the_users_tokens(personas):
    user = personas["social_worker"]
    client = Client()
    client.force_login(user)
    made = client.post(reverse("accounts:token_list"), {"name": "Aplikasi kasus", "days": 30})
    key = re.search(r'id="new-token">([^<]+)<', made.content.decode()).group(1)
    assert call(key).status_code == 200

    page = client.get(reverse("accounts:token_list")).content.decode()
    assert key not in page
    assert "Aplikasi kasus" in page and key[:8] in page
    token = ApiToken.objects.get(user=user)
    assert (token.expires_at - token.created_at).days == 30
    assert token.last_used_at is not None
    api_token(personas["front_office"])  # someone else's
    assert page.count("<code>pdu_") == 1


def test_the_owner_revokes_from_the_page_and_others_get_a_404(personas):
    user = personas["social_worker"]
    key = api_token(user)
    token = ApiToken.objects.get()
    url = reverse("accounts:token_revoke", args=[token.uid])
    stranger = Client()
    stranger.force_login(personas["front_office"])
    assert stranger.post(url).status_code == 404
    assert call(key).status_code == 200
    owner = Client()
    owner.force_login(user)
    assert owner.post(url).status_code == 302
    assert call(key).status_code == 401


def test_a_token_is_made_only_by_its_owner(personas):
    with pytest.raises(PermissionDenied):
        actions.issue_token(personas["operator_lappara"], name="x", actor=personas["admin_maros"])


class InTransaction:
    """What the migration uses of a schema editor, inside the test's transaction (SQLite's
    editor refuses to start inside one)."""

    connection = connection

    def quote_name(self, name: str) -> str:
        return connection.ops.quote_name(name)

    def execute(self, sql: str, params=()) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_plain_drf_tokens_become_hashed_tokens_that_keep_working(personas):
    """The migration of an older database: the plain ``authtoken_token`` rows become hashed
    ApiTokens, expiring in 90 days, and the plain table is dropped."""
    migration = importlib.import_module("pandu.accounts.migrations.0004_hash_drf_tokens")
    user = personas["tksk_moncongloe"]
    plain = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names():  # --nomigrations
            cursor.execute(
                "CREATE TABLE django_migrations (id integer PRIMARY KEY, app varchar(255), "
                "name varchar(255), applied timestamp)"
            )
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp NOT NULL, user_id bigint NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [plain, timezone.now(), user.pk],
        )
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            ["authtoken", "0001_initial", timezone.now()],
        )

    migration.hash_legacy_tokens(global_apps, InTransaction())

    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get(user=user)
    assert token.digest == hashlib.sha256(plain.encode()).hexdigest()
    assert 89 <= (token.expires_at - timezone.now()).days <= 90
    assert call(plain).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone()[0] == 0
