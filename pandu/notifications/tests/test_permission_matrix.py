"""Who may open each notification URL: every ``notifications:`` and ``notifications-api:`` URL has
a rule here (core's matrix counts these rules).

A notification is its addressee's alone, whatever the role: every persona sees its own list and
bell; another user's notification answers 404 (logged, naming it) and a refused POST marks
nothing read. Signed out, pages lead to the login page and the API answers 401.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from pandu.conftest import PERSONAS, api_token
from pandu.core.models import AccessLog
from pandu.notifications import actions
from pandu.notifications.models import Notification

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(PERSONAS)
OWNER = "operator_lappara"


@dataclass(frozen=True)
class Rule:
    url: Callable[[Notification], str]
    get: frozenset[str] = frozenset()  # GET answers 200 (or 302 for "open") to these
    post: frozenset[str] = frozenset()  # POST succeeds for these; a GET answers 405
    own: bool = False  # one notification's URL: 404 (logged) to everyone but its owner
    api: bool = False


def web(name: str, *, own: bool = False):
    return lambda n: reverse(f"notifications:{name}", args=[n.uid] if own else [])


def api(name: str, *, own: bool = False):
    return lambda n: reverse(f"notifications-api:{name}", args=[n.uid] if own else [])


RULES: dict[str, Rule] = {
    "notifications:list": Rule(web("list"), get=EVERYONE),
    "notifications:bell": Rule(web("bell"), get=EVERYONE),
    "notifications:open": Rule(web("open", own=True), get=frozenset({OWNER}), own=True),
    "notifications:read": Rule(web("read", own=True), post=frozenset({OWNER}), own=True),
    "notifications:read_all": Rule(web("read_all"), post=EVERYONE),
    "notifications-api:notification-list": Rule(api("notification-list"), get=EVERYONE, api=True),
    "notifications-api:notification-detail": Rule(
        api("notification-detail", own=True), get=frozenset({OWNER}), own=True, api=True
    ),
    "notifications-api:notification-read": Rule(
        api("notification-read", own=True), post=frozenset({OWNER}), own=True, api=True
    ),
    "notifications-api:notification-read-all": Rule(
        api("notification-read-all"), post=EVERYONE, api=True
    ),
}


@pytest.fixture
def note(personas) -> Notification:
    """One unread notification for every persona; the one the rules point at is Bu Rahma's."""
    for who in PERSONAS:
        actions.notify([personas[who]], "test", f"Pemberitahuan untuk {who}", url="/")
    return Notification.objects.get(user=personas[OWNER])


def _client(personas, who: str, *, api_: bool):
    if api_:
        client = APIClient()
        if who:
            token = api_token(personas[who])
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client
    client = Client()
    if who:
        client.force_login(personas[who])
    return client


def _unread() -> set[str]:
    return set(
        Notification.objects.filter(read_at__isnull=True).values_list("user__username", flat=True)
    )


def _denied(user, url: str, note: Notification) -> bool:
    return AccessLog.objects.filter(
        user=user, kind=AccessLog.Kind.DENIED, path=url, object_uid=str(note.uid)
    ).exists()


def notification_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif p.name and namespace in ("notifications:", "notifications-api:"):
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_notification_url_has_a_rule():
    assert notification_url_names() == set(RULES)


@pytest.mark.parametrize("name", sorted(RULES))
def test_who_may_use_each_notification_url(name, note, personas):
    rule = RULES[name]
    url = rule.url(note)
    failures = []
    anonymous = _client(personas, "", api_=rule.api)
    code = (anonymous.post if rule.post else anonymous.get)(url).status_code
    if rule.api and code != 401:
        failures.append(f"anonymous: expected 401, got {code}")
    elif not rule.api and name == "notifications:bell" and code != 204:
        failures.append(f"anonymous: the bell answers 204, got {code}")
    elif not rule.api and name != "notifications:bell" and code != 302:
        failures.append(f"anonymous: expected the login page, got {code}")
    for who in PERSONAS:
        user = personas[who]
        client = _client(personas, who, api_=rule.api)
        if rule.get:
            response = client.get(url)
            code = response.status_code
            if who in rule.get:
                ok = code == (302 if name == "notifications:open" else 200)
                text = response.content.decode()
                if ok and rule.api and "detail" not in name:
                    titles = [r["title"] for r in response.json()["results"]]
                    ok = titles == [f"Pemberitahuan untuk {who}"]
                elif ok and name == "notifications:list":
                    ok = f"untuk {who}<" in text and text.count("Pemberitahuan untuk ") == 1
            else:
                ok = code == 404 and _denied(user, url, note)
            if not ok:
                failures.append(f"{who}: GET answered {code}")
        if rule.post:
            Notification.objects.update(read_at=None)
            code = client.post(url).status_code
            if who in rule.post:
                ok = code in (200, 302) and _unread() == set(PERSONAS) - {who}
            else:
                ok = code == 404 and _denied(user, url, note) and _unread() == set(PERSONAS)
            if not ok:
                failures.append(f"{who}: POST answered {code}, unread now {sorted(_unread())}")
            # Every signed-in user may mark their own notifications read: 405 before any lookup.
            if not rule.api and client.get(url).status_code != 405:
                failures.append(f"{who}: GET on a POST-only URL did not answer 405")
    assert not failures, f"{name} {url}\n" + "\n".join(failures)
