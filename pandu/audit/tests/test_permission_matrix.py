"""Who may use the audit pages, the access-log API and the "Tampilkan NIK" button: every URL
added with them has a rule here (core's matrix counts these rules).

The access log is read by the roles holding ``accesslog.view`` (the Dinas's administrator and the
auditor), each inside their own area; every other role gets the 404 of a page it may not open,
written to the log. "Tampilkan NIK" is a POST on one person: every role that sees the person may
ask it (it is logged as ``nik_reveal``); a person outside the caller's area or role is the logged
404 naming the record, and no reveal is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from pandu.accounts.roles import ROLE_CAPS, Cap
from pandu.conftest import PERSONAS, api_token
from pandu.core.models import AccessLog

pytestmark = pytest.mark.django_db

LOG_READERS = frozenset({"admin_maros", "admin_makassar", "auditor"})
# Roles that read the registry and whose area holds Moncongloe Lappara.
SEE_LAPPARA = frozenset(
    {
        "admin_maros",
        "operator_lappara",
        "tksk_moncongloe",
        "social_worker",
        "front_office",
        "auditor",
    }
)
LOGIN = resolve_url(settings.LOGIN_URL)


@dataclass(frozen=True)
class Rule:
    url: Callable[[dict], str]
    see: frozenset[str]
    method: str = "get"
    api: bool = False
    names_record: bool = False  # a refusal's log entry names the record asked for


def _person(world) -> str:
    return str(world["maros"].members.order_by("relationship").first().uid)


RULES: dict[str, Rule] = {
    "audit:access_log": Rule(lambda w: reverse("audit:access_log"), LOG_READERS),
    "audit:access_log_export": Rule(
        lambda w: reverse("audit:access_log_export") + "?format=csv", LOG_READERS
    ),
    "audit-api:access-log-list": Rule(
        lambda w: reverse("audit-api:access-log-list"), LOG_READERS, api=True
    ),
    "registry:person_nik_reveal": Rule(
        lambda w: reverse("registry:person_nik_reveal", args=[_person(w)]),
        SEE_LAPPARA,
        method="post",
        names_record=True,
    ),
}


def audit_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif p.name and namespace in ("audit:", "audit-api:"):
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_audit_url_has_a_rule():
    assert audit_url_names() == {n for n in RULES if n.startswith("audit")}


def test_the_log_readers_follow_the_role_table():
    assert {p for p, (role, _a) in PERSONAS.items() if Cap.VIEW_ACCESS_LOG in ROLE_CAPS[role]} == (
        LOG_READERS
    )


def _client(personas, who: str | None, *, api: bool):
    if api:
        client = APIClient()
        if who:
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(personas[who])}")
        return client
    client = Client()
    if who:
        client.force_login(personas[who])
    return client


@pytest.mark.parametrize("name", sorted(RULES))
def test_who_may_use_each_audit_url(name, families, personas):
    rule = RULES[name]
    url = rule.url(families)
    person = _person(families)
    failures = []

    anonymous = _client(personas, None, api=rule.api)
    code = getattr(anonymous, rule.method)(url).status_code
    if rule.api and code != 401:
        failures.append(f"anonymous: expected 401, got {code}")
    if not rule.api:
        response = getattr(anonymous, rule.method)(url)
        if response.status_code != 302 or not response["Location"].startswith(LOGIN):
            failures.append(f"anonymous: expected the login page, got {response.status_code}")

    for who in PERSONAS:
        user = personas[who]
        client = _client(personas, who, api=rule.api)
        reveals_before = AccessLog.objects.filter(kind=AccessLog.Kind.NIK_REVEAL).count()
        response = getattr(client, rule.method)(url)
        code = response.status_code
        reveals = AccessLog.objects.filter(kind=AccessLog.Kind.NIK_REVEAL).count() - reveals_before
        if who in rule.see:
            if code != 200:
                failures.append(f"{who}: expected 200, got {code}")
            if rule.method == "post" and reveals != 1:
                failures.append(f"{who}: {reveals} reveals logged, expected 1")
        else:
            denied = AccessLog.objects.filter(user=user, kind=AccessLog.Kind.DENIED)
            if rule.names_record:
                named = denied.filter(object_uid=person).exists()
                logged = named or denied.filter(detail__startswith="role lacks").exists()
            else:
                logged = denied.exists()
            if code != 404:
                failures.append(f"{who}: expected 404, got {code}")
            elif not logged:
                failures.append(f"{who}: 404 without an access-log row of kind 'denied'")
            if reveals:
                failures.append(f"{who}: a refused reveal was logged as a reveal")
        # The other method is not accepted.
        other = "get" if rule.method == "post" else "post"
        if who in rule.see:
            code = getattr(client, other)(url).status_code
            if code != 405:
                failures.append(f"{who}: {other.upper()} answered {code}, expected 405")
    assert not failures, "\n".join(failures)


def test_operator_of_another_village_is_refused_the_reveal_naming_the_person(families, personas):
    """Bulu's operator reads the registry but not Lappara: the refusal names the person."""
    person = _person(families)
    client = _client(personas, "operator_bulu", api=False)
    assert client.post(reverse("registry:person_nik_reveal", args=[person])).status_code == 404
    entry = AccessLog.objects.get(user=personas["operator_bulu"], kind=AccessLog.Kind.DENIED)
    assert entry.object_uid == person and entry.object_type == "person"
