"""Fixtures of the payment tests: the catalogue's PKH/BPNT/KUBE (with the default schemes and
components of the data migration), active KPM made straight in the tables, a national
administrator who may change a national programme's configuration, and a KUBE group."""

from __future__ import annotations

from datetime import date

import pytest

from pandu.conftest import BULU, LAPPARA, MAKASSAR_VILLAGE, MANDAI_VILLAGE

__all__ = ["BULU", "LAPPARA", "MAKASSAR_VILLAGE", "MANDAI_VILLAGE"]


@pytest.fixture
def catalogue(transactional_db):
    """For tests on a transactional database: the catalogue's programmes and the default
    schemes and components, which data migrations wrote and an earlier transactional test's
    flush took away, written again by the migrations' own functions (they skip what exists).
    ``serialized_rollback`` would restore them, but on PostgreSQL its saved content types clash
    with those the earlier flush made anew."""
    from importlib import import_module

    from django.apps import apps

    for module, function in (
        ("pandu.programs.migrations.0002_catalogue", "fill"),
        ("pandu.payments.migrations.0002_default_schemes", "add"),
    ):
        getattr(import_module(module), function)(apps, None)


@pytest.fixture
def pkh(db):
    from pandu.programs.models import Programme

    return Programme.objects.get(code="PKH")


@pytest.fixture
def bpnt(db):
    from pandu.programs.models import Programme

    return Programme.objects.get(code="BPNT")


@pytest.fixture
def kube(db):
    from pandu.programs.models import Programme

    return Programme.objects.get(code="KUBE")


@pytest.fixture
def maros(areas):
    from pandu.regions.models import Area

    return Area.objects.get(code="73.09")


@pytest.fixture
def national(personas):
    """The national administrator: a superuser without an area (the whole country)."""
    from pandu.accounts.models import User

    return User.objects.create_user(
        "nasional", password="x-pass-2026", role="admin", area_id=None, is_superuser=True
    )


@pytest.fixture
def enrol(db):
    """Make a family an active KPM of a programme (straight in the table, as a decree would)."""
    from pandu.programs.models import Enrolment

    def make(household, programme, status: str = "aktif"):
        head = household.members.filter(relationship=1).first()
        return Enrolment.objects.create(
            programme=programme,
            household=household,
            recipient=head,
            area_code=household.village_id,
            status=status,
            step="ditetapkan",
            status_since=date(2025, 1, 1),
            enrolled_on=date(2025, 1, 1),
        )

    return make


@pytest.fixture
def group(areas):
    from pandu.organisations.models import Organisation

    return Organisation.objects.create(
        name="KUBE Maju Bersama Lappara", kind="masyarakat", area_id=LAPPARA
    )


@pytest.fixture
def bulk_families(areas):
    """Families written straight into the tables (fast, for many random families): each spec
    is ``{"village", "status", "members": [{"birth_date", "pregnant", "school_level", ...}]}``.
    Returns the households."""
    from pandu.registry.models import Household, Person

    counter = {"n": 0}

    def make(specs: list[dict]) -> list:
        made = []
        for spec in specs:
            counter["n"] += 1
            n = counter["n"]
            hh = Household.objects.create(
                kk_number=f"7309{n:012d}",
                village_id=spec.get("village", LAPPARA),
                rt=1,
                rw=1,
                status=spec.get("status", "active"),
            )
            people = []
            for j, m in enumerate(spec.get("members", [{}])):
                people.append(
                    Person(
                        nik=f"73{n:09d}{j:05d}",
                        household=hh,
                        area_code=hh.village_id,
                        full_name=f"Orang {n}-{j}",
                        sex=m.get("sex", "P" if m.get("pregnant") else "L"),
                        birth_date=m.get("birth_date", date(1980, 1, 1)),
                        relationship=m.get("relationship", 1 if j == 0 else 3),
                        pregnant=m.get("pregnant", False),
                        disability_type=m.get("disability_type", 0),
                        disability_severity=m.get("disability_severity", 0),
                        school_level=m.get("school_level"),
                        bank_name=m.get("bank_name", ""),
                        bank_account=m.get("bank_account", ""),
                        status=m.get("status", "active"),
                    )
                )
            Person.objects.bulk_create(people)
            made.append(hh)
        return made

    return make
