"""The Askesos API: providers with the accreditation in force, schemes with every version of
their terms, members enrolled by NIK in the body and shown with their ledger (NIK masked for
those who may not read it), payments and claims written through the actions. A provider's staff
see their own provider's records only; Makassar's administrator nothing of Maros; a refusal is a
404 and changes nothing; every list costs the same number of queries for 2 rows as for 5."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from pandu.core.models import AccessLog
from pandu.insurance import actions
from pandu.insurance.choices import DocumentKind
from pandu.insurance.models import Claim, Member, PremiumPayment
from pandu.registry.masking import mask_nik

from .conftest import TODAY

pytestmark = pytest.mark.django_db

API = "/api/v1/insurance"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def member(enrol):
    """Enrolled a month ago: active, its first dues unpaid but far from a lapse."""
    return enrol(on=TODAY - timedelta(days=30))


@pytest.fixture
def outsider(personas, other_provider, breadwinner_factory):
    """A member of the other provider of Maros."""
    scheme = actions.create_scheme(
        personas["admin_maros"], other_provider, name="Askesos YS", terms={"valid_from": TODAY}
    )
    person = breadwinner_factory()
    return actions.enrol_member(
        other_provider.staff_user,
        scheme,
        nik=person.nik,
        enrolled_on=TODAY,
        occupation="Nelayan",
        monthly_income=250_000,
        work_status=1,
        breadwinner=True,
    )


def _uids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["uid"] for row in response.json()["results"]}


# --- Providers and schemes ----------------------------------------------------------------------


def test_a_provider_is_listed_with_the_accreditation_in_force_and_its_validity(personas, provider):
    body = api(personas["admin_maros"]).get(f"{API}/providers/").json()
    [row] = body["results"]
    assert row["code"] == "LKS01" and row["name"] == "LKS Harapan Maros"
    assert row["accredited"] is True
    assert row["accreditation"]["status"] == "terakreditasi"
    assert row["accreditation"]["valid_until"] == "2027-12-31"
    assert row["days_left"] == (provider.accreditations.get().valid_until - TODAY).days


def test_a_provider_detail_carries_its_checklist_and_schemes(personas, provider, scheme):
    body = api(personas["partner"]).get(f"{API}/providers/{provider.uid}/").json()
    [application] = body["accreditations"]
    assert len(application["items"]) == 7
    assert {item["finding"] for item in application["items"]} == {"memenuhi"}
    assert application["decision_number"] == "SK-460/01/2025"
    assert [s["uid"] for s in body["schemes"]] == [str(scheme.uid)]


def test_a_provider_without_accreditation_in_force_says_so(personas, provider):
    accreditation = provider.accreditations.get()
    actions.revoke_accreditation(personas["admin_maros"], accreditation, reason="Izin dicabut")
    [row] = api(personas["admin_maros"]).get(f"{API}/providers/").json()["results"]
    assert row["accredited"] is False and row["accreditation"] is None
    assert row["days_left"] is None
    not_accredited = api(personas["admin_maros"]).get(f"{API}/providers/?accredited=false")
    assert _uids(not_accredited) == {str(provider.uid)}


def test_provider_staff_see_their_provider_only(personas, provider, other_provider):
    assert _uids(api(personas["partner"]).get(f"{API}/providers/")) == {str(provider.uid)}
    assert _uids(api(personas["admin_maros"]).get(f"{API}/providers/")) == {
        str(provider.uid),
        str(other_provider.uid),
    }
    response = api(personas["partner"]).get(f"{API}/providers/{other_provider.uid}/")
    assert response.status_code == 404


def test_a_scheme_lists_every_version_of_its_terms(personas, scheme):
    later = TODAY + timedelta(days=40)
    actions.add_terms(
        personas["admin_maros"],
        scheme,
        **{**_terms_of(scheme), "valid_from": later, "monthly_premium": 12_000},
    )
    client = api(personas["partner"])
    [row] = client.get(f"{API}/schemes/").json()["results"]
    assert row["terms_in_force"]["monthly_premium"] == "10400"
    body = client.get(f"{API}/schemes/{scheme.uid}/").json()
    assert [t["valid_from"] for t in body["terms"]] == [later.isoformat(), "2025-01-01"]
    assert [t["monthly_premium"] for t in body["terms"]] == ["12000", "10400"]
    assert body["terms"][1]["lapse_after_months"] == 3


def _terms_of(scheme) -> dict:
    current = scheme.terms_on(TODAY)
    skip = {"id", "scheme", "valid_from", "withdrawn", "created_by", "created_at", "note"}
    return {
        f.name: getattr(current, f.name)
        for f in current._meta.concrete_fields
        if f.name not in skip
    }


# --- Members ------------------------------------------------------------------------------------


def test_provider_staff_enrol_a_breadwinner_by_nik_in_the_body(
    personas, scheme, breadwinner_factory
):
    person = breadwinner_factory()
    response = api(personas["partner"]).post(
        f"{API}/members/",
        {
            "scheme": str(scheme.uid),
            "nik": person.nik,
            "enrolled_on": (TODAY - timedelta(days=3)).isoformat(),
            "occupation": "Tukang ojek",
            "monthly_income": 320_000,
            "work_status": 1,
            "breadwinner": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("ASK-LKS01-") and body["status"] == "aktif"
    assert body["person"] == str(person.uid) and body["provider"] == "LKS01"
    # The partner role does not read NIKs in full.
    assert body["nik"] == mask_nik(person.nik) != person.nik
    assert person.nik not in response.content.decode()
    assert [p["start"] for p in body["periods"]] == [body["enrolled_on"]]
    assert int(body["total_due"]) == 10_400 * len(body["dues"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nik": "7309139999990001"}, "nik"),
        ({"nik": 7309130101700003}, "nik"),
        ({"monthly_income": 2_000_000}, "monthly_income"),
        ({"enrolled_on": "2031-01-01"}, "enrolled_on"),
        ({"enrolled_on": "kemarin"}, "enrolled_on"),
        ({"occupation": ""}, "occupation"),
    ],
)
def test_a_refused_enrolment_is_a_400_naming_the_field(
    personas, scheme, breadwinner_factory, change, field
):
    person = breadwinner_factory()
    data = {
        "scheme": str(scheme.uid),
        "nik": person.nik,
        "enrolled_on": TODAY.isoformat(),
        "occupation": "Petani",
        "monthly_income": 300_000,
        "work_status": 1,
    } | change
    response = api(personas["partner"]).post(f"{API}/members/", data, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Member.objects.exists()


def test_a_person_aged_61_is_refused_with_the_rule(personas, scheme, breadwinner_factory):
    born = TODAY.replace(year=TODAY.year - 61) - timedelta(days=1)
    person = breadwinner_factory(born=born)
    response = api(personas["partner"]).post(
        f"{API}/members/",
        {
            "scheme": str(scheme.uid),
            "nik": person.nik,
            "enrolled_on": TODAY.isoformat(),
            "occupation": "Petani",
            "monthly_income": 300_000,
            "work_status": 1,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "60" in " ".join(response.json()["nik"])
    assert not Member.objects.exists()


def test_enrolling_outside_ones_provider_or_area_is_a_404_and_changes_nothing(
    personas, scheme, other_provider, breadwinner_factory
):
    person = breadwinner_factory()
    data = {
        "scheme": str(scheme.uid),
        "nik": person.nik,
        "enrolled_on": TODAY.isoformat(),
        "occupation": "Petani",
        "monthly_income": 300_000,
        "work_status": 1,
    }
    for user in (other_provider.staff_user, personas["admin_makassar"], personas["head"]):
        response = api(user).post(f"{API}/members/", data, format="json")
        assert response.status_code == 404, user
    assert not Member.objects.exists()
    assert AccessLog.objects.filter(kind="denied", object_uid=str(scheme.uid)).count() == 3


def test_members_carry_their_ledger_figures_and_masked_or_full_nik(personas, member):
    actions.record_payment(
        personas["partner"], member, amount=10_400, paid_on=TODAY, method="tunai"
    )
    partner_row = api(personas["partner"]).get(f"{API}/members/").json()["results"][0]
    admin_row = api(personas["admin_maros"]).get(f"{API}/members/").json()["results"][0]
    member.refresh_from_db()
    assert partner_row["nik"] == mask_nik(member.person.nik)
    assert admin_row["nik"] == member.person.nik
    assert partner_row["total_paid"] == "10400"
    assert partner_row["total_due"] == str(int(member.total_due))
    assert partner_row["arrears"] == member.arrears
    assert partner_row["months_unpaid"] == member.months_unpaid
    assert partner_row["paid_through"] == member.paid_through.isoformat()
    detail = api(personas["partner"]).get(f"{API}/members/{member.uid}/").json()
    assert [p["amount"] for p in detail["payments"]] == ["10400"]
    assert detail["dues"][0]["month"] >= detail["dues"][-1]["month"]


def test_members_are_filtered_by_number_never_by_nik(personas, enrol):
    first, second = enrol(on=TODAY), enrol(on=TODAY)
    client = api(personas["partner"])
    assert _uids(client.get(f"{API}/members/?number={second.number}")) == {str(second.uid)}
    # A NIK in the query string is not a filter: it narrows nothing.
    everyone = _uids(client.get(f"{API}/members/?nik={first.person.nik}"))
    assert everyone == {str(first.uid), str(second.uid)}


def test_provider_staff_see_only_their_providers_members(personas, member, outsider):
    assert _uids(api(personas["partner"]).get(f"{API}/members/")) == {str(member.uid)}
    assert _uids(api(outsider.provider.staff.get().user).get(f"{API}/members/")) == {
        str(outsider.uid)
    }
    both = _uids(api(personas["admin_maros"]).get(f"{API}/members/"))
    assert both == {str(member.uid), str(outsider.uid)}
    response = api(personas["partner"]).get(f"{API}/members/{outsider.uid}/")
    assert response.status_code == 404


# --- Payments -----------------------------------------------------------------------------------


def test_a_payment_is_recorded_with_its_receipt(personas, member):
    response = api(personas["partner"]).post(
        f"{API}/payments/",
        {
            "member": str(member.uid),
            "amount": "20800",
            "paid_on": TODAY.isoformat(),
            "method": "transfer",
            "reference": "TRF-0001",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["receipt_number"].startswith("KW-LKS01-")
    assert body["member"] == str(member.uid) and body["amount"] == "20800"
    assert body["recorded_by"] == "partner"
    assert PremiumPayment.objects.get().reference == "TRF-0001"


def test_a_payment_larger_than_the_arrears_is_kept_as_credit_and_says_so(personas, member):
    member.refresh_from_db()
    amount = member.arrears + 3 * 10_400
    response = api(personas["partner"]).post(
        f"{API}/payments/",
        {
            "member": str(member.uid),
            "amount": amount,
            "paid_on": TODAY.isoformat(),
            "method": "tunai",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["member_credit"] == 3 * 10_400 and body["member_arrears"] == 0
    assert "31.200" in body["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "10400.50"}, "amount"),
        ({"amount": "99999999999"}, "amount"),
        ({"paid_on": "2031-01-01"}, "paid_on"),
        ({"method": "cek"}, "method"),
    ],
)
def test_a_refused_payment_is_a_400_naming_the_field(personas, member, change, field):
    data = {
        "member": str(member.uid),
        "amount": "10400",
        "paid_on": TODAY.isoformat(),
        "method": "tunai",
    } | change
    response = api(personas["partner"]).post(f"{API}/payments/", data, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not PremiumPayment.objects.exists()


def test_a_reference_recorded_twice_is_refused(personas, member):
    data = {
        "member": str(member.uid),
        "amount": "10400",
        "paid_on": TODAY.isoformat(),
        "method": "transfer",
        "reference": "TRF-9",
    }
    client = api(personas["partner"])
    assert client.post(f"{API}/payments/", data, format="json").status_code == 201
    again = client.post(f"{API}/payments/", data, format="json")
    assert again.status_code == 400 and "reference" in again.json()
    assert PremiumPayment.objects.count() == 1


def test_a_payment_outside_ones_provider_area_or_role_is_a_404(personas, member, outsider):
    data = {"amount": "10400", "paid_on": TODAY.isoformat(), "method": "tunai"}
    cases = [
        (personas["partner"], outsider),
        (personas["admin_makassar"], member),
        (personas["head"], member),
        (personas["auditor"], member),
    ]
    for user, whom in cases:
        response = api(user).post(
            f"{API}/payments/", data | {"member": str(whom.uid)}, format="json"
        )
        assert response.status_code == 404, user
    assert not PremiumPayment.objects.exists()


def test_payments_are_listed_by_member(personas, member, enrol):
    other = enrol(on=TODAY)
    for whom in (member, other):
        actions.record_payment(
            personas["partner"], whom, amount=10_400, paid_on=TODAY, method="tunai"
        )
    client = api(personas["head"])
    assert len(_uids(client.get(f"{API}/payments/"))) == 2
    [row] = client.get(f"{API}/payments/?member={member.uid}").json()["results"]
    assert row["member_number"] == member.number
    assert client.get(f"{API}/payments/?provider=NOPE").status_code == 400


# --- Claims -------------------------------------------------------------------------------------


def _file(client, member, **data):
    body = {
        "member": str(member.uid),
        "event_type": "kecelakaan",
        "event_date": (TODAY - timedelta(days=2)).isoformat(),
        "description": "Jatuh dari motor, patah tulang lengan kiri",
    } | data
    return client.post(f"{API}/claims/", body, format="json")


def test_a_claim_without_its_documents_goes_to_review_with_the_findings(personas, member):
    response = _file(api(personas["partner"]), member)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "ditinjau" and body["benefit"] == "5000000"
    codes = {f["code"]: f["passed"] for f in body["findings"]}
    assert codes["covered"] and codes["lapse"] and codes["waiting"]
    assert codes["documents"] is False and body["review_reasons"]
    # What is answered to a write carries no description: reading it is logged.
    assert "description" not in body and "patah tulang" not in response.content.decode()
    assert body["filed_by"] == "partner"


def test_a_claim_is_filed_with_its_documents_as_multipart(personas, member):
    letter = SimpleUploadedFile("surat-dokter.pdf", PDF, content_type="application/pdf")
    response = api(personas["partner"]).post(
        f"{API}/claims/",
        {
            "member": str(member.uid),
            "event_type": "kecelakaan",
            "event_date": (TODAY - timedelta(days=1)).isoformat(),
            "documents": [letter],
            "document_kinds": [DocumentKind.DOCTOR],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [d["kind"] for d in body["documents"]] == ["surat_dokter"]
    assert {f["code"]: f["passed"] for f in body["findings"]}["documents"] is True
    assert body["status"] in ("disetujui", "ditinjau")


def test_a_document_that_is_not_a_scan_is_refused(personas, member):
    claim = Claim.objects.get(uid=_file(api(personas["partner"]), member).json()["uid"])
    fake = SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = api(personas["partner"]).post(
        f"{API}/claims/{claim.uid}/documents/",
        {"kind": DocumentKind.DOCTOR, "file": fake},
        format="multipart",
    )
    assert response.status_code == 400
    assert not claim.documents.exists()


def test_claims_inside_the_waiting_period_or_before_enrolment_are_rejected_with_findings(
    personas, member
):
    client = api(personas["partner"])
    illness = _file(client, member, event_type="sakit")
    assert illness.status_code == 201
    assert illness.json()["status"] == "ditolak"
    [waiting] = [f for f in illness.json()["findings"] if f["code"] == "waiting"]
    assert waiting["passed"] is False and "90 hari" in waiting["message"]
    before = _file(client, member, event_date=(member.enrolled_on - timedelta(days=1)).isoformat())
    assert before.json()["status"] == "ditolak"
    assert before.json()["findings"][-1]["code"] == "enrolment"


def test_one_event_is_claimed_once(personas, member):
    client = api(personas["partner"])
    assert _file(client, member).status_code == 201
    again = _file(client, member)
    assert again.status_code == 400 and "event_date" in again.json()
    assert Claim.objects.count() == 1


def test_a_claim_is_reviewed_by_another_person_then_paid(personas, member, provider_staff_2):
    client = api(personas["partner"])
    claim = Claim.objects.get(uid=_file(client, member).json()["uid"])
    url = f"{API}/claims/{claim.uid}"
    # The person who filed it does not decide it.
    own = client.post(f"{url}/decision/", {"approve": True}, format="json")
    assert own.status_code == 400
    reviewer = api(provider_staff_2)
    # Approval needs the documents; a rejection needs a reason.
    missing = reviewer.post(f"{url}/decision/", {"approve": True}, format="json")
    assert missing.status_code == 400 and "approve" in missing.json()
    no_reason = reviewer.post(f"{url}/decision/", {"approve": False}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    police = SimpleUploadedFile("laporan.pdf", PDF, content_type="application/pdf")
    added = client.post(
        f"{url}/documents/", {"kind": DocumentKind.POLICE, "file": police}, format="multipart"
    )
    assert added.status_code == 201, added.json()
    approved = reviewer.post(
        f"{url}/decision/", {"approve": True, "amount": "4500000"}, format="json"
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "disetujui"
    assert approved.json()["amount_approved"] == "4500000"
    assert approved.json()["decided_by"] == "partner_2"
    paid = reviewer.post(
        f"{url}/payment/",
        {"paid_on": TODAY.isoformat(), "method": "transfer", "reference": "TRF-K1"},
        format="json",
    )
    assert paid.status_code == 200, paid.json()
    body = paid.json()
    assert body["status"] == "dibayar" and body["receipt_number"].startswith("KWK-LKS01-")
    assert body["paid_to"] == member.person.full_name
    twice = reviewer.post(
        f"{url}/payment/", {"paid_on": TODAY.isoformat(), "method": "tunai"}, format="json"
    )
    assert twice.status_code == 400


def test_reading_a_claim_in_full_is_logged(personas, member):
    claim = Claim.objects.get(uid=_file(api(personas["partner"]), member).json()["uid"])
    assert not AccessLog.objects.filter(kind="view_sensitive").exists()
    response = api(personas["auditor"]).get(f"{API}/claims/{claim.uid}/")
    assert response.status_code == 200
    assert response.json()["description"] == "Jatuh dari motor, patah tulang lengan kiri"
    assert len(response.json()["findings"]) >= 4
    entry = AccessLog.objects.get(kind="view_sensitive")
    assert entry.object_uid == str(claim.uid) and entry.user == personas["auditor"]
    listed = api(personas["auditor"]).get(f"{API}/claims/").json()["results"]
    assert "description" not in listed[0]
    assert AccessLog.objects.filter(kind="view_sensitive").count() == 1


def test_claims_outside_ones_provider_area_or_role_are_a_404_and_change_nothing(
    personas, member, outsider, provider_staff_2
):
    claim = Claim.objects.get(uid=_file(api(personas["partner"]), member).json()["uid"])
    url = f"{API}/claims/{claim.uid}"
    stranger = api(outsider.provider.staff.get().user)
    assert stranger.get(f"{url}/").status_code == 404
    assert api(personas["admin_makassar"]).get(f"{url}/").status_code == 404
    assert _file(stranger, member).status_code == 404
    assert _file(api(personas["partner"]), outsider).status_code == 404
    for user in (outsider.provider.staff.get().user, personas["admin_makassar"], personas["head"]):
        decided = api(user).post(
            f"{url}/decision/", {"approve": False, "reason": "Tidak sah"}, format="json"
        )
        assert decided.status_code == 404, user
    claim.refresh_from_db()
    assert claim.status == "ditinjau" and claim.decided_by is None
    assert Claim.objects.count() == 1
    assert not AccessLog.objects.filter(kind="view_sensitive").exists()


def test_claims_are_filtered_by_status_and_member(personas, member, enrol):
    other = enrol(on=TODAY - timedelta(days=30))
    client = api(personas["partner"])
    _file(client, member)
    _file(client, other, event_type="sakit")
    head = api(personas["head"])
    assert len(_uids(head.get(f"{API}/claims/"))) == 2
    [rejected] = head.get(f"{API}/claims/?status=ditolak").json()["results"]
    assert rejected["member"] == str(other.uid)
    [mine] = head.get(f"{API}/claims/?member={member.uid}").json()["results"]
    assert mine["event_type"] == "kecelakaan"


# --- Scope across every list, and what a list costs ------------------------------------------


LISTS = ("providers", "schemes", "members", "payments", "claims")


@pytest.fixture
def maros_books(personas, member, scheme):
    actions.record_payment(
        personas["partner"], member, amount=10_400, paid_on=TODAY, method="tunai"
    )
    _file(api(personas["partner"]), member)
    return member


@pytest.mark.parametrize("name", LISTS)
def test_makassar_sees_nothing_of_maros(personas, maros_books, name):
    assert _uids(api(personas["admin_makassar"]).get(f"{API}/{name}/")) == set()
    assert _uids(api(personas["admin_maros"]).get(f"{API}/{name}/"))


@pytest.mark.parametrize("name", LISTS)
def test_another_providers_staff_see_nothing_of_this_provider(personas, maros_books, name):
    from pandu.accounts.models import User

    stranger = User.objects.create_user("partner_x", role="partner", area_id="73.09")
    assert _uids(api(stranger).get(f"{API}/{name}/")) == set()
    assert _uids(api(personas["partner"]).get(f"{API}/{name}/"))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(personas, enrol, scheme, n: int, start: int) -> None:
    """``n`` more of every list's rows: members with a payment and a claim, schemes, and
    accredited providers."""
    from pandu.regions.models import Area

    from .conftest import accredit

    admin = personas["admin_maros"]
    for i in range(start, start + n):
        whom = enrol(on=TODAY - timedelta(days=30))
        actions.record_payment(
            personas["partner"], whom, amount=10_400, paid_on=TODAY, method="tunai"
        )
        _file(api(personas["partner"]), whom)
        actions.create_scheme(
            admin, scheme.provider, name=f"Askesos {i}", terms={"valid_from": TODAY}
        )
        made = actions.create_provider(
            admin, name=f"LKS Tambahan {i}", code=f"TB{i}", area=Area.objects.get(code="73.09")
        )
        accredit(admin, made)


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_queries_for_two_rows_and_for_five(
    personas, enrol, scheme, django_assert_max_num_queries, name
):
    client = api(personas["admin_maros"])
    _grow(personas, enrol, scheme, 2, 0)
    with_two = _queries(client, f"{API}/{name}/")
    _grow(personas, enrol, scheme, 3, 2)
    with django_assert_max_num_queries(with_two):
        response = client.get(f"{API}/{name}/")
    assert len(response.json()["results"]) >= 5
