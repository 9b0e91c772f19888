"""The targeting fields on the record pages and printed profiles: amounts in rupiah, dates as
the office writes them, codes by their names, the desil with where it came from; the bank
account in full only for roles with need to know (and that reading is logged), masked on paper
for everyone; a household's businesses recorded, changed and removed from its page, with the
reason in the history, only inside the user's area."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from pandu.conftest import LAPPARA
from pandu.core.models import AccessLog
from pandu.core.tests.pdf import body, pdf_text
from pandu.registry import actions
from pandu.registry.models import Household, HouseholdBusiness

pytestmark = pytest.mark.django_db
ACCOUNT = "1234567890123"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def family(household_factory, personas):
    """A Lappara family with every targeting field filled; the wife is 4 months pregnant and
    the husband, the breadwinner, has a BRI account."""
    admin = personas["admin_maros"]
    hh = household_factory(
        LAPPARA,
        income_monthly=1_500_000,
        expenditure_monthly=1_250_000,
        land_area=2500,
        collected_on=date(2025, 3, 5),
        desil=3,
        desil_source="manual",
        desil_reference="Musdes Lappara 2025",
        livestock={"kambing": 4, "unggas": 12},
        cards=["kks", "pkh"],
        assets=["fridge"],
        businesses=[{"kind": 1, "sector": 8, "workers": 2, "turnover_monthly": 900_000}],
    )
    husband = hh.members.get(relationship=1)
    wife = hh.members.get(relationship=2)
    actions.update_household(admin, hh, {"breadwinner": husband}, "Pendataan")
    actions.update_person(
        admin,
        husband,
        {"phone": "081234567890", "bank_name": "BRI", "bank_account": ACCOUNT,
         "health_insurance": 1},
        "Pendataan",
    )  # fmt: skip
    actions.update_person(
        admin,
        wife,
        {"pregnant": True, "pregnancy_months": 4,
         "due_date": date.today() + timedelta(days=150), "school_level": 0},
        "Pendataan",
    )  # fmt: skip
    hh.refresh_from_db()
    return hh, husband, wife


# --- Pages -----------------------------------------------------------------------------------


def test_household_page_shows_economy_desil_origin_and_businesses(personas, family):
    hh, husband, _wife = family
    page = client_for(personas["operator_lappara"]).get(
        reverse("registry:household_detail", args=[hh.uid])
    )
    html = page.content.decode()
    assert page.status_code == 200
    for text in (
        "Rp 1.500.000",
        "Rp 1.250.000",
        "2.500 m²",
        "05-03-2025",
        "Diisi manual",
        "Musdes Lappara 2025",
        "3 (Diisi manual · Musdes Lappara 2025)",
        "Kambing: 4 ekor",
        "Unggas: 12 ekor",
        "KKS (Kartu Keluarga Sejahtera)",
        "Lemari es/kulkas",
        "Rp 900.000",
        "2 pekerja",
        husband.full_name,
    ):
        assert text in html, text
    assert reverse("registry:person_detail", args=[husband.uid]) in html
    business = hh.businesses.get()
    assert reverse("registry:business_edit", args=[hh.uid, business.uid]) in html


def test_household_page_in_english_translates_labels(personas, family):
    hh, _h, _w = family
    client = client_for(personas["operator_lappara"])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("registry:household_detail", args=[hh.uid])).content.decode()
    assert "Monthly income" in html and "Family businesses" in html


def test_person_page_masks_the_account_for_roles_without_need_and_logs_nothing(personas, family):
    _hh, husband, wife = family
    client = client_for(personas["operator_lappara"])
    html = client.get(reverse("registry:person_detail", args=[husband.uid])).content.decode()
    assert ACCOUNT not in html
    assert "*********0123" in html
    assert "BRI" in html and "081234567890" in html and "PBI-JK" in html
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.VIEW_SENSITIVE).exists()
    html = client.get(reverse("registry:person_detail", args=[wife.uid])).content.decode()
    assert "Ya, 4 bulan" in html and "Tidak sedang bersekolah" in html
    due = (date.today() + timedelta(days=150)).strftime("%d-%m-%Y")
    assert f"perkiraan lahir {due}" in html


@pytest.mark.parametrize("who", ["admin_maros", "auditor"])
def test_person_page_shows_the_full_account_to_need_to_know_and_logs_the_reading(
    personas, family, who
):
    _hh, husband, wife = family
    client = client_for(personas[who])
    html = client.get(reverse("registry:person_detail", args=[husband.uid])).content.decode()
    assert ACCOUNT in html
    log = AccessLog.objects.get(kind=AccessLog.Kind.VIEW_SENSITIVE)
    assert (log.user, log.object_type, log.object_uid) == (
        personas[who],
        "person",
        str(husband.uid),
    )
    assert "account" in log.detail
    # A person without an account is no reading of one.
    client.get(reverse("registry:person_detail", args=[wife.uid]))
    assert AccessLog.objects.filter(kind=AccessLog.Kind.VIEW_SENSITIVE).count() == 1


# --- Business actions ------------------------------------------------------------------------


def _history(business: HouseholdBusiness):
    return list(HouseholdBusiness.history.filter(uid=business.uid).order_by("history_date"))


def test_business_actions_keep_history_and_the_household_flag(personas, household_factory):
    operator = personas["operator_lappara"]
    hh = household_factory(LAPPARA)
    assert not hh.has_business
    business = actions.add_business(
        operator, hh, {"kind": 2, "sector": 8, "workers": 1, "turnover_monthly": 500_000}, ""
    )
    hh.refresh_from_db()
    assert hh.has_business
    actions.update_business(operator, business, {"turnover_monthly": 750_000}, "Omzet naik")
    business.refresh_from_db()
    assert business.turnover_monthly == 750_000 and business.kind == 2
    with pytest.raises(ValidationError) as exc:
        actions.remove_business(operator, business, "  ")
    assert "reason" in exc.value.message_dict
    actions.remove_business(operator, business, "Usaha tutup")
    hh.refresh_from_db()
    assert not hh.has_business and not hh.businesses.exists()
    rows = _history(business)
    assert [r.history_type for r in rows] == ["+", "~", "-"]
    assert [r.history_change_reason for r in rows][1:] == ["Omzet naik", "Usaha tutup"]
    assert {r.history_user for r in rows} == {operator}


def test_business_values_are_checked(personas, household_factory):
    hh = household_factory(LAPPARA)
    with pytest.raises(ValidationError) as exc:
        actions.add_business(
            personas["operator_lappara"], hh, {"kind": 9, "sector": 8, "workers": -1}, ""
        )
    assert {"kind", "workers"} <= set(exc.value.message_dict)
    assert not hh.businesses.exists()


def test_business_actions_refuse_users_outside_the_area(personas, family):
    hh, _h, _w = family
    business = hh.businesses.get()
    with pytest.raises(PermissionDenied):
        actions.add_business(personas["operator_bulu"], hh, {"kind": 1, "sector": 8}, "")
    with pytest.raises(PermissionDenied):
        actions.remove_business(personas["operator_bulu"], business, "Tutup")
    with pytest.raises(PermissionDenied):
        actions.update_business(personas["auditor"], business, {"workers": 9}, "")
    business.refresh_from_db()
    assert business.workers == 2 and hh.businesses.count() == 1


# --- Business pages --------------------------------------------------------------------------


def test_operator_adds_changes_and_removes_a_business_from_the_pages(personas, family):
    hh, _h, _w = family
    client = client_for(personas["operator_lappara"])
    form = client.get(reverse("registry:business_add", args=[hh.uid])).content.decode()
    assert "Bentuk usaha" in form and "Omzet per bulan (Rp)" in form
    response = client.post(
        reverse("registry:business_add", args=[hh.uid]),
        {"kind": "3", "sector": "1", "workers": "5", "turnover_monthly": "2000000",
         "reason": "Kelompok tani baru"},
    )  # fmt: skip
    assert response.status_code == 302
    added = hh.businesses.get(kind=3)
    assert added.turnover_monthly == 2_000_000
    assert _history(added)[0].history_change_reason == "Kelompok tani baru"

    response = client.post(
        reverse("registry:business_edit", args=[hh.uid, added.uid]),
        {"kind": "3", "sector": "1", "workers": "6", "turnover_monthly": "", "reason": ""},
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.workers == 6 and added.turnover_monthly is None

    bad = client.post(
        reverse("registry:business_edit", args=[hh.uid, added.uid]),
        {"kind": "3", "sector": "1", "workers": "banyak", "turnover_monthly": "-5"},
    )
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()

    page = client.get(reverse("registry:business_remove", args=[hh.uid, added.uid]))
    assert "Alasan penghapusan" in page.content.decode()
    refused = client.post(reverse("registry:business_remove", args=[hh.uid, added.uid]), {})
    assert refused.status_code == 200 and hh.businesses.filter(pk=added.pk).exists()
    response = client.post(
        reverse("registry:business_remove", args=[hh.uid, added.uid]), {"reason": "Bubar"}
    )
    assert response.status_code == 302
    assert not hh.businesses.filter(pk=added.pk).exists()
    assert _history(added)[-1].history_change_reason == "Bubar"


def test_business_pages_are_a_logged_404_outside_area_role_or_household(
    personas, family, household_factory
):
    hh, _h, _w = family
    business = hh.businesses.get()
    other = household_factory(LAPPARA, businesses=[{"kind": 1, "sector": 8}])
    elsewhere = other.businesses.get()
    urls = [
        reverse("registry:business_add", args=[hh.uid]),
        reverse("registry:business_edit", args=[hh.uid, business.uid]),
        reverse("registry:business_remove", args=[hh.uid, business.uid]),
    ]
    for who in ("operator_bulu", "auditor", "partner"):
        client = client_for(personas[who])
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
            assert client.post(url, {"reason": "x", "kind": "1", "sector": "1"}).status_code == 404
    assert AccessLog.objects.filter(kind=AccessLog.Kind.DENIED).count() >= 18
    # Another family's business under this family's address.
    client = client_for(personas["operator_lappara"])
    url = reverse("registry:business_remove", args=[hh.uid, elsewhere.uid])
    assert client.post(url, {"reason": "Tutup"}).status_code == 404
    assert other.businesses.count() == 1 and hh.businesses.count() == 1
    assert Household.objects.get(pk=other.pk).has_business


# --- Printed profiles ------------------------------------------------------------------------


def test_household_profile_prints_economy_desil_origin_and_businesses(personas, family):
    hh, husband, _w = family
    response = client_for(personas["operator_lappara"]).get(
        reverse("registry:household_pdf", args=[hh.uid])
    )
    text = pdf_text(body(response))
    for part in (
        "Rp 1.500.000",
        "Rp 1.250.000",
        "Musdes Lappara 2025",
        "Diisi manual",
        "05-03-2025",
        "2.500 m²",
        "Kambing: 4 ekor",
        "Rp 900.000",
        "Usaha sendiri",
        husband.full_name,
    ):
        assert part in text, part


@pytest.mark.parametrize("who", ["admin_maros", "operator_lappara"])
def test_person_profile_prints_the_new_fields_and_always_masks_the_account(personas, family, who):
    _hh, husband, wife = family
    client = client_for(personas[who])
    text = pdf_text(body(client.get(reverse("registry:person_pdf", args=[husband.uid]))))
    assert ACCOUNT not in text and "0123" in text
    assert "BRI" in text and "081234567890" in text and "PBI-JK" in text
    text = pdf_text(body(client.get(reverse("registry:person_pdf", args=[wife.uid]))))
    assert "4 bulan" in text and "Tidak sedang bersekolah" in text
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.VIEW_SENSITIVE).exists()
