"""Sessions end after 30 idle minutes and 12 hours after signing in (both configurable); a
page that refreshes itself does not keep a session alive."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from pandu.accounts.middleware import SEEN, STARTED
from pandu.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HOUSEHOLDS = reverse("registry:household_list")
LOGIN = reverse("accounts:login")


def signed_in(username: str = "operator_lappara") -> Client:
    client = Client()
    assert client.post(LOGIN, {"username": username, "password": PASSWORD}).status_code == 302
    assert client.get(HOUSEHOLDS).status_code == 200
    return client


def shift(client: Client, *, started: int = 0, seen: int = 0) -> None:
    """Move the session's clocks back by so many seconds."""
    session = client.session
    session[STARTED] = session[STARTED] - started
    session[SEEN] = session[SEEN] - seen
    session.save()


def test_a_session_idle_for_more_than_30_minutes_ends(personas):
    client = signed_in()
    shift(client, seen=31 * 60)

    response = client.get(HOUSEHOLDS)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={HOUSEHOLDS}"
    assert client.get(HOUSEHOLDS)["Location"].startswith(LOGIN)  # signed out for good
    page = client.get(LOGIN)
    assert "lama tidak aktif" in page.content.decode()


def test_activity_keeps_the_session_and_29_idle_minutes_are_fine(personas):
    client = signed_in()
    shift(client, seen=29 * 60)
    assert client.get(HOUSEHOLDS).status_code == 200
    assert abs(client.session[SEEN] - time.time()) < 5  # the clock was moved forward


def test_a_session_ends_12_hours_after_signing_in_however_busy(personas):
    client = signed_in()
    shift(client, started=12 * 3600 + 60)
    response = client.get(HOUSEHOLDS)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_the_limits_come_from_the_settings(personas, settings):
    settings.PANDU_SESSION_IDLE_MINUTES = 5
    settings.PANDU_SESSION_MAX_HOURS = 1
    client = signed_in()
    shift(client, seen=6 * 60)
    assert client.get(HOUSEHOLDS).status_code == 302
    other = signed_in()
    shift(other, started=3601)
    assert other.get(HOUSEHOLDS).status_code == 302


def test_a_self_refreshing_page_does_not_count_as_activity(personas):
    client = signed_in()
    shift(client, seen=10 * 60)
    before = client.session[SEEN]
    bell = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert bell.status_code == 200
    assert client.session[SEEN] == before
    shift(client, seen=21 * 60)
    ended = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert ended.status_code == 204 and ended["HX-Redirect"] == LOGIN  # the whole page goes


def test_an_api_call_on_an_ended_session_is_a_401(personas):
    client = signed_in()
    assert client.get("/api/v1/areas/").status_code == 200
    shift(client, seen=31 * 60)
    response = client.get("/api/v1/areas/")
    assert response.status_code == 401
    assert "tidak aktif" in response.json()["detail"]


def test_a_session_made_by_force_login_gets_its_clocks_on_the_first_request(personas):
    client = Client()
    client.force_login(personas["head"])
    assert client.get(reverse("portal:home")).status_code == 200
    assert abs(client.session[STARTED] - time.time()) < 5
