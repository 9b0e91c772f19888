"""The work queues that stay one grouped page (the TKSK's visits, the decisions desk, the
handovers) never stop without a word: past their limit they say how many were left out and offer
a filter that narrows them."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from pandu.conftest import BULU, LAPPARA
from pandu.core import lists
from pandu.proposals import actions
from pandu.proposals.views import handovers as handover_views
from pandu.proposals.views import queues

from .conftest import confirm_all, new_family
from .test_handover import _released

pytestmark = pytest.mark.django_db

VERIFY_LINK = re.compile(r'href="/usulan/butir/([0-9a-f-]{36})/verifikasi/"')
DECIDE_BOX = re.compile(r'name="items" value="([0-9a-f-]{36})"')
HANDOVER_LINK = re.compile(r'href="/usulan/serah-terima/([0-9a-f-]{36})/"')


def login(personas, who: str) -> Client:
    client = Client()
    client.force_login(personas[who])
    return client


def waiting_items(personas, batch_factory, village: str, n: int, start: int = 0) -> list:
    """``n`` proposed families of ``village`` in a submitted batch, waiting for a visit."""
    operator = personas["operator_bulu" if village == BULU else "operator_lappara"]
    batch = batch_factory(operator, village=village)
    made = [
        actions.add_household_item(
            operator, batch, **new_family(serial=300 + 2 * (start + i), village=village)
        )
        for i in range(n)
    ]
    actions.submit_batch(operator, batch)
    return made


def notice(page: str) -> str:
    found = re.search(r'data-notice="cut">(?:<i[^>]*></i>)?\s*([^<]*)</div>', page)
    return found.group(1).strip() if found else ""


def test_the_visits_page_says_how_many_it_left_out_and_narrows_by_area(
    personas, batch_factory, monkeypatch
):
    monkeypatch.setattr(queues, "VERIFY_LIMIT", 3)
    waiting_items(personas, batch_factory, LAPPARA, 3)
    waiting_items(personas, batch_factory, BULU, 1, start=10)
    syamsul = login(personas, "tksk_moncongloe")
    page = syamsul.get(reverse("proposals:verify_queue")).content.decode()
    assert len(set(VERIFY_LINK.findall(page))) == 3
    assert notice(page).startswith("Menampilkan 3 dari 4; persempit saringan")
    narrowed = syamsul.get(reverse("proposals:verify_queue"), {"area": LAPPARA})
    text = narrowed.content.decode()
    assert len(set(VERIFY_LINK.findall(text))) == 3 and not notice(text)
    only_bulu = syamsul.get(reverse("proposals:verify_queue"), {"area": BULU}).content.decode()
    assert len(set(VERIFY_LINK.findall(only_bulu))) == 1


def test_a_filter_the_visits_page_cannot_read_shows_its_error_and_no_items(personas, batch_factory):
    waiting_items(personas, batch_factory, LAPPARA, 2)
    page = login(personas, "tksk_moncongloe").get(
        reverse("proposals:verify_queue"), {"kind": "bogus"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert VERIFY_LINK.findall(text) == []
    assert "bogus" in text  # "Pilih pilihan yang valid. bogus bukan salah satu ..."


def test_the_decisions_desk_says_how_many_it_left_out(personas, batch_factory, monkeypatch):
    monkeypatch.setattr(queues, "DECIDE_LIMIT", 2)
    tksk = personas["tksk_moncongloe"]
    for item in waiting_items(personas, batch_factory, LAPPARA, 2) + waiting_items(
        personas, batch_factory, BULU, 1, start=10
    ):
        actions.verify_item(tksk, item, results=confirm_all(item))
    admin = login(personas, "admin_maros")
    page = admin.get(reverse("proposals:decide_list")).content.decode()
    assert len(DECIDE_BOX.findall(page)) == 2
    assert notice(page).startswith("Menampilkan 2 dari 3; persempit saringan")
    narrowed = admin.get(reverse("proposals:decide_list"), {"area": LAPPARA}).content.decode()
    assert len(DECIDE_BOX.findall(narrowed)) == 2 and not notice(narrowed)


def test_the_handovers_page_says_how_many_it_left_out_and_narrows_by_status(
    personas, household_factory, batch_factory, monkeypatch
):
    monkeypatch.setattr(handover_views, "HANDOVER_LIMIT", 1)
    _released(personas, household_factory, batch_factory)
    _released(personas, household_factory, batch_factory)
    rahma = login(personas, "operator_lappara")
    page = rahma.get(reverse("proposals:handover_list")).content.decode()
    assert len(set(HANDOVER_LINK.findall(page))) == 1
    assert notice(page).startswith("Menampilkan 1 dari 2; persempit saringan")
    refused = rahma.get(reverse("proposals:handover_list"), {"status": "refused"})
    text = refused.content.decode()
    assert HANDOVER_LINK.findall(text) == [] and not notice(text)
    bad = rahma.get(reverse("proposals:handover_list"), {"status": "hilang"}).content.decode()
    assert HANDOVER_LINK.findall(bad) == [] and "hilang" in bad


def test_a_count_past_its_cap_says_more_than(personas, batch_factory, monkeypatch):
    monkeypatch.setattr(queues, "VERIFY_LIMIT", 1)
    monkeypatch.setattr(lists, "COUNT_CAP", 2)
    waiting_items(personas, batch_factory, LAPPARA, 4)
    page = login(personas, "tksk_moncongloe").get(reverse("proposals:verify_queue"))
    assert notice(page.content.decode()).startswith("Menampilkan 1 dari lebih dari 2;")
