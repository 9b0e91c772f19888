"""An accredited provider of Kabupaten Maros with a scheme on seed 001's terms, its staff (the
``partner`` persona), and breadwinners of Moncongloe registered through the registry's actions.
Another provider (``other_provider``) with its own staff shows what a provider may not see."""

from __future__ import annotations

from datetime import date

import pytest

from pandu.conftest import LAPPARA, make_nik
from pandu.insurance import actions
from pandu.insurance.choices import Finding
from pandu.insurance.models import Member, Provider, Scheme
from pandu.regions.models import Area

#: The day the tests' ledger and claims are judged on (``insurance.clock``).
TODAY = date(2026, 6, 15)
VALID_FROM = date(2025, 1, 1)
VALID_UNTIL = date(2027, 12, 31)


def accredit(admin, provider: Provider, *, valid_from=VALID_FROM, valid_until=VALID_UNTIL):
    application = actions.open_accreditation(admin, provider, applied_on=date(2024, 12, 1))
    for item in application.items.all():
        actions.record_evidence(admin, item, evidence="Akta dan dokumen pendukung")
        actions.review_item(admin, item, finding=Finding.MET, note="")
    return actions.decide_accreditation(
        admin,
        application,
        accredited=True,
        decision_number="SK-460/01/2025",
        decided_on=date(2024, 12, 20),
        valid_from=valid_from,
        valid_until=valid_until,
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The ledger's today is a fixed day, so months, dues and lapses read the same every year."""
    from pandu.insurance import clock

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def provider(personas):
    admin = personas["admin_maros"]
    made = actions.create_provider(
        admin,
        name="LKS Harapan Maros",
        code="LKS01",
        area=Area.objects.get(code="73.09"),
        established_on=date(2015, 6, 1),
    )
    accredit(admin, made)
    actions.link_staff(admin, made, personas["partner"], position="Petugas iuran")
    return made


@pytest.fixture
def provider_staff_2(personas, provider):
    """A second staff member of the same provider (claims are decided by someone else)."""
    from pandu.accounts.models import User

    user = User.objects.create_user(
        "partner_2", password="persona-pass-2026", role="partner", area_id="73.09"
    )
    actions.link_staff(personas["admin_maros"], provider, user, position="Pemeriksa klaim")
    return user


@pytest.fixture
def other_provider(personas):
    from pandu.accounts.models import User

    admin = personas["admin_maros"]
    made = actions.create_provider(
        admin, name="Yayasan Sejahtera", code="YS02", area=Area.objects.get(code="73.09")
    )
    accredit(admin, made)
    staff = User.objects.create_user(
        "partner_other", password="persona-pass-2026", role="partner", area_id="73.09"
    )
    actions.link_staff(admin, made, staff)
    made.staff_user = staff  # type: ignore[attr-defined]
    return made


@pytest.fixture
def scheme(provider, personas) -> Scheme:
    return actions.create_scheme(
        personas["admin_maros"], provider, name="Askesos 2025", terms={"valid_from": VALID_FROM}
    )


@pytest.fixture
def breadwinner_factory(household_factory):
    """A household whose head is an informal-sector breadwinner with an ID card."""
    counter = {"n": 0}

    def make(born=date(1985, 3, 4), marital_status=2, village=LAPPARA, **person):
        counter["n"] += 1
        n = counter["n"]
        head = {
            "nik": make_nik(village[:8], born, "L", 500 + n),
            "full_name": f"Baso Daeng {n}",
            "sex": "L",
            "birth_date": born,
            "relationship": 1,
            "marital_status": marital_status,
            "has_id_card": True,
            "work_status": 1,
            **person,
        }
        household = household_factory(village, members=[head])
        return household.members.get()

    return make


@pytest.fixture
def enrol(personas, scheme, breadwinner_factory):
    def make(person=None, *, on=date(2026, 6, 1), user=None, **data) -> Member:
        person = person or breadwinner_factory()
        return actions.enrol_member(
            user or personas["partner"],
            scheme,
            nik=person.nik,
            enrolled_on=on,
            occupation=data.pop("occupation", "Pedagang sayur keliling"),
            monthly_income=data.pop("monthly_income", 300_000),
            work_status=data.pop("work_status", 1),
            breadwinner=data.pop("breadwinner", True),
        )

    return make
