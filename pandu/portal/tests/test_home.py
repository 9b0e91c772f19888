"""The front page shows the figures of the user's own area, and sensitive PPKS only to those who
need to know."""

from datetime import date

import pytest
from django.core.cache import cache
from django.shortcuts import resolve_url
from django.test import Client

from pandu.conftest import LAPPARA, MAKASSAR_VILLAGE, MANDAI_VILLAGE
from pandu.registry import actions
from pandu.registry.models import PPKSCategory


@pytest.fixture(autouse=True)
def _fresh_figures():
    cache.clear()
    yield
    cache.clear()


def _home(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _figures(response) -> dict:
    return response.context["figures"]


def test_the_front_page_counts_only_the_households_of_the_users_area(personas, household_factory):
    household_factory(LAPPARA)
    household_factory(MANDAI_VILLAGE)
    household_factory(MAKASSAR_VILLAGE)

    regency = _figures(_home(personas["admin_maros"]).get(resolve_url("portal:home")))
    village = _figures(_home(personas["operator_lappara"]).get(resolve_url("portal:home")))

    assert (regency["households"], regency["people"]) == (2, 4)
    assert (village["households"], village["people"]) == (1, 2)


def test_a_sensitive_ppks_is_counted_only_for_a_role_that_needs_to_know(
    personas, household_factory
):
    head = household_factory(LAPPARA).members.get(relationship=1)
    for number in (9, 19):  # disability; victim of violence (sensitive)
        actions.assign_ppks(
            personas["admin_maros"],
            category=PPKSCategory.objects.get(number=number),
            person=head,
            identified_on=date.today(),
            source="visit",
        )

    social_worker = _figures(_home(personas["social_worker"]).get(resolve_url("portal:home")))
    head_of_office = _figures(_home(personas["head"]).get(resolve_url("portal:home")))

    assert social_worker["ppks_total"] == 2
    assert head_of_office["ppks_total"] == 1
    assert [row["category__number"] for row in head_of_office["ppks_by_category"]] == [9]


def test_a_role_without_figures_gets_the_welcome_card(personas):
    response = _home(personas["partner"]).get(resolve_url("portal:home"))

    assert response.status_code == 200
    assert response.context["figures"] is None
    assert "Peran Anda tidak menampilkan data registri" in response.content.decode()
