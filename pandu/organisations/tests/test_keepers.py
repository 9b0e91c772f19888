"""A body kept by a partner agency or a PSKS institution names the page where it is changed."""

import pytest
from django.urls import reverse

from pandu.organisations.actions import create_organisation
from pandu.organisations.keepers import kept_by
from pandu.regions.models import Area
from pandu.registry.actions import register_psks_organisation
from pandu.registry.models import PSKSType
from pandu.services.actions import create_partner

pytestmark = pytest.mark.django_db


def test_a_partner_agencys_body_leads_to_the_partner_page(personas):
    agency = create_partner(
        personas["admin_maros"],
        name="Dinas Kesehatan Kab. Maros",
        kind="health",
        area=Area.objects.get(code="73.09"),
    )
    keeper = kept_by(agency.organisation)
    assert keeper is not None
    assert keeper.url == reverse("services:partner_detail", args=[agency.uid])
    assert keeper.name == "Dinas Kesehatan Kab. Maros"


def test_a_psks_institutions_body_leads_to_its_registry_page(personas):
    row = register_psks_organisation(
        personas["admin_maros"],
        psks_type=PSKSType.objects.get(slug="karang-taruna"),
        area=Area.objects.get(code="73.09.13.2003"),
        name="Karang Taruna Lappara",
        legal_status="pemerintah",
    )
    keeper = kept_by(row.organisation)
    assert keeper is not None
    assert keeper.url == reverse("registry:psks_org_detail", args=[row.uid])


def test_a_body_of_its_own_has_no_keeper(personas):
    body = create_organisation(
        personas["admin_maros"],
        name="Sekolah Tinggi Ilmu Kesejahteraan Sosial",
        kind="perguruan_tinggi",
        area=Area.objects.get(code="73.09"),
    )
    assert kept_by(body) is None
