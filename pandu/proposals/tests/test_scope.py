"""Everything is scoped: operators see their village's batches, the TKSK his district's, admins
their regency's. Outside the scope, or outside the role, a page is a 404 and the attempt is logged.
Partner agencies and the head of office see no batch or item."""

from dataclasses import dataclass

import pytest
from django.test import Client

from pandu.conftest import LAPPARA, PERSONAS
from pandu.core.models import AccessLog
from pandu.proposals import actions
from pandu.proposals.models import BatchStatus, ItemStatus, ProposalBatch, ProposalItem

from .conftest import confirm_all

pytestmark = pytest.mark.django_db

SEE_LAPPARA = {
    "admin_maros",
    "operator_lappara",
    "tksk_moncongloe",
    "social_worker",
    "front_office",
    "auditor",
}
READERS = SEE_LAPPARA | {"operator_bulu", "admin_makassar"}
PROPOSERS = {"operator_lappara", "operator_bulu", "front_office"}
VERIFIERS = {"tksk_moncongloe", "social_worker"}
DECIDERS = {"admin_maros", "admin_makassar"}
FIGURES = set(PERSONAS) - {"partner"}


@dataclass
class World:
    draft: ProposalBatch
    submitted: ProposalBatch
    item: ProposalItem
    hh_uid: str


@pytest.fixture
def world(personas, household_factory, batch_factory) -> World:
    rahma = personas["operator_lappara"]
    hh = household_factory(LAPPARA)
    submitted = batch_factory(rahma)
    item = actions.add_household_change_item(rahma, submitted, hh, {"rt": 7}, reason="RT baru")
    actions.submit_batch(rahma, submitted)
    draft = batch_factory(rahma)
    return World(draft=draft, submitted=submitted, item=item, hh_uid=str(hh.uid))


def _pages(w: World) -> dict[str, set[str]]:
    return {
        "/usulan/": READERS,
        "/usulan/baru/": PROPOSERS,
        "/usulan/saya/": READERS,
        "/usulan/verifikasi/": VERIFIERS,
        "/usulan/penetapan/": DECIDERS,
        "/usulan/serah-terima/": READERS,
        "/usulan/laporan/": FIGURES,
        "/usulan/laporan/unduh/": FIGURES,
        f"/usulan/{w.submitted.uid}/": SEE_LAPPARA,
        f"/usulan/{w.submitted.uid}/berita-acara/": SEE_LAPPARA,
        f"/usulan/butir/{w.item.uid}/": SEE_LAPPARA,
        f"/usulan/butir/{w.item.uid}/verifikasi/": SEE_LAPPARA & VERIFIERS,
        f"/usulan/{w.draft.uid}/pilih/": SEE_LAPPARA & PROPOSERS,
        f"/usulan/{w.draft.uid}/tambah/keluarga-baru/": SEE_LAPPARA & PROPOSERS,
        f"/usulan/{w.draft.uid}/tambah/ubah-keluarga/{w.hh_uid}/": SEE_LAPPARA & PROPOSERS,
    }


def test_who_sees_each_proposal_page(world, personas):
    failures = []
    clients = {}
    for who in PERSONAS:  # one client each: a test client builds its middleware once
        clients[who] = Client()
        clients[who].force_login(personas[who])
    anonymous = Client()
    for url, allowed in _pages(world).items():
        for who in PERSONAS:
            code = clients[who].get(url).status_code
            expected = 200 if who in allowed else 404
            if code != expected:
                failures.append(f"{who} GET {url}: {code}, expected {expected}")
            elif (
                code == 404
                and not AccessLog.objects.filter(
                    user=personas[who], kind="denied", path=url
                ).exists()
            ):
                failures.append(f"{who} GET {url}: 404 without a 'denied' access-log row")
        assert anonymous.get(url).status_code == 302  # anonymous: to the login page
    assert not failures, "\n".join(failures)


def test_operator_bulu_cannot_see_operator_lapparas_batch(world, personas):
    client = Client()
    client.force_login(personas["operator_bulu"])
    assert client.get(f"/usulan/{world.submitted.uid}/").status_code == 404
    denied = AccessLog.objects.get(user=personas["operator_bulu"], kind="denied")
    assert denied.object_uid == str(world.submitted.uid)
    assert denied.object_type == "proposalbatch"
    listing = client.get("/usulan/").content.decode()
    assert world.submitted.ref not in listing


def test_partner_and_head_see_no_batch_and_no_item(world, personas):
    for who in ("partner", "head"):
        user = personas[who]
        assert not ProposalBatch.objects.visible_to(user).exists(), who
        assert not ProposalItem.objects.visible_to(user).exists(), who
        client = Client()
        client.force_login(user)
        assert client.get("/usulan/").status_code == 404
        assert world.submitted.ref not in client.get("/usulan/laporan/").content.decode()


def test_refused_writes_change_nothing(world, personas):
    admin_makassar, bulu = Client(), Client()
    admin_makassar.force_login(personas["admin_makassar"])
    bulu.force_login(personas["operator_bulu"])
    actions.verify_item(personas["tksk_moncongloe"], world.item, results=confirm_all(world.item))

    assert bulu.post(f"/usulan/{world.draft.uid}/ajukan/").status_code == 404
    assert (
        admin_makassar.post(
            f"/usulan/butir/{world.item.uid}/tetapkan/", {"decision": "approve"}
        ).status_code
        == 404
    )
    assert (
        admin_makassar.post(
            "/usulan/penetapan/", {"items": [str(world.item.uid)], "decision": "approve"}
        ).status_code
        == 200
    )  # the item is simply not among those offered to him
    world.draft.refresh_from_db()
    world.item.refresh_from_db()
    assert world.draft.status == BatchStatus.DRAFT
    assert world.item.status == ItemStatus.VERIFIED


def test_tksk_cannot_propose_and_operator_cannot_decide_through_the_pages(world, personas):
    syamsul, rahma = Client(), Client()
    syamsul.force_login(personas["tksk_moncongloe"])
    rahma.force_login(personas["operator_lappara"])
    assert syamsul.post(f"/usulan/{world.draft.uid}/ajukan/").status_code == 404
    assert (
        rahma.post(
            f"/usulan/butir/{world.item.uid}/tetapkan/", {"decision": "reject", "reason": "x"}
        ).status_code
        == 404
    )
    world.item.refresh_from_db()
    assert world.item.status == ItemStatus.PENDING
