"""The caller's address and the rate limits: the address comes from the proxies the site trusts,
never from what the caller writes, and the counts live in a cache every worker process shares."""

from __future__ import annotations

import multiprocessing
import socket

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory, override_settings

from pandu.conftest import PASSWORD
from pandu.core import ratelimit
from pandu.settings import caches_from_env

LOGIN = resolve_url("accounts:login")


def _request(remote: str = "10.9.9.9", forwarded: str | None = None):
    request = RequestFactory().get("/")
    request.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


# --- the address ------------------------------------------------------------------------------


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.PANDU_TRUSTED_PROXIES = 0
    assert ratelimit.client_ip(_request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"


def test_behind_one_proxy_the_address_is_the_one_the_proxy_appended(settings):
    settings.PANDU_TRUSTED_PROXIES = 1
    # The caller wrote "1.2.3.4, 5.6.7.8" itself; the proxy appended the address it saw.
    request = _request("10.0.0.2", "1.2.3.4, 5.6.7.8, 198.51.100.20")
    assert ratelimit.client_ip(request) == "198.51.100.20"


def test_behind_two_proxies_the_outer_proxys_entry_counts(settings):
    settings.PANDU_TRUSTED_PROXIES = 2
    request = _request("10.0.0.3", "6.6.6.6, 198.51.100.20, 10.0.0.2")
    assert ratelimit.client_ip(request) == "198.51.100.20"


def test_a_missing_or_garbled_header_behind_a_proxy_falls_back_to_the_connection(settings):
    settings.PANDU_TRUSTED_PROXIES = 1
    assert ratelimit.client_ip(_request("10.0.0.2")) == "10.0.0.2"
    assert ratelimit.client_ip(_request("10.0.0.2", "not-an-address")) == "10.0.0.2"


# --- login lockout (django-axes) --------------------------------------------------------------


def _sign_in(username: str, password: str, forwarded: str):
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.django_db
def test_behind_a_proxy_the_lockout_follows_the_callers_address(personas, settings):
    settings.PANDU_TRUSTED_PROXIES = 1
    for _ in range(5):
        _sign_in("operator_lappara", "tebak-tebak", "198.51.100.66")

    # The guesser is locked out, even when it writes another address in front.
    assert _sign_in("operator_lappara", PASSWORD, "198.51.100.66").status_code == 429
    assert _sign_in("operator_lappara", PASSWORD, "7.7.7.7, 198.51.100.66").status_code == 429
    # The operator at the village office, behind the same proxy, still signs in.
    assert _sign_in("operator_lappara", PASSWORD, "198.51.100.10").status_code == 302


# --- counting ---------------------------------------------------------------------------------


def test_a_limit_allows_its_tries_and_then_refuses():
    allowed = [ratelimit.hit("test.scope", "someone", limit=3, window=60) for _ in range(5)]
    assert allowed == [True, True, True, False, False]


def test_limits_of_different_callers_and_scopes_are_counted_apart():
    for _ in range(3):
        ratelimit.hit("test.scope", "someone", limit=3, window=60)
    assert ratelimit.hit("test.scope", "someone else", limit=3, window=60)
    assert ratelimit.hit("test.other", "someone", limit=3, window=60)


def test_the_cache_key_does_not_hold_the_identity():
    key = ratelimit.cache_key("registry.nik", "3173010101800001")
    assert "3173010101800001" not in key


def _count_in_child(caches: dict, hits: int, out) -> None:
    with override_settings(CACHES=caches):
        for _ in range(hits):
            ratelimit.hit("test.shared", "one caller", limit=1000, window=60)
        out.put(ratelimit.count("test.shared", "one caller"))


def _counts_from_two_workers(caches: dict) -> list[int]:
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    results = []
    for _ in range(2):  # one after the other, as two gunicorn workers would see them
        proc = ctx.Process(target=_count_in_child, args=(caches, 3, out))
        proc.start()
        results.append(out.get(timeout=60))
        proc.join(timeout=60)
    return results


def test_the_default_cache_is_shared_by_the_worker_processes(tmp_path):
    caches = caches_from_env({"PANDU_VAR_DIR": str(tmp_path)}, tmp_path)
    assert "LocMemCache" not in caches["default"]["BACKEND"]
    assert _counts_from_two_workers(caches) == [3, 6]


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_with_a_redis_url_the_counts_are_kept_in_redis(tmp_path):
    caches = caches_from_env({"CACHE_URL": "redis://127.0.0.1:6379/13"}, tmp_path)
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    import redis

    redis.Redis.from_url("redis://127.0.0.1:6379/13").flushdb()
    assert _counts_from_two_workers(caches) == [3, 6]


def test_an_unknown_cache_url_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured):
        caches_from_env({"CACHE_URL": "memcached://cache:11211"}, tmp_path)


def test_redis_url_still_selects_redis(tmp_path):
    caches = caches_from_env({"REDIS_URL": "redis://cache:6379/1"}, tmp_path)
    assert caches["default"]["LOCATION"] == "redis://cache:6379/1"


# --- the API ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_nik_check_is_limited_per_user_in_the_shared_count(personas, settings):
    from rest_framework.test import APIClient

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"nik_check": "3/minute"},
    }
    user = personas["front_office"]
    client = APIClient()
    client.force_authenticate(user)
    codes = [
        client.post("/api/v1/nik/check", {"nik": "7309134505900001"}, format="json").status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert ratelimit.count("api.nik_check", f"user:{user.pk}") == 4


def test_a_request_without_an_address_has_an_empty_one(settings):
    """Not a made-up word: django-axes stores the address in an IP column (PostgreSQL refuses
    anything else), e.g. for the test client's force_login."""
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert ratelimit.client_ip(request) == ""
