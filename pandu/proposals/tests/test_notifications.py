"""Who the update cycle tells: the district's TKSK when a village's proposal waits for
verification, the regency's administrator when it waits for a decision, the village operator
when it is decided. Nobody else, and each link opens the proposal for its reader."""

import pytest
from django.test import Client
from django.urls import reverse

from pandu.notifications.models import Notification
from pandu.proposals import actions
from pandu.proposals.models import BatchStatus

from .conftest import confirm_all, new_family

pytestmark = pytest.mark.django_db


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def follow(user, kind: str, batch) -> None:
    note = Notification.objects.get(kind=kind, user=user)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("notifications:open", args=[note.uid]))
    assert response["Location"] == reverse("proposals:batch_detail", args=[batch.uid])
    assert client.get(response["Location"]).status_code == 200
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.fixture
def submitted(personas, batch_factory):
    rahma = personas["operator_lappara"]
    batch = batch_factory(rahma)
    item = actions.add_household_item(rahma, batch, **new_family(), reason="Keluarga miskin baru")
    actions.submit_batch(rahma, batch)
    return batch, item


def test_the_districts_tksk_is_told_of_a_proposal_waiting_for_verification(personas, submitted):
    batch, _item = submitted
    # The regency's social workers verify too, but only where the district has no TKSK.
    assert told("proposal_to_verify") == {"tksk_moncongloe"}
    note = Notification.objects.get(kind="proposal_to_verify")
    assert batch.ref in note.title and "Moncongloe Lappara" in note.title
    follow(personas["tksk_moncongloe"], "proposal_to_verify", batch)


def test_without_a_tksk_the_regencys_verifiers_are_told(personas, batch_factory):
    personas["tksk_moncongloe"].is_active = False
    personas["tksk_moncongloe"].save()
    rahma = personas["operator_lappara"]
    batch = batch_factory(rahma)
    actions.add_household_item(rahma, batch, **new_family(), reason="Keluarga miskin baru")
    actions.submit_batch(rahma, batch)
    assert told("proposal_to_verify") == {"social_worker"}


def test_the_administrator_is_told_once_every_item_is_verified(personas, submitted):
    batch, item = submitted
    actions.verify_item(personas["tksk_moncongloe"], item, results=confirm_all(item))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VERIFIED
    assert told("proposal_to_decide") == {"admin_maros"}
    follow(personas["admin_maros"], "proposal_to_decide", batch)


def test_the_village_operator_is_told_when_the_proposal_is_decided(personas, submitted):
    batch, item = submitted
    actions.verify_item(personas["tksk_moncongloe"], item, results=confirm_all(item))
    actions.decide_item(personas["admin_maros"], item, approve=True)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DECIDED
    assert told("proposal_decided") == {"operator_lappara"}
    follow(personas["operator_lappara"], "proposal_decided", batch)
