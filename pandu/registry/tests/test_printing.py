"""Printed profiles of a household and a person: downloaded as private PDFs, on the office's
letterhead, with the village by name; a sensitive PPKS only for the roles that may see it, and
printing it is logged like viewing it; outside the area a logged 404."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from pandu.accounts import actions as office_actions
from pandu.conftest import LAPPARA, MAKASSAR_VILLAGE
from pandu.core.models import AccessLog
from pandu.core.tests.pdf import body, pdf_text
from pandu.registry import actions
from pandu.registry.models import PPKSCategory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def family(household_factory, personas):
    """Muhammad Rahman 1 and Siti Aminah 1 of Lappara; she is a victim of violence (sensitive)
    and he a person with a disability (not sensitive)."""
    hh = household_factory(LAPPARA)
    wife = hh.members.get(relationship=2)
    husband = hh.members.get(relationship=1)
    worker = personas["social_worker"]
    actions.assign_ppks(
        worker,
        category=PPKSCategory.objects.get(number=19),
        person=wife,
        identified_on=date(2026, 1, 6),
        source="visit",
    )
    disabled = PPKSCategory.objects.get(slug="penyandang-disabilitas")
    actions.assign_ppks(
        worker, category=disabled, person=husband, identified_on=date(2026, 1, 6), source="visit"
    )
    return hh, husband, wife, disabled


def test_household_profile_prints_members_ppks_and_the_village_by_name(personas, family):
    hh, husband, wife, disabled = family
    admin = personas["admin_maros"]
    office_actions.save_office(
        admin,
        admin.area,
        fields={"name": "Dinas Sosial Kabupaten Maros", "address": "Jl. Sudirman 5, Maros"},
        signers={
            "profile": {"name": "Hj. Nurhayati", "position": "Kepala Bidang", "nip": "1" * 18}
        },
    )
    response = client_for(personas["social_worker"]).get(
        reverse("registry:household_pdf", args=[hh.uid])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(body(response))
    for expected in (
        "DINAS SOSIAL KABUPATEN MAROS",
        "PROFIL KELUARGA",
        hh.kk_number,
        "Desa Moncongloe Lappara, Kecamatan Moncongloe, Kabupaten Maros",
        husband.full_name,
        wife.full_name,
        disabled.name,
        "Korban Tindak Kekerasan",
        "Hj. Nurhayati",
        "NIP. 111111111111111111",
    ):
        assert expected in text, expected
    assert LAPPARA not in text
    assert AccessLog.objects.filter(
        user=personas["social_worker"], kind=AccessLog.Kind.VIEW_SENSITIVE, object_type="household"
    ).exists()


def test_an_operator_prints_without_the_sensitive_ppks_and_nothing_sensitive_is_logged(
    personas, family
):
    hh, husband, wife, disabled = family
    rahma = client_for(personas["operator_lappara"])
    for url in (
        reverse("registry:household_pdf", args=[hh.uid]),
        reverse("registry:person_pdf", args=[wife.uid]),
    ):
        text = pdf_text(body(rahma.get(url)))
        assert wife.full_name in text
        assert "Korban Tindak Kekerasan" not in text, url
    assert not AccessLog.objects.filter(
        user=personas["operator_lappara"], kind=AccessLog.Kind.VIEW_SENSITIVE
    ).exists()


def test_person_profile_prints_identity_household_and_ppks_and_is_logged(personas, family):
    hh, husband, wife, disabled = family
    response = client_for(personas["social_worker"]).get(
        reverse("registry:person_pdf", args=[wife.uid])
    )
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(body(response))
    for expected in ("PROFIL PENDUDUK", wife.nik, wife.full_name, hh.kk_number, "02-08-1984"):
        assert expected in text, expected
    assert "Korban Tindak Kekerasan" in text
    log = AccessLog.objects.get(
        user=personas["social_worker"], kind=AccessLog.Kind.VIEW_SENSITIVE, object_type="person"
    )
    assert log.object_uid == str(wife.uid) and wife.nik not in f"{log.path} {log.detail}"


def test_outside_the_area_or_role_the_profiles_are_a_logged_404(
    personas, family, household_factory
):
    hh, husband, wife, disabled = family
    makassar = household_factory(MAKASSAR_VILLAGE)
    for who, url in (
        ("admin_makassar", reverse("registry:household_pdf", args=[hh.uid])),
        ("admin_makassar", reverse("registry:person_pdf", args=[wife.uid])),
        ("operator_bulu", reverse("registry:household_pdf", args=[hh.uid])),
        ("admin_maros", reverse("registry:household_pdf", args=[makassar.uid])),
        ("head", reverse("registry:household_pdf", args=[hh.uid])),
        ("partner", reverse("registry:person_pdf", args=[wife.uid])),
    ):
        assert client_for(personas[who]).get(url).status_code == 404, (who, url)
        assert AccessLog.objects.filter(user=personas[who], kind=AccessLog.Kind.DENIED).exists()


def test_the_pages_offer_the_print_buttons(personas, family):
    hh, husband, wife, disabled = family
    c = client_for(personas["operator_lappara"])
    page = c.get(reverse("registry:household_detail", args=[hh.uid])).content.decode()
    assert reverse("registry:household_pdf", args=[hh.uid]) in page
    page = c.get(reverse("registry:person_detail", args=[wife.uid])).content.decode()
    assert reverse("registry:person_pdf", args=[wife.uid]) in page
