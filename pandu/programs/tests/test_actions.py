from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pandu.conftest import LAPPARA
from pandu.programs import actions, progress
from pandu.programs.models import (
    Activity,
    FocalPoint,
    FundingLine,
    IntegratedProgramme,
    Participant,
    Programme,
    ProgrammeAmount,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_demo_programme_has_six_implementers_the_dipa_and_the_pksa_target(moncongloe):
    assert moncongloe.area_id == "73.09.13"
    assert moncongloe.designated_by == "Bupati Maros"
    assert len(moncongloe.reasons) == 4 and len(moncongloe.legal_basis) == 5
    assert moncongloe.implementers.count() == 6
    pksa = Activity.objects.get(implementer__catalogue_programme__code="PKSA")
    assert (pksa.target_quantity, pksa.target_unit) == (70, "orang")
    dipa = FundingLine.objects.get(source="apbn")
    assert dipa.document_number == "0361/027.11.2.01/23/2012"
    assert dipa.document_date == date(2012, 12, 9)
    assert moncongloe.history.first().history_user.username == "admin_maros"


def test_loading_the_demo_programme_twice_adds_nothing(personas, moncongloe):
    from pandu.demo import programmes as demo

    assert demo.load(personas["admin_maros"], {}) is False
    assert IntegratedProgramme.objects.count() == 1


def test_a_dipa_dated_after_the_activity_began_is_a_warning_not_a_refusal(moncongloe):
    warnings = progress.funding_warnings(FundingLine.objects.all())
    assert len(warnings) == 1
    assert warnings[0].line.document_number == "0361/027.11.2.01/23/2012"
    assert "09-12-2012" in warnings[0].message and "06-08-2012" in warnings[0].message


def test_focal_point_records_progress_and_participants_of_its_own_activity(
    personas, ipsi, household_factory
):
    partner = personas["partner"]
    activity = ipsi.activities.get()
    actions.record_progress(partner, activity, status="selesai", achieved_quantity=64)
    actions.add_named_participant(
        partner, activity, name="  Ibu  Sitti Aminah ", group="pkk", attendance="hadir"
    )
    activity.refresh_from_db()
    assert activity.achieved_quantity == 64 and activity.status == "selesai"
    assert activity.history.first().history_user == partner
    assert activity.participants.get().name == "Ibu Sitti Aminah"


def test_a_focal_point_cannot_touch_another_implementers_activity(personas, stiks):
    partner = personas["partner"]
    activity = stiks.activities.get()
    with pytest.raises(PermissionDenied):
        actions.record_progress(partner, activity, achieved_quantity=5)
    with pytest.raises(PermissionDenied):
        actions.add_named_participant(partner, activity, name="X", group="tksm")
    with pytest.raises(PermissionDenied):
        actions.save_activity(partner, stiks, name="Kegiatan baru")
    activity.refresh_from_db()
    assert activity.achieved_quantity is None and not activity.participants.exists()


def test_the_head_reads_but_cannot_change(personas, moncongloe, ipsi):
    head = personas["head"]
    with pytest.raises(PermissionDenied):
        actions.record_progress(head, ipsi.activities.get(), achieved_quantity=1)
    with pytest.raises(PermissionDenied):
        actions.save_integrated_programme(head, moncongloe, title="Lain")
    moncongloe.refresh_from_db()
    assert moncongloe.title.startswith("Program Terpadu")


def test_registry_people_are_picked_by_nik_among_those_the_user_sees(
    personas, ipsi, household_factory
):
    household = household_factory(LAPPARA)
    person = household.members.first() if hasattr(household, "members") else None
    from pandu.registry.models import Person

    person = Person.objects.filter(household=household).first()
    activity = ipsi.activities.get()
    admin = personas["admin_maros"]
    row = actions.add_registry_participant(admin, activity, nik=person.nik, group="ppks")
    assert row.person == person and row.name == person.full_name
    with pytest.raises(ValidationError, match="sudah tercatat"):
        actions.add_registry_participant(admin, activity, nik=person.nik, group="ppks")
    # The partner may not read the registry: the NIK is not found for them, nothing is said.
    with pytest.raises(ValidationError, match="tidak ditemukan"):
        actions.add_registry_participant(
            personas["partner"], activity, nik=person.nik, group="ppks"
        )
    with pytest.raises(ValidationError):
        actions.add_registry_participant(admin, activity, nik="3.57301E+15", group="ppks")
    assert Participant.objects.filter(activity=activity).count() == 1


def test_realisation_with_evidence_is_checked_by_content(personas, moncongloe, ipsi):
    partner = personas["partner"]
    line = FundingLine.objects.get(implementer=ipsi)
    row = actions.record_realisation(
        partner,
        line,
        period_start=date(2012, 9, 1),
        period_end=date(2012, 9, 30),
        amount=Decimal("2500000"),
        evidence=SimpleUploadedFile("kuitansi.pdf", PDF, content_type="application/pdf"),
    )
    assert row.evidence.name.endswith(".pdf") and row.evidence_name == "kuitansi.pdf"
    with pytest.raises(ValidationError):
        actions.record_realisation(
            partner,
            line,
            period_start=date(2012, 10, 1),
            period_end=date(2012, 10, 31),
            amount=Decimal("1"),
            evidence=SimpleUploadedFile("kuitansi.pdf", b"MZ\x90\x00not a pdf"),
        )
    with pytest.raises(ValidationError):
        actions.record_realisation(
            partner, line, period_start=date(2012, 10, 31), period_end=date(2012, 10, 1), amount=1
        )
    assert line.realisations.count() == 1


def test_targets_against_realisation_per_implementer_and_area(personas, moncongloe, ipsi):
    admin = personas["admin_maros"]
    actions.record_progress(admin, ipsi.activities.get(), achieved_quantity=35)
    rows = progress.by_implementer(
        moncongloe.implementers.all(),
        Activity.objects.visible_to(admin),
        FundingLine.objects.visible_to(admin),
    )
    by_name = {r.key: r for r in rows}
    assert by_name[ipsi.pk].targets == {"orang": [70, 35]}
    bbppks = next(r for r in rows if r.label.startswith("BBPPKS"))
    assert bbppks.planned == Decimal("150000000") and bbppks.activities == 2
    areas = progress.by_area(Activity.objects.visible_to(admin))
    assert [a.key for a in areas] == ["73.09.13"]
    assert areas[0].activities == 8


def test_only_holders_of_the_capability_become_focal_points(personas, stiks):
    with pytest.raises(ValidationError):
        actions.link_focal_point(personas["admin_maros"], stiks, personas["operator_lappara"])
    link = actions.link_focal_point(personas["admin_maros"], stiks, personas["social_worker"])
    assert FocalPoint.objects.filter(pk=link.pk, active=True).exists()
    with pytest.raises(PermissionDenied):
        actions.link_focal_point(personas["admin_makassar"], stiks, personas["social_worker"])


def test_catalogue_amounts_follow_each_other_in_time(personas):
    pkh = Programme.objects.get(code="PKH")
    with pytest.raises(PermissionDenied):  # a national programme is the whole country's
        actions.set_programme_amount(
            personas["admin_maros"],
            pkh,
            component="SD",
            label="SD",
            amount=1_000_000,
            valid_from=date(2026, 1, 1),
        )
    local = actions.save_programme(
        personas["admin_maros"],
        code="apbd-maros-rtlh",
        name="Bedah Rumah APBD Maros",
        area=personas["admin_maros"].area,
        level="kabupaten",
        benefit_type="barang",
        legal_basis="Perda Kabupaten Maros\n\n",
    )
    assert local.code == "APBD-MAROS-RTLH" and local.legal_basis == ["Perda Kabupaten Maros"]
    actions.set_programme_amount(
        personas["admin_maros"],
        local,
        component="rumah",
        label="Per rumah",
        amount=15_000_000,
        per="unit",
        valid_from=date(2025, 1, 1),
    )
    actions.set_programme_amount(
        personas["admin_maros"],
        local,
        component="RUMAH",
        label="Per rumah",
        amount=20_000_000,
        per="unit",
        valid_from=date(2026, 1, 1),
    )
    first = ProgrammeAmount.objects.get(programme=local, valid_from=date(2025, 1, 1))
    assert first.valid_to == date(2025, 12, 31)
    assert [a.amount for a in local.amounts_on(date(2026, 3, 1))] == [20_000_000]
    with pytest.raises(ValidationError):
        actions.save_programme(
            personas["admin_maros"],
            code="bad code!",
            name="X",
            benefit_type="tunai",
            area=personas["admin_maros"].area,
        )
    assert (
        not Programme.objects.restrict(personas["admin_makassar"], "change")
        .filter(pk=local.pk)
        .exists()
    )
