"""The audit tests' world: a family in Moncongloe Lappara (Maros) and one in Bontorannu
(Makassar), and access-log entries written in each regency through the real pages and actions."""

from __future__ import annotations

import pytest
from django.test import Client

from pandu.conftest import LAPPARA, MAKASSAR_VILLAGE


@pytest.fixture
def families(household_factory):
    return {
        "maros": household_factory(LAPPARA),
        "makassar": household_factory(MAKASSAR_VILLAGE),
    }


def signed_in(user, **extra) -> Client:
    client = Client(**extra)
    client.force_login(user)
    return client
