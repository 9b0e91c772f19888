"""Every input of the main forms has a label a screen reader can announce: a ``<label for>``,
a wrapping ``<label>``, ``aria-label`` or ``aria-labelledby``."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _Fields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: list[dict] = []
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self._open_labels = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "label":
            self._open_labels += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and (a.get("type") or "text").lower() in UNLABELLED_TYPES:
                return
            a["_tag"] = tag
            a["_wrapped"] = self._open_labels > 0
            self.fields.append(a)

    def handle_endtag(self, tag):
        if tag == "label" and self._open_labels:
            self._open_labels -= 1


def unlabelled(html: str) -> list[str]:
    parser = _Fields()
    parser.feed(html)
    missing = []
    for f in parser.fields:
        if f["_wrapped"] or (f.get("aria-label") or "").strip():
            continue
        if f.get("aria-labelledby") and all(i in parser.ids for i in f["aria-labelledby"].split()):
            continue
        if f.get("id") and f["id"] in parser.label_for:
            continue
        missing.append(f"<{f['_tag']} name={f.get('name')!r} id={f.get('id')!r}>")
    return missing


def test_the_checker_finds_an_input_without_a_label():
    html = '<label for="a">A</label><input id="a"><input name="b"><select name="c"></select>'
    assert unlabelled(html) == ["<input name='b' id=None>", "<select name='c' id=None>"]


def _get(user, url) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_registry_and_proposal_forms_label_every_input(household_factory, personas):
    from pandu.proposals import actions as proposals

    hh = household_factory()
    operator = personas["operator_lappara"]
    batch = proposals.create_batch(
        operator, village="73.09.13.2003", meeting_date=hh.created_at.date()
    )
    found = {}
    for name, user, url in (
        ("household registration", operator, reverse("registry:household_create")),
        ("add member", operator, reverse("registry:member_add", args=[hh.uid])),
        ("new proposal", operator, reverse("proposals:batch_create")),
        (
            "proposal: new family",
            operator,
            reverse("proposals:item_add_household", args=[batch.uid]),
        ),
    ):
        missing = unlabelled(_get(user, url))
        if missing:
            found[name] = missing
    assert not found, found


def test_the_service_forms_label_every_input(world, make_case):
    from pandu.services import actions

    case = make_case()
    worker = world.users["social_worker"]
    actions.add_goal(worker, case, description="Berobat rutin", need_area="health")
    found = {}
    for name, user, url in (
        ("intake", world.users["front_office"], reverse("services:intake_create")),
        ("case plan", worker, reverse("services:case_detail", args=[case.uid])),
        ("referral", worker, reverse("services:referral_create", args=[case.uid])),
        ("closure", worker, reverse("services:case_close", args=[case.uid])),
    ):
        missing = unlabelled(_get(user, url))
        if missing:
            found[name] = missing
    assert not found, found
