"""Whether a NIK or KK exists is told plainly only inside the user's area; elsewhere the answer
is a neutral refusal. Every check is counted per user and logged, without the number."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.shortcuts import resolve_url
from django.test import Client

from pandu.conftest import LAPPARA, MAKASSAR_VILLAGE, make_kk, make_nik
from pandu.core import ratelimit
from pandu.core.models import AccessLog
from pandu.registry import actions

pytestmark = pytest.mark.django_db

NEUTRAL = "Hubungi Dinas Sosial"
TAKEN = "sudah terdaftar"


def _member(nik: str, rel: int = 1, sex: str = "L") -> dict:
    return {
        "nik": nik,
        "full_name": "Andi Baso",
        "sex": sex,
        "birth_date": date(1980, 5, 17),
        "relationship": rel,
        "marital_status": 2,
    }


def _makassar_family(nik: str, kk_serial: int = 90) -> dict:
    return {
        "household": {
            "kk_number": make_kk(MAKASSAR_VILLAGE[:8], date(2015, 3, 1), kk_serial),
            "village": MAKASSAR_VILLAGE,
            "rt": 1,
            "rw": 1,
        },
        "members": [_member(nik)],
    }


def _errors(exc: pytest.ExceptionInfo) -> str:
    value = exc.value
    return " ".join(
        [
            *value.messages,
            *(str(m) for d in getattr(value, "member_errors", None) or [] for m in d.values()),
        ]
    )


@pytest.fixture
def maros_family(household_factory):
    return household_factory(LAPPARA)


def _inline(user, nik: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.post(resolve_url("registry:nik_field_check"), {"m-0-nik": nik})
    return response.content.decode()


def test_the_inline_check_says_registered_only_inside_the_users_area(personas, maros_family):
    nik = maros_family.members.first().nik
    assert TAKEN in _inline(personas["operator_lappara"], nik)
    elsewhere = _inline(personas["admin_makassar"], nik)
    assert TAKEN not in elsewhere and "Susunan NIK sah." in elsewhere


def test_registering_a_nik_of_another_area_gets_a_neutral_refusal(personas, maros_family):
    nik = maros_family.members.first().nik
    with pytest.raises(ValidationError) as refused:
        actions.register_household(personas["admin_makassar"], **_makassar_family(nik))
    text = _errors(refused)
    assert NEUTRAL in text and TAKEN not in text


def test_registering_a_kk_of_another_area_gets_a_neutral_refusal(personas, maros_family):
    family = _makassar_family(make_nik(MAKASSAR_VILLAGE[:8], date(1980, 5, 17), "L", 501))
    family["household"]["kk_number"] = maros_family.kk_number
    with pytest.raises(ValidationError) as refused:
        actions.register_household(personas["admin_makassar"], **family)
    assert NEUTRAL in refused.value.message_dict["kk_number"][0]
    assert TAKEN not in _errors(refused)


def test_adding_a_member_with_a_nik_of_another_area_gets_a_neutral_refusal(
    personas, maros_family, household_factory
):
    makassar_home = household_factory(MAKASSAR_VILLAGE)
    nik = maros_family.members.first().nik
    with pytest.raises(ValidationError) as refused:
        actions.add_member(personas["admin_makassar"], makassar_home, _member(nik, rel=3))
    assert NEUTRAL in refused.value.message_dict["nik"][0]


def test_inside_the_area_registered_numbers_are_named_as_such(personas, maros_family):
    nik = maros_family.members.first().nik
    family = {
        "household": {
            "kk_number": maros_family.kk_number,
            "village": LAPPARA,
            "rt": 1,
            "rw": 1,
        },
        "members": [_member(nik)],
    }
    with pytest.raises(ValidationError) as refused:
        actions.register_household(personas["operator_lappara"], **family)
    assert TAKEN in refused.value.message_dict["kk_number"][0]
    assert TAKEN in _errors(refused)


def test_each_check_is_logged_as_a_lookup_without_the_number(personas, maros_family):
    nik = maros_family.members.first().nik
    user = personas["admin_makassar"]
    before = AccessLog.objects.filter(user=user, kind=AccessLog.Kind.LOOKUP).count()
    _inline(user, nik)
    _inline(user, make_nik("73.71.01", date(1990, 1, 1), "L", 7))
    rows = AccessLog.objects.filter(user=user, kind=AccessLog.Kind.LOOKUP)
    assert rows.count() == before + 2
    assert not [r for r in rows if nik in f"{r.path} {r.detail} {r.object_uid}"]


def test_checks_are_limited_per_user_in_the_shared_count(personas, maros_family, settings):
    settings.PANDU_EXISTENCE_CHECKS = 3
    nik = maros_family.members.first().nik
    user = personas["operator_lappara"]
    answers = [_inline(user, nik) for _ in range(4)]
    assert all(TAKEN in a for a in answers[:3])
    assert TAKEN not in answers[3] and "Terlalu banyak pemeriksaan" in answers[3]
    assert ratelimit.count("registry.exists", f"user:{user.pk}") == 4
    # Another user is not slowed down by this one.
    assert TAKEN in _inline(personas["tksk_moncongloe"], nik)
    family = _makassar_family(nik)
    family["household"]["village"] = LAPPARA
    with pytest.raises(ValidationError) as refused:
        actions.register_household(user, **family)
    assert "Terlalu banyak pemeriksaan" in _errors(refused)
