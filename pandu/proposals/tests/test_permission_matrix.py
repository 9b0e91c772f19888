"""Who may use each page and API endpoint of the update cycle: every ``proposals:`` and
``proposals-api:`` URL has a rule here (``WEB`` and ``API``; ``pandu/core/tests/
test_permission_matrix.py`` counts them as the rules of these namespaces).

The records live in Moncongloe Lappara (73.09.13.2003), built through ``proposals.actions``: a
submitted batch with a pending item, a verified item (with a visit photo), an approved item whose
household changed since the proposal, and an approved move to Kota Makassar waiting for its
handover; and a draft batch with one new family. Operator Bulu and the administrator of Makassar
read proposals in their own areas only.

For each URL, every persona and an anonymous visitor: who gets the page (and sees the record in
it), who gets a 404 (pages; the API answers 403 or 404, and always 404 to whoever may not see the
record), that each 404 leaves an access-log row of kind ``denied`` (naming the record when it lies
outside the user's area), that POST-only URLs answer 405 to a GET, who may POST, and that a refused
POST changes nothing: the proposal rows, their history and the registry's rows stay as they were.
Each persona's POST runs in a savepoint rolled back afterwards, so everyone meets the same world.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.template.base import Template
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from rest_framework.test import APIClient

from pandu.accounts.roles import ROLE_CAPS, Cap
from pandu.conftest import (
    LAPPARA,
    MAKASSAR_VILLAGE,
    PERSONAS,
    api_token,
    browser_data,
    close_quietly,
    make_kk,
    make_nik,
)
from pandu.core.models import AccessLog
from pandu.proposals import actions
from pandu.proposals.models import (
    Handover,
    ItemStatus,
    ItemSubject,
    ProposalBatch,
    ProposalItem,
)
from pandu.proposals.payloads import verification_subjects
from pandu.registry import actions as registry
from pandu.registry.forms import HouseholdForm, MemberFormSet
from pandu.registry.models import Household, Membership, Person, PPKSAssignment

from .conftest import JPEG_BYTES, PDF_BYTES, confirm_all, minutes_pdf, new_family, photo_jpeg

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
WHO = [*PERSONAS, ANONYMOUS]
EVERYONE = frozenset(PERSONAS)
# Roles that read proposals (registry.view), and those of them whose area holds Lappara.
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
OUTSIDE = frozenset({"operator_bulu", "admin_makassar"})
READERS = SEE_LAPPARA | OUTSIDE
PROPOSERS = frozenset({"operator_lappara", "operator_bulu", "front_office"})
VERIFIERS = frozenset({"tksk_moncongloe", "social_worker"})
DECIDERS = frozenset({"admin_maros", "admin_makassar"})
FIGURE_READERS = EVERYONE - {"partner"}
# The handover from Lappara to Makassar: the origin's readers and the destination's decider.
SEE_HANDOVER = SEE_LAPPARA | {"admin_makassar"}
PROPOSE_LAPPARA = PROPOSERS & SEE_LAPPARA
VERIFY_LAPPARA = VERIFIERS & SEE_LAPPARA
DECIDE_LAPPARA = DECIDERS & SEE_LAPPARA
# Conflicts (a record changed since the proposal) are settled by a verifier or a decider.
RESOLVE_LAPPARA = VERIFY_LAPPARA | DECIDE_LAPPARA

MONCONGLOE = "73.09.13"
NUMBER = {name: i for i, name in enumerate(WHO)}


# --- The records every rule points at -------------------------------------------------------


@dataclass
class World:
    hh: Household  # subject of the pending item
    hh_verified: Household
    hh_stale: Household
    hh_moving: Household
    submitted: ProposalBatch  # submitted by Bu Rahma, with the four items below
    pending: ProposalItem  # waits for the TKSK's visit
    verified: ProposalItem  # visited (with a photo), waits for the decision
    stale: ProposalItem  # approved, but the office changed the address meanwhile
    moving: ProposalItem  # approved move to Makassar, waiting for the handover
    handover: Handover
    draft: ProposalBatch  # still a draft, with one new family
    draft_item: ProposalItem

    def name(self, household: Household) -> str:
        return household.head().full_name


@pytest.fixture
def world(personas, household_factory, batch_factory) -> World:
    rahma = personas["operator_lappara"]
    syamsul = personas["tksk_moncongloe"]
    admin = personas["admin_maros"]
    hh, hh_verified, hh_moving = (household_factory(LAPPARA) for _ in range(3))
    hh_stale = household_factory(LAPPARA, address="Dusun Lama")

    submitted = batch_factory(rahma)
    pending = actions.add_household_change_item(rahma, submitted, hh, {"rt": 7}, reason="RT baru")
    verified = actions.add_household_change_item(
        rahma, submitted, hh_verified, {"rt": 8}, reason="RT baru"
    )
    stale = actions.add_household_change_item(
        rahma, submitted, hh_stale, {"address": "Dusun Bontoa"}, reason="Alamat baru"
    )
    moving = actions.add_move_item(
        rahma, submitted, hh_moving, village=MAKASSAR_VILLAGE, rt=4, rw=2, reason="Ikut suami"
    )
    actions.submit_batch(rahma, submitted)
    for item in (verified, stale, moving):
        photo = photo_jpeg() if item is verified else None
        actions.verify_item(syamsul, item, results=confirm_all(item), photo=photo)
    registry.update_household(admin, hh_stale, {"address": "Dusun Baru Jaya"}, "Koreksi kantor")
    for item in (stale, moving):
        actions.decide_item(admin, item, approve=True)

    draft = batch_factory(rahma)
    draft_item = actions.add_household_item(rahma, draft, **new_family(), reason="Musdes")

    def fresh(obj):
        return type(obj).objects.get(pk=obj.pk)

    assert fresh(verified).status == ItemStatus.VERIFIED
    assert fresh(stale).status == ItemStatus.APPROVED and fresh(stale).stale
    return World(
        hh=hh,
        hh_verified=hh_verified,
        hh_stale=hh_stale,
        hh_moving=hh_moving,
        submitted=submitted,
        pending=pending,
        verified=verified,
        stale=stale,
        moving=moving,
        handover=Handover.objects.get(item=moving),
        draft=draft,
        draft_item=draft_item,
    )


# --- Bodies a browser or an API client would send -------------------------------------------


def _batch_create_body(w: World, who: str) -> dict:
    """An operator's village is filled in (and fixed) by the form; front office picks one."""
    return {
        "village": LAPPARA,
        "meeting_date": (date.today() - timedelta(days=2)).strftime("%d-%m-%Y"),
        "minutes": minutes_pdf(),
        "note": "",
    }


def _new_household_body(w: World, who: str) -> dict:
    n = 100 + NUMBER[who]
    data = browser_data(
        HouseholdForm(), kk_number=make_kk(MONCONGLOE, date(2021, 2, 3), n), rt="4", rw="2"
    )
    formset = MemberFormSet(prefix="m")
    data.update(browser_data(formset.management_form, TOTAL_FORMS="1"))
    data.update(
        browser_data(
            formset.forms[0],
            nik=make_nik(MONCONGLOE, date(1990, 1, 2), "L", n),
            full_name="La Ode Baru",
            sex="L",
            birth_date="02-01-1990",
            relationship="1",
            marital_status="1",
        )
    )
    data["reason"] = "Musdes"
    return data


def _household_change_body(w: World, who: str) -> dict:
    data = browser_data(HouseholdForm(instance=w.hh), rt=str(20 + NUMBER[who]))
    data["reason"] = "Pindah RT menurut musdes"
    return data


def _verify_body(w: World, who: str) -> dict:
    data = {"visited": "on", "note": "Ditemui di rumah"}
    for i, _subject in enumerate(verification_subjects(w.pending)):
        data[f"r{i}_result"] = "confirmed"
        data[f"r{i}_note"] = ""
    return data


# --- The matrix -----------------------------------------------------------------------------

URL = Callable[[World], str]
Body = Callable[[World, str], dict]
Needle = Callable[[World], "str | bytes"]


@dataclass(frozen=True)
class Rule:
    """One URL: who opens it, what proves they see the record, who may POST to it."""

    url: URL
    see: frozenset[str] = frozenset()  # GET answers 200; other signed-in users 404 (API: below)
    post_only: bool = False  # GET answers 405 to every signed-in user, before any lookup
    shows: Needle | None = None  # in the answer exactly for ``shown_to`` (default ``see``)
    shown_to: frozenset[str] | None = None
    hides: Needle | None = None  # never in the answer, for anyone
    body: Body | None = None  # a valid POST body
    change: frozenset[str] = frozenset()  # whose POST succeeds
    writes: bool = True  # False: the POST only reads (a search)
    ok: int | None = None  # a successful POST: web 302 (200 if it only reads), API 200
    refused: dict[str, int] | None = None  # refusals that are not a 404 (API: 403/404)
    outside: frozenset[str] = frozenset()  # their 404 names the record (it is outside their area)
    record_seen_by: frozenset[str] | None = None  # API: who may look the URL's record up


def _u(name: str, *args) -> URL:
    return lambda w: resolve_url(name, *(a(w) if callable(a) else a for a in args))


def _name(attr: str) -> Needle:
    return lambda w: w.name(getattr(w, attr))


WEB: dict[str, Rule] = {
    # Lists: every registry reader, each inside their own area.
    "proposals:batch_list": Rule(
        _u("proposals:batch_list"),
        see=READERS,
        shows=lambda w: w.submitted.ref,
        shown_to=SEE_LAPPARA,
    ),
    "proposals:my_items": Rule(
        _u("proposals:my_items"),
        see=READERS,
        shows=_name("hh"),
        shown_to=frozenset({"operator_lappara"}),  # only what I proposed
    ),
    "proposals:handover_list": Rule(
        _u("proposals:handover_list"),
        see=READERS,
        shows=lambda w: resolve_url("proposals:handover_detail", w.handover.uid),
        shown_to=SEE_HANDOVER,
    ),
    # Proposers only.
    "proposals:batch_create": Rule(
        _u("proposals:batch_create"),
        see=PROPOSERS,
        body=_batch_create_body,
        # Operator Bulu's form fixes the village to her own: she creates a batch in Bulu.
        change=PROPOSERS,
    ),
    "proposals:batch_pick": Rule(
        _u("proposals:batch_pick", lambda w: w.draft.uid),
        see=PROPOSE_LAPPARA,
        shows=_name("hh"),
        body=lambda w, p: {"q": w.name(w.hh)},
        change=PROPOSE_LAPPARA,
        writes=False,
        outside=OUTSIDE,
    ),
    "proposals:item_add_household": Rule(
        _u("proposals:item_add_household", lambda w: w.draft.uid),
        see=PROPOSE_LAPPARA,
        shows=lambda w: w.draft.ref,
        body=_new_household_body,
        change=PROPOSE_LAPPARA,
        outside=OUTSIDE,
    ),
    "proposals:item_add": Rule(
        _u("proposals:item_add", lambda w: w.draft.uid, "ubah-keluarga", lambda w: w.hh.uid),
        see=PROPOSE_LAPPARA,
        shows=lambda w: w.hh.kk_number,
        body=_household_change_body,
        change=PROPOSE_LAPPARA,
        outside=OUTSIDE,
    ),
    # Verifiers.
    "proposals:verify_queue": Rule(
        _u("proposals:verify_queue"), see=VERIFIERS, shows=_name("hh"), shown_to=VERIFY_LAPPARA
    ),
    "proposals:item_verify": Rule(
        _u("proposals:item_verify", lambda w: w.pending.uid),
        see=VERIFY_LAPPARA,
        shows=_name("hh"),
        body=_verify_body,
        change=VERIFY_LAPPARA,
        outside=OUTSIDE,
    ),
    # Deciders.
    "proposals:decide_list": Rule(
        _u("proposals:decide_list"),
        see=DECIDERS,
        shows=_name("hh_verified"),
        shown_to=DECIDE_LAPPARA,
        body=lambda w, p: {"items": [str(w.verified.uid)], "decision": "approve"},
        change=DECIDE_LAPPARA,
        # Makassar's desk does not offer the Lappara item: the form is shown again.
        refused={"admin_makassar": 200},
    ),
    # Figures: counts only, so the head of office gets them too.
    "proposals:report": Rule(
        _u("proposals:report"),
        see=FIGURE_READERS,
        shows=lambda w: f'data-area="{LAPPARA}"',
        shown_to=SEE_LAPPARA | {"head"},
        hides=_name("hh"),
    ),
    "proposals:report_xlsx": Rule(
        _u("proposals:report_xlsx"),
        see=FIGURE_READERS,
        shows=lambda w: "Moncongloe Lappara",
        shown_to=SEE_LAPPARA | {"head"},
        hides=_name("hh"),
    ),
    # One record in Lappara.
    "proposals:batch_detail": Rule(
        _u("proposals:batch_detail", lambda w: w.submitted.uid),
        see=SEE_LAPPARA,
        shows=lambda w: w.submitted.ref,
        outside=OUTSIDE,
    ),
    "proposals:batch_decisions_pdf": Rule(
        _u("proposals:batch_decisions_pdf", lambda w: w.submitted.uid),
        see=SEE_LAPPARA,
        outside=OUTSIDE,
    ),
    "proposals:batch_minutes": Rule(
        _u("proposals:batch_minutes", lambda w: w.draft.uid),
        see=SEE_LAPPARA,
        shows=lambda w: PDF_BYTES,
        body=lambda w, p: {"minutes": minutes_pdf("berita-acara-baru.pdf")},
        change=PROPOSE_LAPPARA,
        outside=OUTSIDE,
    ),
    "proposals:item_detail": Rule(
        _u("proposals:item_detail", lambda w: w.pending.uid),
        see=SEE_LAPPARA,
        shows=_name("hh"),
        outside=OUTSIDE,
    ),
    "proposals:item_photo": Rule(
        _u("proposals:item_photo", lambda w: w.verified.uid),
        see=SEE_LAPPARA,
        shows=lambda w: JPEG_BYTES,
        outside=OUTSIDE,
    ),
    "proposals:handover_detail": Rule(
        _u("proposals:handover_detail", lambda w: w.handover.uid),
        see=SEE_HANDOVER,
        shows=lambda w: w.hh_moving.kk_number,
        body=lambda w, p: {"decision": "accept", "note": "Diterima di Mariso"},
        change=frozenset({"admin_makassar"}),
        outside=frozenset({"operator_bulu"}),
    ),
    # POST only.
    "proposals:batch_submit": Rule(
        _u("proposals:batch_submit", lambda w: w.draft.uid),
        post_only=True,
        body=lambda w, p: {},
        change=PROPOSE_LAPPARA,
        outside=OUTSIDE,
    ),
    "proposals:item_remove": Rule(
        _u("proposals:item_remove", lambda w: w.draft_item.uid),
        post_only=True,
        body=lambda w, p: {},
        change=PROPOSE_LAPPARA,
        outside=OUTSIDE,
    ),
    "proposals:item_plan": Rule(
        _u("proposals:item_plan", lambda w: w.pending.uid),
        post_only=True,
        body=lambda w, p: {"on": (date.today() + timedelta(days=1)).isoformat()},
        change=VERIFY_LAPPARA,
        outside=OUTSIDE,
    ),
    "proposals:item_decide": Rule(
        _u("proposals:item_decide", lambda w: w.verified.uid),
        post_only=True,
        body=lambda w, p: {"decision": "approve"},
        change=DECIDE_LAPPARA,
        outside=OUTSIDE,
    ),
    "proposals:item_resolve": Rule(
        _u("proposals:item_resolve", lambda w: w.stale.uid),
        post_only=True,
        body=lambda w, p: {"keep_address": "proposed"},
        change=RESOLVE_LAPPARA,
        outside=OUTSIDE,
    ),
    "proposals:item_apply": Rule(
        _u("proposals:item_apply", lambda w: w.stale.uid),
        post_only=True,
        body=lambda w, p: {},
        change=DECIDE_LAPPARA,
        outside=OUTSIDE,
    ),
}

API_ROOT = "/api/v1/proposals"


def _api(path: str) -> URL:
    return lambda w: API_ROOT + path.format(w=w)


API: dict[str, Rule] = {
    "proposals-api:proposal-batch-list": Rule(
        _api("/batches/"),
        see=READERS,
        shows=lambda w: str(w.submitted.uid),
        shown_to=SEE_LAPPARA,
        body=lambda w, p: {
            "village": LAPPARA,
            "meeting_date": (date.today() - timedelta(days=2)).isoformat(),
        },
        change=PROPOSE_LAPPARA,
        ok=201,
    ),
    "proposals-api:proposal-batch-detail": Rule(
        _api("/batches/{w.submitted.uid}/"),
        see=SEE_LAPPARA,
        shows=lambda w: str(w.pending.uid),
        outside=OUTSIDE,
    ),
    "proposals-api:proposal-batch-minutes": Rule(
        _api("/batches/{w.submitted.uid}/minutes/"),
        see=SEE_LAPPARA,
        shows=lambda w: PDF_BYTES,
        outside=OUTSIDE,
    ),
    "proposals-api:proposal-batch-add-item": Rule(
        _api("/batches/{w.draft.uid}/items/"),
        post_only=True,
        body=lambda w, p: {
            "kind": "household_change",
            "household": str(w.hh.uid),
            "data": {"rt": 20 + NUMBER[p]},
            "reason": "RT baru",
        },
        change=PROPOSE_LAPPARA,
        ok=201,
        outside=OUTSIDE,
        record_seen_by=SEE_LAPPARA,
    ),
    "proposals-api:proposal-batch-submit": Rule(
        _api("/batches/{w.draft.uid}/submit/"),
        post_only=True,
        body=lambda w, p: {},
        change=PROPOSE_LAPPARA,
        outside=OUTSIDE,
        record_seen_by=SEE_LAPPARA,
    ),
    "proposals-api:proposal-item-list": Rule(
        _api("/items/"),
        see=READERS,
        shows=lambda w: str(w.pending.uid),
        shown_to=SEE_LAPPARA,
    ),
    "proposals-api:proposal-item-detail": Rule(
        _api("/items/{w.pending.uid}/"),
        see=SEE_LAPPARA,
        shows=lambda w: str(w.pending.uid),
        outside=OUTSIDE,
    ),
    "proposals-api:proposal-item-verify": Rule(
        _api("/items/{w.pending.uid}/verify/"),
        post_only=True,
        body=lambda w, p: {"results": confirm_all(w.pending), "note": "Ditemui"},
        change=VERIFY_LAPPARA,
        outside=OUTSIDE,
        record_seen_by=SEE_LAPPARA,
    ),
    "proposals-api:proposal-item-decide": Rule(
        _api("/items/{w.verified.uid}/decide/"),
        post_only=True,
        body=lambda w, p: {"decision": "approve"},
        change=DECIDE_LAPPARA,
        outside=OUTSIDE,
        record_seen_by=SEE_LAPPARA,
    ),
    "proposals-api:proposal-item-decide-bulk": Rule(
        _api("/items/decide/"),
        post_only=True,
        body=lambda w, p: {"items": [str(w.verified.uid)], "decision": "approve"},
        change=DECIDE_LAPPARA,
        # Makassar's decider may decide, just not this item: it is skipped as not found.
        refused={"admin_makassar": 200},
    ),
    "proposals-api:proposal-item-resolve": Rule(
        _api("/items/{w.stale.uid}/resolve/"),
        post_only=True,
        body=lambda w, p: {"resolutions": {"address": "proposed"}},
        change=RESOLVE_LAPPARA,
        outside=OUTSIDE,
        record_seen_by=SEE_LAPPARA,
    ),
    "proposals-api:proposal-handover-list": Rule(
        _api("/handovers/"),
        see=READERS,
        shows=lambda w: str(w.handover.uid),
        shown_to=SEE_HANDOVER,
    ),
    "proposals-api:proposal-handover-detail": Rule(
        _api("/handovers/{w.handover.uid}/"),
        see=SEE_HANDOVER,
        shows=lambda w: str(w.hh_moving.uid),
        outside=frozenset({"operator_bulu"}),
    ),
    "proposals-api:proposal-handover-accept": Rule(
        _api("/handovers/{w.handover.uid}/accept/"),
        post_only=True,
        body=lambda w, p: {"note": "Diterima di Mariso"},
        change=frozenset({"admin_makassar"}),
        outside=frozenset({"operator_bulu"}),
        record_seen_by=SEE_HANDOVER,
    ),
    "proposals-api:proposal-handover-refuse": Rule(
        _api("/handovers/{w.handover.uid}/refuse/"),
        post_only=True,
        body=lambda w, p: {"note": "Alamat tidak ditemukan"},
        change=frozenset({"admin_makassar"}),
        outside=frozenset({"operator_bulu"}),
        record_seen_by=SEE_HANDOVER,
    ),
}


# --- Helpers --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _plain_template_rendering(monkeypatch):
    """Only status codes and page text are read here, never template contexts; without the test
    client's copy of every context for every included template, pages render twice as fast."""

    def _render(self, context):  # Django's own Template._render, before test instrumentation
        return self.nodelist.render(context)

    monkeypatch.setattr(Template, "_render", _render)


def url_names(namespace: str) -> set[str]:
    names: set[str] = set()

    def walk(patterns, ns: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif p.name and ns == f"{namespace}:":
                names.add(ns + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def proposal_state() -> tuple:
    """Row counts, history counts and every row's last change, of the proposals and the registry:
    equal means nothing changed."""
    models = (ProposalBatch, ProposalItem, Handover, Household, Person, PPKSAssignment)
    return (
        tuple((m.__name__, m.objects.count(), m.history.count()) for m in models),
        ItemSubject.objects.count(),
        tuple(Membership.objects.order_by("id").values_list("id", "ended", "relationship")),
        tuple(
            sorted(
                (m.__name__, str(uid), updated)
                for m in models
                for uid, updated in m.objects.values_list("uid", "updated_at")
            )
        ),
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever happens inside is undone, so the next persona meets the same world."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


_HANDLERS: dict[type, object] = {}


def _shared_handler(client):
    """A new test client loads every middleware again; these share one handler per client class
    and keep their own cookies."""
    client.handler = _HANDLERS.setdefault(type(client.handler), client.handler)
    return client


def web_client(personas, who: str) -> Client:
    client = _shared_handler(Client())
    if who != ANONYMOUS:
        client.force_login(personas[who])
    return client


def api_client(personas, who: str) -> APIClient:
    client = _shared_handler(APIClient(HTTP_ACCEPT_LANGUAGE="id"))
    if who != ANONYMOUS:
        token = api_token(personas[who])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _path(url: str) -> str:
    return url.split("?", 1)[0]


_LOG_ROW = {
    False: "an access-log row of kind 'denied'",
    True: "an access-log row of kind 'denied' naming the record",
}


def _denial_logged(user, url: str, *, named: bool = False) -> bool:
    """An access-log row of kind ``denied`` for this refusal; ``named``: it names the record of
    the URL (refusing a role as a whole happens before any record is looked up)."""
    rows = AccessLog.objects.filter(user=user, kind=AccessLog.Kind.DENIED, path=_path(url))
    if named:
        rows = rows.filter(object_uid=str(resolve(_path(url)).kwargs["uid"]))
    return rows.exists()


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _readable(response) -> bytes:
    """The answer as searchable bytes; a spreadsheet by the values of its cells."""
    content = _body(response)
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        cells = (str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
        content = "\n".join(cells).encode()
    return content


def _needle(rule_needle: Needle, w: World) -> bytes:
    value = rule_needle(w)
    return value if isinstance(value, bytes) else value.encode()


def _check_shows(failures: list[str], rule: Rule, who: str, response, w: World) -> None:
    if rule.shows is None and rule.hides is None:
        return
    text = _readable(response)
    if rule.shows is not None:
        shown_to = rule.shown_to if rule.shown_to is not None else rule.see
        needle = _needle(rule.shows, w)
        if (needle in text) != (who in shown_to):
            verb = "does not show" if who in shown_to else "shows"
            failures.append(f"{who}: the answer {verb} {needle[:40]!r}")
    if rule.hides is not None and _needle(rule.hides, w) in text:
        failures.append(f"{who}: the answer shows {_needle(rule.hides, w)!r}")


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    )


def _shows_nothing(response) -> bool:
    """An API list answered to a role without proposals: empty, or refused."""
    if response.status_code in (403, 404):
        return True
    if response.status_code != 200:
        return False
    payload = response.json()
    rows = payload.get("results", payload) if isinstance(payload, dict) else payload
    return rows == []


# --- Coverage -------------------------------------------------------------------------------


@pytest.mark.parametrize(("namespace", "rules"), [("proposals", WEB), ("proposals-api", API)])
def test_every_proposal_url_has_a_rule(namespace, rules):
    names = url_names(namespace)
    assert sorted(names - rules.keys()) == [], "add a rule for these URLs"
    assert sorted(rules.keys() - names) == [], "rules for URL names that no longer exist"


def test_the_persona_groups_follow_the_role_table():
    """The groups above are the spec; if roles.py changes, this points at the matrix to update."""

    def having(cap: str) -> frozenset[str]:
        return frozenset(p for p, (role, _area) in PERSONAS.items() if cap in ROLE_CAPS[role])

    assert having(Cap.VIEW_REGISTRY) == READERS
    assert having(Cap.PROPOSE) == PROPOSERS
    assert having(Cap.VERIFY) == VERIFIERS
    assert having(Cap.DECIDE) == DECIDERS
    assert having(Cap.VIEW_FIGURES) == FIGURE_READERS
    assert {p for p, (_role, area) in PERSONAS.items() if LAPPARA.startswith(area)} & READERS == (
        SEE_LAPPARA
    )


# --- Pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(WEB))
def test_who_uses_each_page_and_refused_posts_change_nothing(name, world, personas):
    rule = WEB[name]
    url = rule.url(world)
    failures: list[str] = []
    clients = {who: web_client(personas, who) for who in WHO}

    before = proposal_state()
    for who in WHO:
        user = personas.get(who)
        response = clients[who].get(url)
        code = response.status_code
        if who == ANONYMOUS:
            if not _is_login_redirect(response):
                failures.append(f"{who}: GET expected a redirect to the login page, got {code}")
        elif rule.post_only:
            if code != 405:
                failures.append(f"{who}: GET on a POST-only page answered {code}, expected 405")
        elif who in rule.see:
            if code != 200:
                failures.append(f"{who}: GET expected 200, got {code}")
            else:
                _check_shows(failures, rule, who, response, world)
        elif code != 404:
            failures.append(f"{who}: GET expected 404, got {code}")
        elif not _denial_logged(user, url, named=who in rule.outside):
            failures.append(f"{who}: GET 404 without {_LOG_ROW[who in rule.outside]}")
        close_quietly(response)  # a file download keeps its file open until then
    if proposal_state() != before:
        failures.append("a GET changed data")

    if rule.body is not None:
        ok = rule.ok or (302 if rule.writes else 200)
        for who in WHO:
            with rolled_back():
                user = personas.get(who)
                before = proposal_state()
                body = rule.body(world, who)
                response = clients[who].post(url, body)
                code = response.status_code
                changed = proposal_state() != before
                if who == ANONYMOUS:
                    if not _is_login_redirect(response):
                        failures.append(f"{who}: POST expected the login page, got {code}")
                elif who in rule.change:
                    if code != ok:
                        failures.append(f"{who}: POST expected {ok}, got {code}")
                    elif not rule.writes:
                        _check_shows(failures, rule, who, response, world)
                    elif not changed:
                        failures.append(f"{who}: the POST was answered {code} but changed nothing")
                else:
                    expected = (rule.refused or {}).get(who, 404)
                    if code != expected:
                        failures.append(f"{who}: POST expected refusal {expected}, got {code}")
                    elif code == 404 and not _denial_logged(user, url, named=who in rule.outside):
                        failures.append(f"{who}: POST 404 without {_LOG_ROW[who in rule.outside]}")
                if changed and (who not in rule.change or not rule.writes):
                    failures.append(f"{who}: a refused or read-only POST changed data")
    assert not failures, f"{url}\n" + "\n".join(failures)


# --- API ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(API))
def test_who_uses_each_api_endpoint_and_refused_writes_change_nothing(name, world, personas):
    rule = API[name]
    url = rule.url(world)
    failures: list[str] = []
    clients = {who: api_client(personas, who) for who in WHO}

    before = proposal_state()
    for who in WHO:
        user = personas.get(who)
        response = clients[who].get(url)
        code = response.status_code
        if who == ANONYMOUS:
            if code not in (401, 403):
                failures.append(f"{who}: GET expected 401/403, got {code}")
        elif rule.post_only:
            if code != 405:
                failures.append(f"{who}: GET on a POST-only endpoint answered {code}, not 405")
        elif who in rule.see:
            if code != 200:
                failures.append(f"{who}: GET expected 200, got {code}")
            else:
                _check_shows(failures, rule, who, response, world)
        elif "uid" not in resolve(_path(url)).kwargs:
            # A list: a role without proposals gets nothing.
            if not _shows_nothing(response):
                failures.append(f"{who}: expected no records, got {code}")
            elif rule.shows and _needle(rule.shows, world) in _body(response):
                failures.append(f"{who}: the list shows the Lappara record")
        elif code != 404:
            failures.append(f"{who}: GET expected 404, got {code}")
        elif not _denial_logged(user, url, named=True):
            failures.append(f"{who}: GET 404 without an access-log row 'denied' naming the record")
        close_quietly(response)
    if proposal_state() != before:
        failures.append("a GET changed data")

    if rule.body is not None:
        ok = rule.ok or 200
        for who in WHO:
            with rolled_back():
                user = personas.get(who)
                before = proposal_state()
                response = clients[who].post(url, rule.body(world, who), format="json")
                code = response.status_code
                changed = proposal_state() != before
                if who == ANONYMOUS:
                    if code not in (401, 403):
                        failures.append(f"{who}: POST expected 401/403, got {code}")
                elif who in rule.change:
                    if code != ok:
                        failures.append(
                            f"{who}: POST expected {ok}, got {code} {response.content[:300]!r}"
                        )
                    elif not changed:
                        failures.append(f"{who}: the POST was answered {code} but changed nothing")
                elif rule.refused and who in rule.refused:
                    if code != rule.refused[who]:
                        failures.append(f"{who}: POST expected {rule.refused[who]}, got {code}")
                elif rule.record_seen_by is not None and who not in rule.record_seen_by:
                    # Never a 403 that confirms the record exists.
                    if code != 404:
                        failures.append(f"{who}: POST expected 404, got {code}")
                    elif not _denial_logged(user, url, named=True):
                        failures.append(
                            f"{who}: POST 404 without an access-log row 'denied' naming the record"
                        )
                elif code not in (403, 404):
                    failures.append(
                        f"{who}: POST expected a refusal (403/404), got {code} "
                        f"{response.content[:200]!r}"
                    )
                elif code == 404 and not _denial_logged(user, url):
                    failures.append(f"{who}: POST 404 without an access-log row 'denied'")
                if changed and who not in rule.change:
                    failures.append(f"{who}: a refused POST changed data")
    assert not failures, f"{url}\n" + "\n".join(failures)
