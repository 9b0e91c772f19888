"""Seed 001's rules at their edges: ages 20, 21, 60 and 61, married at 19, a provider without
valid accreditation, one scheme at a time."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from pandu.insurance import actions
from pandu.insurance.choices import MemberStatus

ON = date(2026, 6, 1)


def born_years_before(years: int, *, days: int = 0) -> date:
    return date(ON.year - years, ON.month, ON.day)


@pytest.mark.parametrize(
    ("age", "married", "ok"),
    [
        (20, False, False),
        (21, False, True),
        (60, False, True),
        (61, False, False),
        (61, True, False),
    ],
)
def test_age_limits_are_inclusive_21_to_60(enrol, breadwinner_factory, age, married, ok):
    person = breadwinner_factory(born=born_years_before(age), marital_status=2 if married else 1)
    if ok:
        assert enrol(person, on=ON).status == MemberStatus.ACTIVE
    else:
        with pytest.raises(ValidationError) as err:
            enrol(person, on=ON)
        assert "nik" in err.value.message_dict
        assert f"{age} tahun" in err.value.message_dict["nik"][0]


def test_a_person_who_turns_21_tomorrow_is_still_20(enrol, breadwinner_factory):
    person = breadwinner_factory(born=date(2005, 6, 2), marital_status=1)
    with pytest.raises(ValidationError):
        enrol(person, on=ON)


def test_married_at_19_may_join(enrol, breadwinner_factory):
    person = breadwinner_factory(born=born_years_before(19), marital_status=2)
    membership = enrol(person, on=ON)
    assert membership.status == MemberStatus.ACTIVE
    assert membership.person == person


def test_income_work_and_breadwinner_are_each_named(enrol, breadwinner_factory):
    person = breadwinner_factory()
    with pytest.raises(ValidationError) as err:
        enrol(person, monthly_income=2_000_000, work_status=4, breadwinner=False)
    fields = err.value.message_dict
    assert set(fields) >= {"monthly_income", "work_status", "breadwinner"}


def test_a_person_without_id_card_is_refused(enrol, breadwinner_factory):
    person = breadwinner_factory(has_id_card=False)
    with pytest.raises(ValidationError) as err:
        enrol(person)
    assert "KTP" in " ".join(err.value.message_dict["nik"])


def test_provider_without_valid_accreditation_cannot_enrol(personas, enrol, provider):
    accreditation = provider.accreditations.get()
    with pytest.raises(ValidationError) as err:
        enrol(on=date(2024, 12, 31))  # before the accreditation's first day
    assert "akreditasi" in " ".join(err.value.messages)
    actions.revoke_accreditation(
        personas["admin_maros"], accreditation, reason="Laporan keuangan tidak transparan"
    )
    with pytest.raises(ValidationError):
        enrol(on=ON)
    assert not provider.members.exists()


def test_lapsed_accreditation_also_stops_enrolment(personas, scheme, enrol, provider):
    accreditation = provider.accreditations.get()
    accreditation.valid_until = date(2025, 12, 31)
    accreditation.save()
    with pytest.raises(ValidationError):
        enrol(on=ON)


def test_one_scheme_at_a_time(personas, enrol, breadwinner_factory, other_provider):
    person = breadwinner_factory()
    first = enrol(person)
    other_scheme = actions.create_scheme(
        personas["admin_maros"],
        other_provider,
        name="Skema lain",
        terms={"valid_from": date(2025, 1, 1)},
    )
    with pytest.raises(ValidationError) as err:
        actions.enrol_member(
            other_provider.staff_user,
            other_scheme,
            nik=person.nik,
            enrolled_on=ON,
            occupation="Tukang ojek",
            monthly_income=300_000,
            work_status=1,
            breadwinner=True,
        )
    assert first.number in " ".join(err.value.messages)


def test_unknown_nik_gets_a_neutral_answer(enrol, breadwinner_factory, personas, scheme):
    with pytest.raises(ValidationError) as err:
        actions.enrol_member(
            personas["partner"],
            scheme,
            nik="7309134403850001",
            enrolled_on=ON,
            occupation="x",
            monthly_income=1,
            work_status=1,
            breadwinner=True,
        )
    assert "tidak ditemukan" in err.value.message_dict["nik"][0]


def test_a_provider_outside_the_staff_link_is_refused(
    enrol, other_provider, breadwinner_factory, scheme
):
    from django.core.exceptions import PermissionDenied

    person = breadwinner_factory()
    with pytest.raises(PermissionDenied):
        actions.enrol_member(
            other_provider.staff_user,
            scheme,
            nik=person.nik,
            enrolled_on=ON,
            occupation="x",
            monthly_income=1,
            work_status=1,
            breadwinner=True,
        )
