"""PSKS: people and organisations that help, registered inside the user's area."""

import pytest

from pandu.conftest import LAPPARA, MAKASSAR_VILLAGE
from pandu.registry.models import PSKSOrganisation, PSKSPerson, PSKSType

pytestmark = pytest.mark.django_db


def test_tksk_records_a_villager_as_psm_through_the_person_page(
    client, household_factory, personas
):
    person = household_factory().members.get(relationship=1)
    client.force_login(personas["tksk_moncongloe"])
    psm = PSKSType.objects.get(slug="psm")
    response = client.post(
        f"/registri/psks/perorangan/{person.uid}/baru/",
        {
            "psks_type": psm.pk,
            "area": LAPPARA,
            "registration_number": "SK-12/2026",
            "started_on": "01-02-2026",
        },
    )
    assert response.status_code == 302
    role = PSKSPerson.objects.get(person=person)
    assert role.psks_type == psm and role.area_id == LAPPARA
    assert role.history.get().history_user == personas["tksk_moncongloe"]
    page = client.get(f"/registri/penduduk/{person.uid}/").content.decode()
    assert "Pekerja Sosial Masyarakat" in page


def test_psks_person_outside_the_users_area_is_refused_with_a_message(
    client, household_factory, personas
):
    person = household_factory().members.get(relationship=1)
    client.force_login(personas["operator_lappara"])
    response = client.post(
        f"/registri/psks/perorangan/{person.uid}/baru/",
        {"psks_type": PSKSType.objects.get(slug="tagana").pk, "area": MAKASSAR_VILLAGE},
    )
    assert response.status_code == 200
    assert "tidak berwenang" in response.content.decode()
    assert not PSKSPerson.objects.exists()


def test_an_organisation_type_cannot_be_given_to_a_person(client, household_factory, personas):
    person = household_factory().members.get(relationship=1)
    client.force_login(personas["admin_maros"])
    response = client.post(
        f"/registri/psks/perorangan/{person.uid}/baru/",
        {"psks_type": PSKSType.objects.get(slug="lks").pk, "area": LAPPARA},
    )
    assert response.status_code == 200 and not PSKSPerson.objects.exists()


def test_admin_registers_an_lks_and_other_regencies_do_not_see_it(client, personas):
    client.force_login(personas["admin_maros"])
    response = client.post(
        "/registri/psks/lembaga/baru/",
        {
            "psks_type": PSKSType.objects.get(slug="lks").pk,
            "name": "LKS Al-Ikhlas",
            "area": "73.09.13",
            "legal_status": "yayasan",
            "registration_number": "466/12",
        },
    )
    assert response.status_code == 302
    org = PSKSOrganisation.objects.get()
    client.force_login(personas["admin_makassar"])
    assert client.get(f"/registri/psks/lembaga/{org.uid}/").status_code == 404
    assert "LKS Al-Ikhlas" not in client.get("/registri/psks/").content.decode()
