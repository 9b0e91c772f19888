"""The registry's write rules, exercised through the actions every entry point uses."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pandu.conftest import BULU, LAPPARA, MAKASSAR_VILLAGE, make_kk, make_nik
from pandu.registry import actions
from pandu.registry.models import Household, Membership, Person, PPKSAssignment, PPKSCategory

pytestmark = pytest.mark.django_db


def member(nik, name="Andi Baso", sex="L", born=date(1980, 1, 1), rel=1, **extra):
    return {
        "nik": nik,
        "full_name": name,
        "sex": sex,
        "birth_date": born,
        "relationship": rel,
        "marital_status": 2,
        **extra,
    }


def test_operator_registers_household_in_own_village_with_history_reason(personas):
    op = personas["operator_lappara"]
    hh = actions.register_household(
        op,
        household={
            "kk_number": make_kk("73.09.13", date(2020, 1, 5), 7),
            "village": LAPPARA,
            "rt": 1,
            "rw": 2,
        },
        members=[member(make_nik("73.09.13", date(1980, 1, 1), "L", 5))],
        reason="Musdes 10-11-2026",
    )
    person = hh.members.get()
    assert person.area_code == LAPPARA
    assert person.name_key == "andi baso"
    assert hh.history.get().history_change_reason == "Musdes 10-11-2026"
    assert hh.history.get().history_user == op
    assert Membership.objects.get(person=person).ended is None


def test_operator_cannot_register_household_in_another_village(personas):
    with pytest.raises(PermissionDenied):
        actions.register_household(
            personas["operator_lappara"],
            household={
                "kk_number": make_kk("73.09.13", date(2020, 1, 5), 8),
                "village": BULU,
                "rt": 1,
                "rw": 1,
            },
            members=[member(make_nik("73.09.13", date(1980, 1, 1), "L", 6))],
        )
    assert not Household.objects.exists()


def test_partner_and_head_cannot_change_the_registry(personas):
    for name in ("partner", "head"):
        with pytest.raises(PermissionDenied):
            actions.register_household(
                personas[name],
                household={
                    "kk_number": make_kk("73.09.13", date(2020, 1, 5), 9),
                    "village": LAPPARA,
                    "rt": 1,
                    "rw": 1,
                },
                members=[member(make_nik("73.09.13", date(1980, 1, 1), "L", 7))],
            )
    assert not Person.objects.exists()


def test_household_needs_exactly_one_head(personas):
    with pytest.raises(ValidationError) as exc:
        actions.register_household(
            personas["admin_maros"],
            household={
                "kk_number": make_kk("73.09.13", date(2020, 1, 5), 9),
                "village": LAPPARA,
                "rt": 1,
                "rw": 1,
            },
            members=[member(make_nik("73.09.13", date(1980, 1, 1), "L", 7), rel=3)],
        )
    assert "members" in exc.value.message_dict


def test_child_head_needs_a_reason_and_is_accepted_with_one(personas):
    born = date.today().replace(year=date.today().year - 13) - timedelta(days=3)
    kid = member(make_nik("73.09.13", born, "P", 3), name="Nur Aisyah", sex="P", born=born)
    kid["marital_status"] = 1
    data = {
        "kk_number": make_kk("73.09.13", date(2024, 2, 2), 1),
        "village": LAPPARA,
        "rt": 3,
        "rw": 1,
    }
    with pytest.raises(ValidationError) as exc:
        actions.register_household(personas["admin_maros"], household=data, members=[kid])
    assert "head_reason" in exc.value.member_errors[0]
    kid["head_reason"] = "Yatim piatu, tinggal sendiri"
    hh = actions.register_household(personas["admin_maros"], household=data, members=[kid])
    assert hh.members.get().head_reason == "Yatim piatu, tinggal sendiri"


def test_duplicate_nik_is_refused_and_nothing_is_written(household_factory, personas):
    first = household_factory()
    existing = first.members.first()
    before = (Household.objects.count(), Person.objects.count())
    with pytest.raises(ValidationError) as exc:
        actions.register_household(
            personas["admin_maros"],
            household={
                "kk_number": make_kk("73.09.13", date(2021, 1, 1), 99),
                "village": LAPPARA,
                "rt": 1,
                "rw": 1,
            },
            members=[member(existing.nik)],
        )
    assert "nik" in exc.value.member_errors[0]
    assert (Household.objects.count(), Person.objects.count()) == before


def test_nik_mismatching_recorded_birth_date_is_kept_but_flagged(personas):
    nik = make_nik("73.09.13", date(1980, 1, 1), "L", 11)
    hh = actions.register_household(
        personas["admin_maros"],
        household={
            "kk_number": make_kk("73.09.13", date(2020, 1, 5), 11),
            "village": LAPPARA,
            "rt": 1,
            "rw": 1,
        },
        members=[member(nik, born=date(1981, 3, 4))],
    )
    person = hh.members.get()
    assert person.flagged
    assert "nik_birth_date_mismatch" in person.quality_flags


def test_update_person_records_before_after_and_reason(household_factory, personas):
    person = household_factory().members.get(relationship=1)
    actions.update_person(
        personas["tksk_moncongloe"],
        person,
        {"disability_type": 1, "disability_severity": 3},
        reason="Kunjungan rumah 12-11-2026",
    )
    latest = person.history.order_by("-history_date").first()
    assert latest.history_change_reason == "Kunjungan rumah 12-11-2026"
    delta = latest.diff_against(latest.prev_record)
    assert {c.field for c in delta.changes} >= {"disability_type", "disability_severity"}


def test_death_is_a_status_change_not_a_deletion(household_factory, personas):
    person = household_factory().members.get(relationship=2)
    actions.record_death(
        personas["operator_lappara"],
        person,
        on=date(2026, 10, 1),
        reason="Surat keterangan kematian desa",
    )
    person.refresh_from_db()
    assert person.status == "deceased"
    assert Membership.objects.get(person=person).ended == date(2026, 10, 1)
    with pytest.raises(ValidationError):
        actions.record_death(
            personas["operator_lappara"], person, on=date.today() + timedelta(days=2), reason="x"
        )


def test_move_closes_old_membership_and_updates_scope(household_factory, personas):
    a = household_factory(village=LAPPARA)
    b = household_factory(village=BULU)
    child = actions.add_member(
        personas["admin_maros"],
        a,
        member(
            make_nik("73.09.13", date(2001, 4, 4), "L", 77),
            name="Baso",
            born=date(2001, 4, 4),
            rel=3,
            marital_status=1,
        ),
    )
    actions.move_person(
        personas["admin_maros"],
        child,
        to=b,
        relationship=8,
        on=date(2026, 9, 1),
        reason="Menumpang di rumah paman",
    )
    child.refresh_from_db()
    assert child.household == b and child.area_code == BULU
    assert Membership.objects.filter(person=child).count() == 2
    assert Membership.objects.get(person=child, ended__isnull=True).household == b


def test_ppks_age_rule_is_enforced(household_factory, personas):
    head = household_factory().members.get(relationship=1)  # born 1980
    elderly = PPKSCategory.objects.get(number=8)
    with pytest.raises(ValidationError) as exc:
        actions.assign_ppks(
            personas["admin_maros"],
            category=elderly,
            person=head,
            identified_on=date.today(),
            source="visit",
        )
    assert "≥60" in " ".join(exc.value.message_dict["category"])
    disability = PPKSCategory.objects.get(number=9)
    a = actions.assign_ppks(
        personas["admin_maros"],
        category=disability,
        person=head,
        identified_on=date.today(),
        source="visit",
        verified=True,
    )
    assert a.area_code == LAPPARA and a.verified_by == personas["admin_maros"]


def test_women_only_category_refuses_a_man(household_factory, personas):
    head = household_factory().members.get(relationship=1)
    with pytest.raises(ValidationError):
        actions.assign_ppks(
            personas["admin_maros"],
            category=PPKSCategory.objects.get(number=23),
            person=head,
            identified_on=date.today(),
            source="visit",
        )


def test_household_level_category_goes_on_the_household(household_factory, personas):
    hh = household_factory()
    poor = PPKSCategory.objects.get(number=24)
    a = actions.assign_ppks(
        personas["operator_lappara"],
        category=poor,
        household=hh,
        identified_on=date.today(),
        source="musdes",
    )
    assert a.household == hh
    with pytest.raises(ValidationError):
        actions.assign_ppks(
            personas["operator_lappara"],
            category=PPKSCategory.objects.get(number=9),
            household=hh,
            identified_on=date.today(),
            source="musdes",
        )


def test_sensitive_category_needs_a_need_to_know_role(household_factory, personas):
    person = household_factory().members.get(relationship=2)
    violence = PPKSCategory.objects.get(number=19)
    assert violence.sensitive
    with pytest.raises(PermissionDenied):
        actions.assign_ppks(
            personas["operator_lappara"],
            category=violence,
            person=person,
            identified_on=date.today(),
            source="visit",
        )
    a = actions.assign_ppks(
        personas["social_worker"],
        category=violence,
        person=person,
        identified_on=date.today(),
        source="referral",
    )
    assert (
        not PPKSAssignment.objects.visible_to(personas["operator_lappara"]).filter(pk=a.pk).exists()
    )
    assert PPKSAssignment.objects.visible_to(personas["social_worker"]).filter(pk=a.pk).exists()


def test_visible_to_keeps_each_user_inside_their_area(household_factory, personas):
    household_factory(village=LAPPARA)
    household_factory(village=BULU)
    household_factory(village=MAKASSAR_VILLAGE)
    visible = {
        u: set(Household.objects.visible_to(personas[u]).values_list("village", flat=True))
        for u in personas
    }
    assert visible["operator_lappara"] == {LAPPARA}
    assert visible["operator_bulu"] == {BULU}
    assert visible["tksk_moncongloe"] == {LAPPARA, BULU}
    assert visible["admin_maros"] == {LAPPARA, BULU}
    assert visible["admin_makassar"] == {MAKASSAR_VILLAGE}
    assert visible["partner"] == set() and visible["head"] == set()


def test_search_finds_a_surname_typed_alone_and_words_in_any_order(household_factory, personas):
    from pandu.registry.filtersets import search_people

    household_factory()
    visible = Person.objects.visible_to(personas["admin_maros"])
    assert search_people(visible, "rahman").filter(full_name__startswith="Muhammad").exists()
    assert search_people(visible, "rahman moh").exists()
    assert not search_people(visible, "ahman").exists()
