"""Fixtures of the personal-data tests: a family in Moncongloe Lappara and one in Makassar,
a request received at a fixed moment, and the clock of Maros (Asia/Makassar, WITA)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pandu.conftest import MAKASSAR_VILLAGE

WITA = ZoneInfo("Asia/Makassar")


def wita(*args: int) -> datetime:
    """A moment of local time in Maros (UTC+8)."""
    return datetime(*args, tzinfo=WITA)


@pytest.fixture
def family(household_factory):
    """Muhammad Rahman (head) and Siti Aminah, Moncongloe Lappara."""
    return household_factory()


@pytest.fixture
def person(family):
    return family.members.get(relationship=1)


@pytest.fixture
def spouse(family):
    return family.members.get(relationship=2)


@pytest.fixture
def makassar_person(household_factory):
    return household_factory(village=MAKASSAR_VILLAGE).members.get(relationship=1)


@pytest.fixture
def receive(personas):
    """Receive a request as the front office (or ``by``), acknowledged and identity checked
    unless told otherwise."""
    from pandu.privacy import actions

    def make(person, kind="access", *, by=None, ready=True, **extra):
        user = by or personas["front_office"]
        data = {
            "channel": "walk_in",
            "requester": "self",
            "description": "Saya minta salinan data saya.",
        }
        data.update(extra)
        req = actions.receive_request(user, person, kind=kind, **data)
        if ready:
            req = actions.acknowledge_request(user, req, note="Tanda terima diserahkan di loket")
            req = actions.check_identity(user, req, method="ktp", verified=True)
        return req

    return make
