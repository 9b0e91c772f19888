"""The decision list of a batch (PDF): its decided items with the decision and reason, the
village by name, the office's letterhead and the signer for decisions; for whoever sees the
batch, a logged 404 for anyone else."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from pandu.accounts import actions as office_actions
from pandu.conftest import LAPPARA
from pandu.core.models import AccessLog
from pandu.core.tests.pdf import body, pdf_text
from pandu.proposals import actions

from .conftest import confirm_all, new_family

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def decided_batch(personas, household_factory, batch_factory):
    rahma, syamsul, admin = (
        personas["operator_lappara"],
        personas["tksk_moncongloe"],
        personas["admin_maros"],
    )
    existing = household_factory(LAPPARA)
    grandfather = existing.members.get(relationship=1)
    batch = batch_factory(rahma)
    newcomer = actions.add_household_item(rahma, batch, **new_family(), reason="Keluarga baru")
    death = actions.add_death_item(
        rahma, batch, grandfather, on=date.today() - timedelta(days=10), reason="Meninggal"
    )
    actions.submit_batch(rahma, batch)
    for item in (newcomer, death):
        actions.verify_item(syamsul, item, results=confirm_all(item), note="Sudah dikunjungi")
    actions.decide_item(admin, newcomer, approve=True)
    actions.decide_item(admin, death, approve=False, reason="Akta kematian belum ada")
    office_actions.save_office(
        admin,
        admin.area,
        fields={"name": "Dinas Sosial Kabupaten Maros", "address": "Jl. Sudirman 5"},
        signers={
            "decision": {
                "name": "Drs. H. Andi Baso",
                "position": "Kepala Dinas Sosial",
                "nip": "196804121990031005",
            }
        },
    )
    batch.refresh_from_db()
    return batch, grandfather


def test_the_decision_list_prints_each_decided_item_with_its_reason_and_the_signer(
    personas, decided_batch
):
    batch, grandfather = decided_batch
    url = reverse("proposals:batch_decisions_pdf", args=[batch.uid])
    response = client_for(personas["admin_maros"]).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(body(response))
    for expected in (
        "DAFTAR PENETAPAN USULAN",
        batch.ref,
        "Desa Moncongloe Lappara, Kecamatan Moncongloe, Kabupaten Maros",
        "Daeng Sikki",
        grandfather.full_name,
        "Akta kematian belum ada",
        "1 disetujui, 1 ditolak",
        "Drs. H. Andi Baso",
        "NIP. 196804121990031005",
    ):
        assert expected in text, expected
    page = client_for(personas["admin_maros"]).get(
        reverse("proposals:batch_detail", args=[batch.uid])
    )
    assert url in page.content.decode()


def test_the_proposing_village_may_print_it_and_other_areas_get_a_logged_404(
    personas, decided_batch
):
    batch, _ = decided_batch
    url = reverse("proposals:batch_decisions_pdf", args=[batch.uid])
    assert client_for(personas["operator_lappara"]).get(url).status_code == 200
    for who in ("admin_makassar", "operator_bulu", "partner"):
        assert client_for(personas[who]).get(url).status_code == 404, who
        assert AccessLog.objects.filter(user=personas[who], kind="denied").exists()
