"""A walk-in who should be in the registry lands as a draft proposal in the village's worklist."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pandu.conftest import LAPPARA, make_kk, make_nik
from pandu.proposals import actions as proposals
from pandu.proposals.models import ProposalBatch
from pandu.services.models import Intake

from .conftest import unregistered

pytestmark = pytest.mark.django_db

BORN = date(1970, 3, 4)
NIK = make_nik("73.09.13", BORN, "L", 77)
KK = make_kk("73.09.13", date(2010, 1, 5), 77)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def handed_over(make_intake):
    return make_intake(subject=unregistered(nik=NIK, kk_number=KK, phone="0812 3456 7890"))


def test_an_intake_to_be_proposed_opens_a_draft_proposal_with_the_walk_ins_data(world, handed_over):
    batch = handed_over.registry_proposal
    assert batch is not None and batch.status == "draft"
    assert batch.area_code == LAPPARA and batch.meeting_date is None
    assert batch.walk_in["name"] == "Daeng Baji"
    assert (batch.walk_in["nik"], batch.walk_in["kk_number"]) == (NIK, KK)
    assert batch.walk_in["birth_date"] == "1970-03-04"
    assert batch.walk_in["address"] == "Dusun Lappara RT 2"
    assert batch.walk_in["source"] == world.slrt.name
    # The complaint itself stays at the desk.
    assert "paru" not in str(batch.walk_in) + batch.note
    assert batch.history.first().history_user == world.users["front_office"]


def test_an_intake_not_ticked_is_not_handed_over(world, make_intake):
    subject = unregistered()
    subject.propose_to_registry = False
    intake = make_intake(subject=subject)
    assert intake.registry_proposal is None
    assert not ProposalBatch.objects.exists()


def test_a_wrong_kk_stops_the_intake_and_nothing_is_handed_over(world, make_intake):
    with pytest.raises(ValidationError) as exc:
        make_intake(subject=unregistered(kk_number="1234"))
    assert "kk_number" in exc.value.message_dict
    assert not ProposalBatch.objects.exists() and not Intake.objects.exists()


def test_the_village_operator_finds_it_in_her_worklist_and_the_desk_data_fills_the_form(
    world, handed_over
):
    batch = handed_over.registry_proposal
    operator = client_for(world.users["operator_lappara"])
    listing = operator.get(reverse("proposals:batch_list")).content.decode()
    assert batch.ref in listing
    page = operator.get(reverse("proposals:batch_detail", args=[batch.uid])).content.decode()
    assert "Daeng Baji" in page and NIK in page and "04-03-1970" in page
    form = operator.get(reverse("proposals:item_add_household", args=[batch.uid]))
    html = form.content.decode()
    assert f'value="{NIK}"' in html and f'value="{KK}"' in html and 'value="Daeng Baji"' in html


def test_an_operator_of_another_village_does_not_see_it(world, handed_over):
    batch = handed_over.registry_proposal
    other = world.users["operator_bulu"]
    assert not ProposalBatch.objects.visible_to(other).filter(pk=batch.pk).exists()
    page = client_for(other).get(reverse("proposals:batch_detail", args=[batch.uid]))
    assert page.status_code == 404
    assert batch.ref not in client_for(other).get(reverse("proposals:batch_list")).content.decode()


def test_the_intake_page_links_to_the_proposal_for_those_who_may_open_it(world, handed_over):
    batch = handed_over.registry_proposal
    url = reverse("services:intake_detail", args=[handed_over.uid])
    link = reverse("proposals:batch_detail", args=[batch.uid])
    page = client_for(world.users["front_office"]).get(url).content.decode()
    assert link in page and "Moncongloe Lappara" in page


def test_the_draft_needs_a_meeting_date_before_it_is_submitted(world, handed_over):
    batch = handed_over.registry_proposal
    operator = world.users["operator_lappara"]
    head = {
        "nik": NIK,
        "full_name": "Daeng Baji",
        "sex": "L",
        "birth_date": BORN,
        "relationship": 1,
        "marital_status": 2,
    }
    proposals.add_household_item(
        operator, batch, household={"kk_number": KK, "rt": 2, "rw": 1}, members=[head]
    )
    minutes = SimpleUploadedFile(
        "ba.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
    proposals.attach_minutes(operator, batch, minutes)
    with pytest.raises(ValidationError, match="tanggal musyawarah"):
        proposals.submit_batch(operator, batch)
    minutes.seek(0)
    proposals.attach_minutes(operator, batch, minutes, meeting_date=date(2026, 1, 10))
    proposals.submit_batch(operator, batch)
    batch.refresh_from_db()
    assert batch.status == "submitted" and batch.meeting_date == date(2026, 1, 10)
