"""Several people save one person at the same moment, all from the same version: exactly one
change is written, every other one is told of it. Real requests in threads, each with its own
connection and transaction, on PostgreSQL: all of them are inside their transaction and about to
read the row before any reads it (a barrier holds them there), so only the row lock
(``SELECT ... FOR UPDATE``) keeps the check and the write of one from interleaving with another."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client

from pandu.conftest import LAPPARA, api_token, browser_data
from pandu.core import versions
from pandu.registry.forms import PersonForm
from pandu.registry.models import Person

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="SQLite runs one writer at a time for the whole database, so requests cannot "
        "race for a row there; the row lock is tested on PostgreSQL (DATABASE_URL=postgres://...)",
    ),
]

N = 4
EDITORS = ["admin_maros", "operator_lappara", "tksk_moncongloe", "social_worker"]


@pytest.fixture
def wife(household_factory) -> Person:
    return household_factory(LAPPARA).members.get(relationship=2)


@pytest.fixture
def at_once(monkeypatch):
    """Every request waits at the row's lock until all have come that far; the one that gets
    the row holds it a moment, so the others queue on it. Records the version each one read."""
    barrier = threading.Barrier(N, timeout=60)
    read: list[int] = []
    lock, check = versions.lock, versions.check

    def lock_together(record, changes=(), seen=None):
        barrier.wait()
        return lock(record, changes, seen)

    def check_slowly(record, changes, seen):
        read.append(record.version)
        time.sleep(0.2)
        return check(record, changes, seen)

    monkeypatch.setattr(versions, "lock", lock_together)
    monkeypatch.setattr(versions, "check", check_slowly)
    return read


def _race(send) -> list:
    """``send(i)`` in N threads at once; their responses in order."""
    responses: list = [None] * N
    errors: list = []

    def run(i: int) -> None:
        try:
            responses[i] = send(i)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return responses


def test_n_forms_from_one_version_give_one_save_and_n_minus_one_conflicts(personas, wife, at_once):
    clients, bodies = [], []
    for i, name in enumerate(EDITORS):
        client = Client()
        client.force_login(personas[name])
        clients.append(client)
        shown = PersonForm(instance=Person.objects.get(pk=wife.pk), versioned=True)
        body = browser_data(shown, full_name=f"Siti Aminah Versi {i}")
        body["reason"] = f"Koreksi {i}"
        bodies.append(body)
    url = resolve_url("registry:person_edit", wife.uid)

    responses = _race(lambda i: clients[i].post(url, bodies[i]))

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * (N - 1) + [302]
    winner = next(i for i, r in enumerate(responses) if r.status_code == 302)
    for r in responses:
        if r.status_code == 200:
            assert "Data ini sudah diubah orang lain sejak Anda membukanya" in r.content.decode()
    wife.refresh_from_db()
    assert (wife.full_name, wife.version) == (f"Siti Aminah Versi {winner}", 2)
    # The row lock made the others wait for the winner's commit: they read version 2.
    assert sorted(at_once) == [1] + [2] * (N - 1)
    latest = wife.history.order_by("-history_id").first()
    assert latest.history_user.username == EDITORS[winner]
    assert wife.history.count() == 2  # created, then the one change


def test_n_api_writes_with_one_etag_give_one_200_and_n_minus_one_412(personas, wife, at_once):
    clients = [Client(HTTP_AUTHORIZATION=f"Token {api_token(personas[name])}") for name in EDITORS]
    url = f"/api/v1/persons/{wife.uid}/"

    responses = _race(
        lambda i: clients[i].patch(
            url,
            {"birth_place": f"Tempat {i}", "reason": "Koreksi"},
            content_type="application/json",
            headers={"If-Match": '"1"'},
        )
    )

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [412] * (N - 1)
    winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
    for r in responses:
        if r.status_code == 412:
            body = r.json()
            assert body["version"] == 2
            assert [(c["field"], c["by"]) for c in body["changed"]] == [
                ("birth_place", EDITORS[winner])
            ]
    wife.refresh_from_db()
    assert (wife.birth_place, wife.version) == (f"Tempat {winner}", 2)
