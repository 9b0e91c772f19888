"""Registry fields targeting reads: validated on the model and in the actions, carried by the
forms and the API, the bank account shown in full only to roles with need to know."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from pandu.conftest import LAPPARA
from pandu.registry import actions
from pandu.registry.forms import HouseholdForm, PersonForm
from pandu.registry.history import history_records
from pandu.registry.models import Household, Person

from .test_api import client_for, new_household_body

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


def _registered(personas) -> Household:
    body = new_household_body()
    client = client_for(personas["admin_maros"])
    body.update(
        income_monthly=1_500_000,
        expenditure_monthly=1_250_000,
        land_area=300,
        collected_on="2025-03-05",
        desil=3,
        desil_source="manual",
        desil_reference="Musdes 2025",
        livestock={"kambing": 4},
        businesses=[{"kind": 1, "sector": 8, "workers": 1, "turnover_monthly": 900_000}],
    )
    body["members"][0].update(
        phone="0812 3456 7890", bank_name="BRI", bank_account="1234567890123", health_insurance=1
    )
    body["members"][1].update(pregnant=True, pregnancy_months=4, school_level=0)
    response = client.post(f"{API}/households/", body, format="json")
    assert response.status_code == 201, response.content
    return Household.objects.get(uid=response.json()["uid"])


def test_pregnancy_is_only_for_women_and_its_details_only_for_a_pregnancy():
    man = Person(nik="7309131705800010", full_name="A", sex="L", birth_date=date(1980, 5, 17),
                 relationship=1, pregnant=True)  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        man.clean()
    assert "pregnant" in exc.value.message_dict
    woman = Person(sex="P", pregnant=False, pregnancy_months=3, due_date=date.today())
    with pytest.raises(ValidationError) as exc:
        woman.clean()
    assert {"pregnancy_months", "due_date"} <= set(exc.value.message_dict)
    far = Person(sex="P", pregnant=True, due_date=date.today() + timedelta(days=400))
    with pytest.raises(ValidationError) as exc:
        far.clean()
    assert "due_date" in exc.value.message_dict
    Person(sex="P", pregnant=True, pregnancy_months=7, phone="+6281234567890").clean()


def test_phone_and_account_are_normalised_or_refused():
    person = Person(sex="P", phone="+62 812-3456-7890", bank_account="0123.4567.89")
    person.clean()
    assert (person.phone, person.bank_account) == ("081234567890", "0123456789")
    with pytest.raises(ValidationError) as exc:
        Person(sex="P", phone="12", bank_account="abc").clean()
    assert {"phone", "bank_account"} <= set(exc.value.message_dict)


def test_household_codes_and_breadwinner_are_checked(personas):
    hh = _registered(personas)
    hh.assets, hh.cards, hh.livestock = ["tv", "yacht"], ["kks"], {"naga": 1}
    with pytest.raises(ValidationError) as exc:
        hh.clean()
    assert {"assets", "livestock"} <= set(exc.value.message_dict)
    stranger = Person.objects.exclude(household=hh).first() or _other_person(personas)
    with pytest.raises(ValidationError) as exc:
        actions.update_household(personas["admin_maros"], hh, {"breadwinner": stranger})
    assert "breadwinner" in exc.value.message_dict


def _other_person(personas) -> Person:
    body = new_household_body(2)
    client_for(personas["admin_maros"]).post(f"{API}/households/", body, format="json")
    return Person.objects.get(full_name="Andi Baso", household__kk_number=body["kk_number"])


def test_a_man_cannot_be_recorded_pregnant_through_the_action(personas):
    hh = _registered(personas)
    head = hh.members.get(relationship=1)
    with pytest.raises(ValidationError) as exc:
        actions.update_person(personas["admin_maros"], head, {"pregnant": True})
    assert "pregnant" in exc.value.message_dict


def test_api_round_trip_of_the_new_fields(personas):
    hh = _registered(personas)
    assert hh.businesses.count() == 1 and hh.has_business
    wife = hh.members.get(relationship=2)
    client = client_for(personas["admin_maros"])
    response = client.patch(
        f"{API}/households/{hh.uid}/",
        {"breadwinner": str(wife.uid), "businesses": [], "reason": "Hasil kunjungan"},
        format="json",
        HTTP_IF_MATCH=client.get(f"{API}/households/{hh.uid}/")["ETag"],
    )
    assert response.status_code == 200, response.content
    data = client.get(f"{API}/households/{hh.uid}/").json()
    assert data["breadwinner"] == str(wife.uid) and data["businesses"] == []
    assert data["income_monthly"] == 1_500_000 and data["land_area"] == 300
    assert (data["desil"], data["desil_source"], data["desil_reference"]) == (
        3,
        "manual",
        "Musdes 2025",
    )
    assert data["livestock"] == {"kambing": 4} and data["collected_on"] == "2025-03-05"
    person = client.get(f"{API}/persons/{wife.uid}/").json()
    assert person["pregnant"] and person["pregnancy_months"] == 4
    head = hh.members.get(relationship=1)
    person = client.get(f"{API}/persons/{head.uid}/").json()
    assert person["phone"] == "081234567890" and person["bank_account"] == "1234567890123"
    assert person["health_insurance"] == 1


def test_api_refuses_pregnancy_details_for_a_man_with_a_reason(personas):
    body = new_household_body(3)
    body["members"][0]["pregnancy_months"] = 3
    response = client_for(personas["admin_maros"]).post(f"{API}/households/", body, format="json")
    assert response.status_code == 400
    assert "hamil" in response.content.decode()
    assert not Household.objects.filter(kk_number=body["kk_number"]).exists()


def test_bank_account_is_masked_for_a_role_without_need(personas):
    hh = _registered(personas)
    head = hh.members.get(relationship=1)
    data = client_for(personas["operator_lappara"]).get(f"{API}/persons/{head.uid}/").json()
    assert data["bank_account"] == "*********0123"
    form = PersonForm(instance=head, user=personas["operator_lappara"])
    assert "1234567890123" not in form.as_p() and "0123" in str(form["bank_account"].help_text)
    full = PersonForm(instance=head, user=personas["admin_maros"])
    assert "1234567890123" in full.as_p()


def test_an_operator_leaving_the_account_empty_keeps_it(personas):
    hh = _registered(personas)
    head = hh.members.get(relationship=1)
    operator = personas["operator_lappara"]
    form = PersonForm(instance=head, user=operator)
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(birth_date="09-01-1975", phone="081299990000", bank_account="")
    bound = PersonForm(data, instance=head, user=operator)
    assert bound.is_valid(), bound.errors
    actions.update_person(operator, head, bound.action_data(), "Nomor baru")
    head.refresh_from_db()
    assert head.bank_account == "1234567890123" and head.phone == "081299990000"


def test_history_never_shows_an_account_in_full(personas):
    hh = _registered(personas)
    head = hh.members.get(relationship=1)
    actions.update_person(personas["admin_maros"], head, {"bank_account": "9876543210"}, "KKS baru")
    changes = [ch for e in history_records(head) for ch in e["changes"]]
    account = next(ch for ch in changes if ch["field"] == "bank_account")
    assert account["old"].endswith("0123") and "1234567890123" not in str(changes)
    assert account["new"] == "******3210"


def test_household_form_carries_the_new_fields(personas):
    hh = _registered(personas)
    form = HouseholdForm(instance=hh)
    for name in ("income_monthly", "expenditure_monthly", "land_area", "breadwinner",
                 "collected_on", "desil_source", "livestock"):  # fmt: skip
        assert name in form.fields
    assert set(form.fields["breadwinner"].queryset) == set(hh.members.all())
    assert form.initial["livestock"] == "kambing=4"
    bound = HouseholdForm({"livestock": "sapi=x"}, instance=hh)
    bound.is_valid()
    assert "livestock" in bound.errors
    assert hh.village_id == LAPPARA
