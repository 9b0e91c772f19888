"""Everything about programmes sits in one "Program" dropdown of the main menu: the pages of
programs and those targeting registers into it."""

import pytest
from django.urls import reverse

from pandu.core import menu

pytestmark = pytest.mark.django_db


def _dropdowns(user) -> dict[str, list[str]]:
    return {str(e.label): [link.url for link in e.links] for e in menu.for_user(user) if e.links}


def test_the_coordinator_finds_programmes_and_targeting_in_one_dropdown(personas):
    entries = menu.for_user(personas["admin_maros"])
    assert [str(e.label) for e in entries].count("Program") == 1
    links = _dropdowns(personas["admin_maros"])["Program"]
    for name in (
        "programs:catalogue",
        "programs:integrated_list",
        "programs:organisation_list",
        "targeting:run_list",
        "targeting:ruleset_list",
    ):
        assert reverse(name) in links, name
    assert links.index(reverse("programs:catalogue")) < links.index(reverse("targeting:run_list"))
    # No programme page is left on the menu bar itself.
    assert not any(e.url.startswith("/program/") for e in entries if not e.links)


def test_a_focal_point_is_offered_only_its_integrated_programmes(personas):
    links = _dropdowns(personas["partner"]).get("Program", [])
    assert links == [reverse("programs:integrated_list")]
