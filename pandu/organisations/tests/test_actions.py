import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pandu.organisations.actions import create_organisation, update_organisation
from pandu.organisations.models import Organisation
from pandu.regions.models import Area
from pandu.registry.actions import register_psks_organisation, update_psks_organisation
from pandu.registry.models import PSKSType
from pandu.services.actions import create_partner, update_partner

pytestmark = pytest.mark.django_db


def test_a_new_partner_agency_is_also_a_body_in_the_one_list(personas):
    admin = personas["admin_maros"]
    agency = create_partner(
        admin, name="Dinas Kesehatan Kab. Maros", kind="health", area=Area.objects.get(code="73.09")
    )
    org = agency.organisation
    assert org.name == "Dinas Kesehatan Kab. Maros"
    assert org.kind == "pemerintah" and org.area_id == "73.09"
    update_partner(admin, agency, name="Dinkes Maros", phone="0411-371000")
    org.refresh_from_db()
    assert org.name == "Dinkes Maros" and org.phone == "0411-371000"
    assert Organisation.objects.filter(name__startswith="Din").count() == 1
    assert org.history.first().history_user == admin


def test_a_psks_institution_is_also_a_body_with_its_kind(personas):
    admin = personas["admin_maros"]
    karang_taruna = PSKSType.objects.get(slug="karang-taruna")
    row = register_psks_organisation(
        admin,
        psks_type=karang_taruna,
        area=Area.objects.get(code="73.09.13.2003"),
        name="Karang Taruna Lappara",
        legal_status="pemerintah",
    )
    assert row.organisation.kind == "masyarakat"
    update_psks_organisation(admin, row, {"name": "Karang Taruna Tunas Lappara"})
    row.organisation.refresh_from_db()
    assert row.organisation.name == "Karang Taruna Tunas Lappara"


def test_a_body_kept_by_a_partner_record_is_changed_only_there(personas):
    admin = personas["admin_maros"]
    agency = create_partner(
        admin, name="LKS Harapan", kind="lks", area=Area.objects.get(code="73.09")
    )
    with pytest.raises(ValidationError):
        update_organisation(admin, agency.organisation, name="Nama lain")
    agency.organisation.refresh_from_db()
    assert agency.organisation.name == "LKS Harapan"


def test_only_the_administrator_of_the_area_registers_bodies(personas):
    area = Area.objects.get(code="73.09")
    org = create_organisation(
        personas["admin_maros"], name="STIKS Tamalanrea", kind="perguruan_tinggi", area=area
    )
    assert org.history.count() == 1
    with pytest.raises(PermissionDenied):
        create_organisation(personas["head"], name="X", kind="lainnya", area=area)
    with pytest.raises(PermissionDenied):
        update_organisation(personas["admin_makassar"], org, name="Diubah")
    with pytest.raises(PermissionDenied):  # a national body is not one region's to add
        create_organisation(personas["admin_maros"], name="Kemensos 2", kind="pemerintah")
    with pytest.raises(ValidationError):
        create_organisation(personas["admin_maros"], name="  ", kind="lainnya", area=area)
    org.refresh_from_db()
    assert org.name == "STIKS Tamalanrea"
