"""No page puts a NIK where a GET request would carry it: into an address it would end up in
browser history, proxy and server logs and the Referer header.

Every demo user walks the site from the home page and a few seed pages (intake with a chosen
person, registry search, person and household pages, a proposal, the exchange pages), following
each link, ``hx-get`` and GET form. The walk fails on
- a link or GET target that holds a 16-digit number, or a parameter named like a NIK or KK;
- a GET form (or an input that sends itself with ``hx-get``) with a field named like a NIK or KK,
  or with a field that finds a person when a NIK is typed into it (tried with a real NIK).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from pandu.accounts.models import User
from pandu.conftest import LAPPARA, make_kk, make_nik
from pandu.demo.management.commands.load_demo import DEMO_USERS

pytestmark = pytest.mark.django_db

NIK_LIKE = re.compile(r"(?<!\d)\d{16}(?!\d)")
NIK_NAME = re.compile(r"(^|[_\-.])(nik|kk|kk_number|no_kk)($|[_\-.])", re.I)
TEXT_TYPES = {"", "text", "search", "number", "tel"}
PAGES_PER_USER = 150
VISITS_PER_ROUTE = 2
# Files and sign-out: nothing to parse (downloads are not HTML; exports would be logged).
SKIP = re.compile(
    r"^/(static|media|api|i18n)/|/(keluar|unduh|tanda-terima|surat|lampiran|berita-acara|foto"
    r"|dokumen|hasil|laporan)/(\?|$)|[?&]format=(csv|xlsx)"
)
UNKNOWN_NIK = "7309010101010001"


class Page(HTMLParser):
    """Targets a browser would request with GET: links, ``hx-get`` and GET forms with inputs."""

    def __init__(self):
        super().__init__()
        self.targets: list[tuple[str, str]] = []  # (what, url)
        self.forms: list[dict] = []  # {"action", "inputs": [(name, type, value)], "where"}
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        for attr in ("href", "hx-get", "src"):
            if a.get(attr):
                self.targets.append((f"<{tag} {attr}>", a[attr]))
        if tag == "form":
            gets = (a.get("method", "get").lower() == "get" and "hx-post" not in a) or (
                "hx-get" in a
            )
            self._form = {
                "action": a.get("hx-get") or a.get("action", ""),
                "inputs": [],
                "get": gets,
                "where": "<form>",
            }
            self.forms.append(self._form)
            if gets:
                self.targets.append(("<form action>", self._form["action"]))
            return
        if tag in ("input", "select", "textarea") and a.get("name"):
            field = (
                a["name"],
                a.get("type", "").lower() if tag == "input" else tag,
                a.get("value", ""),
            )
            if "hx-get" in a:
                self.forms.append(
                    {"action": a["hx-get"], "inputs": [field], "get": True, "where": f"<{tag}>"}
                )
            elif self._form is not None:
                self._form["inputs"].append(field)
        if tag == "option" and self._form is not None and NIK_LIKE.search(a.get("value", "")):
            self._form["inputs"].append(("option", "hidden", a["value"]))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _route(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def _with_proposal_and_people():
    """A proposal with a new family (its NIKs are in the item), and the person to probe with."""
    from pandu.proposals import actions as proposals
    from pandu.registry.models import Person

    rahma = User.objects.get(username="rahma")
    batch = proposals.create_batch(
        rahma, village=LAPPARA, meeting_date=date.today() - timedelta(days=2)
    )
    born = date(1979, 4, 12)
    proposals.add_household_item(
        rahma,
        batch,
        household={"kk_number": make_kk("73.09.13", date(2019, 6, 1), 77), "rt": 3, "rw": 1},
        members=[
            {
                "nik": make_nik("73.09.13", born, "L", 77),
                "full_name": "Daeng Sikki",
                "sex": "L",
                "birth_date": born,
                "relationship": 1,
                "marital_status": 2,
            }
        ],
        reason="Musyawarah desa",
    )
    person = (
        Person.objects.filter(area_code=LAPPARA, status="active")
        .exclude(nik="")
        .select_related("household")
        .order_by("id")
        .first()
    )
    assert person is not None and person.household is not None
    return batch, person


def _seeds(batch, person) -> list[str]:
    from pandu.services.models import Intake, Referral

    seeds = [
        "/",
        "/layanan/pengaduan/baru/",
        f"/layanan/pengaduan/baru/?penduduk={person.uid}",
        "/registri/cari/",
        "/registri/penduduk/",
        "/registri/keluarga/",
        f"/registri/penduduk/{person.uid}/",
        f"/registri/keluarga/{person.household.uid}/",
        "/usulan/",
        f"/usulan/{batch.uid}/",
        f"/usulan/{batch.uid}/pilih/",
        *(f"/usulan/butir/{item.uid}/" for item in batch.items.all()),
        "/impor-ekspor/",
        "/impor-ekspor/ekspor/penduduk/",
        "/impor-ekspor/ekspor/keluarga/",
        "/duplikat/",
    ]
    seeds += [f"/layanan/pengaduan/{i.uid}/" for i in Intake.objects.order_by("id")[:3]]
    seeds += [f"/layanan/masuk/{r.uid}/" for r in Referral.objects.exclude(status="draft")[:2]]
    return seeds


def _finds(client: Client, action: str, name: str, value: str, person) -> bool:
    response = client.get(f"{action}?{urlencode({name: value})}")
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return False
    return person.full_name in response.content.decode()


def _answers_a_nik(client: Client, path: str, name: str, person) -> bool:
    return _finds(client, path, name, person.nik, person) and not _finds(
        client, path, name, UNKNOWN_NIK, person
    )


def _walk(user, seeds: list[str], person, probed: set[tuple[str, str]]) -> list[str]:
    """``probed``: (path, parameter) pairs already tried with a NIK, shared by all users."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    problems: list[str] = []
    queue = list(seeds)
    seen: set[str] = set()
    visits: Counter[str] = Counter()
    pages = 0
    while queue and pages < PAGES_PER_USER:
        url = queue.pop(0)
        parts = urlsplit(url)
        route = _route(parts.path)
        if url in seen or route is None or SKIP.search(url):
            continue
        seen.add(url)
        key = route + "?" + ",".join(sorted(k for k, _v in parse_qsl(parts.query)))
        if visits[key] >= VISITS_PER_ROUTE:
            continue
        visits[key] += 1
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        # A page that quietly answers a NIK sent by GET (a bookmark, a hand-typed address).
        for name in ("q", "nik"):
            if (parts.path, name) not in probed:
                probed.add((parts.path, name))
                if _answers_a_nik(client, parts.path, name, person):
                    problems.append(f"{user.username} {parts.path}: answers ?{name}=<NIK> by GET")
        page = Page()
        page.feed(response.content.decode())
        for what, target in page.targets:
            full = urljoin(url, target)
            split = urlsplit(full)
            if split.netloc not in ("", "testserver"):
                continue
            plain = unquote(split.path + "?" + split.query)
            if NIK_LIKE.search(plain):
                problems.append(f"{user.username} {url}: {what} {target!r} holds a NIK/KK")
            for name, value in parse_qsl(split.query):
                if NIK_NAME.search(name) and value:
                    problems.append(f"{user.username} {url}: {what} {target!r} sends {name}")
            if what != "<form action>" and split.path.startswith("/"):
                queue.append(split.path + (f"?{split.query}" if split.query else ""))
        for form in page.forms:
            if not form["get"]:
                continue
            action = urlsplit(urljoin(url, form["action"])).path
            for name, kind, value in form["inputs"]:
                where = f"{user.username} {url}: GET {form['where']} to {action}"
                if NIK_NAME.search(name):
                    problems.append(f"{where} has a field {name!r}")
                elif value and NIK_LIKE.search(value):
                    problems.append(f"{where} carries a NIK/KK in {name!r}")
                elif kind in TEXT_TYPES | {"textarea"} and (action, name) not in probed:
                    probed.add((action, name))
                    if _answers_a_nik(client, action, name, person):
                        problems.append(f"{where}: field {name!r} finds a person by NIK")
    return problems


def test_no_page_of_any_role_puts_a_nik_into_a_get_url(areas):
    call_command("load_demo", households=30, verbosity=0)
    batch, person = _with_proposal_and_people()
    seeds = _seeds(batch, person)
    problems: list[str] = []
    probed: set[tuple[str, str]] = set()
    for username, *_rest in DEMO_USERS:
        problems += _walk(User.objects.get(username=username), seeds, person, probed)
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_walk_catches_a_nik_link_a_nik_field_and_a_nik_search_by_get():
    page = Page()
    page.feed(
        '<a href="/registri/penduduk/?q=7309131703700011">x</a>'
        '<form method="get" action="/impor-ekspor/ekspor/persons/"><input name="nik"></form>'
        '<input name="q" hx-get="/layanan/cari-penduduk/">'
        '<form method="post" hx-post="/registri/cari/"><input name="q"></form>'
    )
    assert [t for t in page.targets if NIK_LIKE.search(t[1])]
    gets = [f for f in page.forms if f["get"]]
    assert [f["inputs"] for f in gets] == [[("nik", "", "")], [("q", "", "")]]
    assert len(page.forms) == 3
