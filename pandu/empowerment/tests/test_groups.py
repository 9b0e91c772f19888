"""KUBE groups (a body in the list of organisations, members from the registry, a group grant)
and UEP grants: what is recorded, what is refused and why."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pandu.conftest import BULU, LAPPARA, MANDAI_VILLAGE, make_nik
from pandu.empowerment import actions
from pandu.empowerment.models import KubeGroup, KubeMember, UepGrant
from pandu.organisations import actions as organisations
from pandu.organisations.keepers import kept_by
from pandu.regions.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(personas):
    return actions.create_group(
        personas["tksk_moncongloe"],
        village=Area.objects.get(code=LAPPARA),
        name="Sipakainga",
        business_type="Tenun sarung",
        sector=6,
        formed_on=date(2025, 2, 1),
    )


def test_a_group_is_a_body_in_the_list_of_organisations(personas, group):
    body = group.organisation
    assert (body.name, body.kind, body.area_id, body.active) == (
        "Sipakainga",
        "masyarakat",
        LAPPARA,
        True,
    )
    assert kept_by(body).url.endswith(f"/pemberdayaan/kube/{group.uid}/ubah/")
    with pytest.raises(ValidationError):  # the list's own form leaves it to the group
        organisations.update_organisation(personas["admin_maros"], body, name="Lain")
    actions.update_group(personas["tksk_moncongloe"], group, name="Sipakainga Baru", status="bubar")
    body.refresh_from_db()
    assert (body.name, body.active) == ("Sipakainga Baru", False)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"business_type": " "}, "business_type"),
        ({"sector": 99}, "sector"),
        ({"formed_on": None}, "formed_on"),
        ({"formed_on": date.today() + timedelta(days=1)}, "formed_on"),
    ],
)
def test_a_bad_group_is_refused(personas, data, field):
    values = {"name": "Maju", "business_type": "Warung", "formed_on": date(2025, 1, 1)} | data
    with pytest.raises(ValidationError) as exc:
        actions.create_group(
            personas["tksk_moncongloe"], village=Area.objects.get(code=LAPPARA), **values
        )
    assert field in exc.value.message_dict
    assert not KubeGroup.objects.exists()


def test_a_group_lies_in_a_village_of_the_user_area(personas):
    tksk = personas["tksk_moncongloe"]
    data = {"name": "Maju", "business_type": "Warung", "formed_on": date(2025, 1, 1)}
    with pytest.raises(ValidationError) as exc:
        actions.create_group(tksk, village=Area.objects.get(code="73.09.13"), **data)
    assert "village" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.create_group(tksk, village=Area.objects.get(code=MANDAI_VILLAGE), **data)
    with pytest.raises(PermissionDenied):
        actions.create_group(personas["head"], village=Area.objects.get(code=LAPPARA), **data)


def test_two_groups_of_one_village_have_two_names(personas, group):
    with pytest.raises(ValidationError) as exc:
        actions.create_group(
            personas["admin_maros"],
            village=Area.objects.get(code=LAPPARA),
            name="Sipakainga",
            business_type="Lain",
            formed_on=date(2025, 1, 1),
        )
    assert "name" in exc.value.message_dict


def test_members_are_registry_people_of_the_district_added_by_nik(
    personas, group, household_factory
):
    tksk = personas["tksk_moncongloe"]
    neighbour = household_factory(BULU)
    person = neighbour.members.get(relationship=1)
    found = actions.person_by_nik(tksk, person.nik)
    member = actions.add_member(tksk, group, person=found, role="ketua", business="Tenun")
    assert (member.person, member.role, member.joined_on) == (person, "ketua", timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        actions.add_member(tksk, group, person=found)
    assert "sudah menjadi anggota" in exc.value.message_dict["nik"][0]
    spouse = neighbour.members.get(relationship=2)
    with pytest.raises(ValidationError) as exc:
        actions.add_member(tksk, group, person=spouse, role="ketua")
    assert "'Ketua' di kelompok ini sudah terisi" in exc.value.message_dict["role"][0]


def test_a_member_from_another_district_or_unknown_nik_is_refused(
    personas, group, household_factory
):
    admin = personas["admin_maros"]
    far = household_factory(MANDAI_VILLAGE).members.first()
    with pytest.raises(ValidationError) as exc:
        actions.add_member(admin, group, person=far)
    assert "kecamatan yang sama" in exc.value.message_dict["nik"][0]
    with pytest.raises(ValidationError) as exc:
        actions.person_by_nik(admin, make_nik("73.09.13", date(1990, 1, 1), "L", 9999))
    assert "tidak ditemukan" in exc.value.message_dict["nik"][0]
    with pytest.raises(ValidationError) as exc:
        actions.person_by_nik(admin, "12345")
    assert exc.value.message_dict["nik"]


def test_a_member_leaves_with_a_date_and_a_reason(personas, group, household_factory):
    tksk = personas["tksk_moncongloe"]
    person = household_factory().members.first()
    member = actions.add_member(tksk, group, person=person, on=date(2025, 3, 1))
    with pytest.raises(ValidationError) as exc:
        actions.end_member(tksk, member, left_on=date(2025, 2, 1), reason="")
    assert set(exc.value.message_dict) == {"left_on", "reason"}
    actions.end_member(tksk, member, left_on=None, reason="Pindah ke Makassar")
    assert KubeMember.objects.current().count() == 0
    assert actions.add_member(tksk, group, person=person).pk  # may join again later


def test_the_group_grant_is_recorded_by_the_dinas(personas, group):
    with pytest.raises(PermissionDenied):
        actions.record_group_grant(
            personas["tksk_moncongloe"], group, amount=20_000_000, received_on=date(2025, 4, 1)
        )
    admin = personas["admin_maros"]
    with pytest.raises(ValidationError) as exc:
        actions.record_group_grant(admin, group, amount="dua juta", received_on=date(2025, 1, 1))
    assert set(exc.value.message_dict) == {"amount", "received_on"}
    actions.record_group_grant(
        admin, group, amount=Decimal(20_000_000), received_on=date(2025, 4, 1)
    )
    group.refresh_from_db()
    assert (group.grant_amount, group.grant_received_on) == (20_000_000, date(2025, 4, 1))


def test_a_uep_grant_for_a_family(personas, household_factory):
    admin = personas["admin_maros"]
    hh = household_factory()
    head = hh.members.get(relationship=1)
    grant = actions.record_uep_grant(
        admin,
        hh,
        recipient=head,
        amount=3_000_000,
        granted_on=date(2025, 5, 2),
        business="Jualan kue",
        sector=8,
    )
    assert (grant.area_code, grant.amount, grant.recorded_by) == (LAPPARA, 3_000_000, admin)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": -1}, "amount"),
        ({"amount": "1,5"}, "amount"),
        ({"amount": 20_000_000_000}, "amount"),
        ({"granted_on": None}, "granted_on"),
        ({"business": ""}, "business"),
        ({"sector": "x"}, "sector"),
    ],
)
def test_a_bad_uep_grant_is_refused(personas, household_factory, data, field):
    hh = household_factory()
    values = {"amount": 1_000_000, "granted_on": date(2025, 5, 2), "business": "Warung"} | data
    with pytest.raises(ValidationError) as exc:
        actions.record_uep_grant(personas["admin_maros"], hh, **values)
    assert field in exc.value.message_dict
    assert not UepGrant.objects.exists()


def test_a_uep_recipient_belongs_to_the_family_and_the_tksk_records_no_grant(
    personas, household_factory
):
    hh, other = household_factory(), household_factory()
    with pytest.raises(ValidationError) as exc:
        actions.record_uep_grant(
            personas["admin_maros"],
            hh,
            recipient=other.members.first(),
            amount=1_000_000,
            granted_on=date(2025, 5, 2),
            business="Warung",
        )
    assert "recipient" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.record_uep_grant(
            personas["tksk_moncongloe"],
            hh,
            amount=1_000_000,
            granted_on=date(2025, 5, 2),
            business="Warung",
        )
