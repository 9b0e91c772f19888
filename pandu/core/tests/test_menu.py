"""The main menu offers each role exactly the pages it may open.

Every role signs in, the home page's navigation bar is read like a browser would (every link in
``<nav>``), and every link is opened: each must answer 200, not a 404 the menu led the user into.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from pandu.accounts.roles import Role
from pandu.core import menu

# One persona per role; the demo office (load_demo) has one user per role too.
PERSONA_OF_ROLE = {
    Role.ADMIN: "admin_maros",
    Role.OPERATOR: "operator_lappara",
    Role.TKSK: "tksk_moncongloe",
    Role.SOCIAL_WORKER: "social_worker",
    Role.FRONT_OFFICE: "front_office",
    Role.PARTNER: "partner",
    Role.HEAD: "head",
    Role.AUDITOR: "auditor",
}


class NavLinks(HTMLParser):
    """The links inside ``<nav>``: (href, text) in page order, dropdown toggles left out."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "nav":
            self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href") or ""
            self._href = href if href and not href.startswith("#") else None
            self._text = []

    def handle_endtag(self, tag):
        if tag == "nav":
            self.depth -= 1
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)


def menu_links(client: Client) -> list[tuple[str, str]]:
    response = client.get("/")
    assert response.status_code == 200
    parser = NavLinks()
    parser.feed(response.content.decode())
    return parser.links


def signed_in(personas, username: str) -> Client:
    client = Client()
    client.force_login(personas[username])
    return client


def test_every_role_has_a_persona_whose_menu_is_tried():
    assert set(PERSONA_OF_ROLE) == set(Role.values)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(PERSONA_OF_ROLE))
def test_every_menu_link_of_the_role_opens(role, personas, household_factory):
    household_factory()  # the lists have a row to show
    client = signed_in(personas, PERSONA_OF_ROLE[role])
    links = menu_links(client)
    assert len(links) >= 2, links  # the home page and at least one page of work
    failures = []
    for href, text in links:
        response = client.get(href)
        if response.status_code != 200:
            failures.append(f"{text} ({href}): {response.status_code}")
    assert failures == []


@pytest.mark.django_db
def test_village_operator_is_not_offered_the_service_desk(personas):
    hrefs = {href for href, _text in menu_links(signed_in(personas, "operator_lappara"))}
    assert reverse("services:home") not in hrefs
    assert reverse("proposals:batch_list") in hrefs
    assert reverse("exchange:index") in hrefs
    assert reverse("dedup:pair_list") not in hrefs


@pytest.mark.django_db
def test_partner_is_offered_the_inbox_and_nothing_of_the_registry(personas):
    hrefs = {href for href, _text in menu_links(signed_in(personas, "partner"))}
    assert reverse("services:inbox") in hrefs
    assert not any(href.startswith("/registri/keluarga") for href in hrefs)
    assert reverse("registry:search") not in hrefs
    assert reverse("exchange:index") not in hrefs


@pytest.mark.django_db
def test_head_of_office_is_offered_the_service_dashboard_but_not_the_registry(personas):
    hrefs = {href for href, _text in menu_links(signed_in(personas, "head"))}
    assert reverse("services:dashboard") in hrefs
    assert reverse("registry:person_list") not in hrefs
    assert reverse("proposals:batch_list") not in hrefs


def test_every_registered_menu_item_names_a_page_and_a_known_section():
    sections = menu.sections()
    assert menu.items(), "no app registered a menu item"
    for item in menu.items():
        assert item.section is None or item.section in sections, item
        assert reverse(item.url_name).startswith("/"), item  # NoReverseMatch names a lost page
