"""The Askesos pages: what each shows, and each form's way through its action, with the action's
refusals on the form and nothing changed by a refused write.

Moncongloe's breadwinners are enrolled with LKS Harapan Maros (``partner`` is its staff); the
day is 15 June 2026 (``insurance.clock``).
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from pandu.conftest import close_quietly
from pandu.core.models import AccessLog
from pandu.insurance import actions, printing
from pandu.insurance.choices import AccreditationStatus, ClaimStatus, Finding, MemberStatus
from pandu.insurance.models import (
    Accreditation,
    Claim,
    Member,
    PremiumImport,
    PremiumPayment,
    Provider,
    SchemeTerms,
)
from pandu.regions.models import Area

from .conftest import TODAY

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="surat.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def download(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    close_quietly(response)
    return body


@pytest.fixture
def admin(personas):
    return client_of(personas["admin_maros"])


@pytest.fixture
def staff(personas):
    return client_of(personas["partner"])


@pytest.fixture
def member(enrol):
    """Enrolled in May: May and June owed, not yet lapsed."""
    return enrol(on=date(2026, 5, 4))


@pytest.fixture
def old_member(enrol, personas, monkeypatch):
    """Enrolled a year ago with a year paid on the day, and this month paid: past every
    waiting period, nothing owed."""
    from pandu.insurance import clock

    monkeypatch.setattr(clock, "today", lambda: date(2025, 6, 2))
    made = enrol(on=date(2025, 6, 2))
    actions.record_payment(
        personas["partner"], made, amount=12 * 10_400, paid_on=date(2025, 6, 2), method="tunai"
    )
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    actions.record_payment(personas["partner"], made, amount=10_400, paid_on=TODAY, method="tunai")
    made.refresh_from_db()
    assert (made.status, made.arrears) == (MemberStatus.ACTIVE, 0)
    return made


# --- Providers and accreditation --------------------------------------------------------------


def test_admin_registers_a_provider_and_its_accreditation_runs_to_a_decision(
    admin, personas, provider
):
    response = admin.post(
        reverse("insurance:provider_create"),
        {
            "name": "LKS Tompobulu Sejahtera",
            "code": "LKS09",
            "area": "73.09",
            "established_on": "2016-02-01",
            "opening_reserve": "2500000",
        },
    )
    made = Provider.objects.get(code="LKS09")
    assert response.status_code == 302
    assert response["Location"] == reverse("insurance:provider_detail", args=[made.uid])
    assert made.organisation.name == "LKS Tompobulu Sejahtera"
    page = text(admin.get(response["Location"]))
    assert "Tidak terakreditasi hari ini" in page

    response = admin.post(
        reverse("insurance:accreditation_open", args=[made.uid]), {"applied_on": "2026-06-01"}
    )
    application = Accreditation.objects.get(provider=made)
    assert response["Location"] == reverse("insurance:accreditation_detail", args=[application.uid])
    assert application.items.count() == 7
    page = text(admin.get(response["Location"]))
    assert "Berbadan hukum" in page and 'id="decision-form"' in page

    # Accredited while a requirement is still pending: refused on the form, nothing changes.
    decision = {
        "accredited": "1",
        "decision_number": "SK-460/09/2026",
        "decided_on": "2026-06-10",
        "valid_from": "2026-07-01",
        "valid_until": "2029-06-30",
    }
    response = admin.post(
        reverse("insurance:accreditation_decide", args=[application.uid]), decision
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    application.refresh_from_db()
    assert application.status == AccreditationStatus.REVIEW

    for item in application.items.all():
        url = reverse("insurance:item_evidence", args=[application.uid, item.criterion])
        response = admin.post(
            url,
            {
                f"{item.criterion}-evidence": "Akta notaris no. 12/2016",
                f"{item.criterion}-evidence_file": pdf("akta.pdf"),
            },
        )
        assert response.status_code == 302, item.criterion
        url = reverse("insurance:item_review", args=[application.uid, item.criterion])
        response = admin.post(
            url, {f"{item.criterion}-finding": Finding.MET, f"{item.criterion}-note": "Ada"}
        )
        assert response.status_code == 302, item.criterion
    item = application.items.first()
    assert item.evidence_file and item.finding == Finding.MET
    evidence = admin.get(reverse("insurance:item_file", args=[application.uid, item.criterion]))
    assert evidence.status_code == 200 and download(evidence) == PDF

    response = admin.post(
        reverse("insurance:accreditation_decide", args=[application.uid]), decision
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == AccreditationStatus.ACCREDITED
    assert application.valid_until == date(2029, 6, 30)


def test_a_refusal_needs_a_note(admin, personas):
    made = actions.create_provider(
        personas["admin_maros"], name="LKS Baru", code="LKS10", area=Area.objects.get(code="73.09")
    )
    application = actions.open_accreditation(
        personas["admin_maros"], made, applied_on=date(2026, 6, 1)
    )
    url = reverse("insurance:accreditation_decide", args=[application.uid])
    data = {"accredited": "0", "decision_number": "SK-1", "decided_on": "2026-06-10"}
    response = admin.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors
    response = admin.post(url, {**data, "note": "Belum tiga tahun berdiri"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == AccreditationStatus.REFUSED


def test_evidence_that_is_not_a_document_is_refused_on_the_form(staff, provider, personas):
    application = actions.open_accreditation(
        personas["admin_maros"], provider, applied_on=date(2026, 6, 1)
    )
    item = application.items.first()
    url = reverse("insurance:item_evidence", args=[application.uid, item.criterion])
    program = SimpleUploadedFile("akta.pdf", b"MZ\x90\x00program", content_type="application/pdf")
    response = staff.post(
        url, {f"{item.criterion}-evidence": "Akta", f"{item.criterion}-evidence_file": program}
    )
    assert response.status_code == 200
    assert "program komputer" in text(response)
    item.refresh_from_db()
    assert item.evidence == "" and not item.evidence_file
    # The provider's own staff record evidence; they do not review it.
    response = staff.post(url, {f"{item.criterion}-evidence": "Akta notaris"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.evidence == "Akta notaris"
    review = reverse("insurance:item_review", args=[application.uid, item.criterion])
    assert staff.post(review, {f"{item.criterion}-finding": Finding.MET}).status_code == 404


def test_the_provider_list_reminds_of_accreditations_ending_within_90_days(
    admin, personas, provider
):
    from .conftest import accredit

    ending = actions.create_provider(
        personas["admin_maros"],
        name="LKS Hampir",
        code="LKS11",
        area=Area.objects.get(code="73.09"),
    )
    accredit(personas["admin_maros"], ending, valid_until=date(2026, 8, 31))
    ended = actions.create_provider(
        personas["admin_maros"], name="LKS Lewat", code="LKS12", area=Area.objects.get(code="73.09")
    )
    accredit(personas["admin_maros"], ended, valid_until=date(2026, 5, 31))
    page = admin.get(reverse("insurance:provider_list"))
    due = page.context["due"]
    assert [row["provider"].code for row in due] == ["LKS12", "LKS11"]
    assert (due[0]["ended"], due[0]["days"]) == (True, 15)
    assert (due[1]["ended"], due[1]["days"]) == (False, 77)
    assert "LKS01" not in [row["provider"].code for row in due]  # valid until 2027
    assert "sudah berakhir 15 hari lalu" in text(page)


def test_admin_links_and_unlinks_a_provider_staff_member(admin, personas, provider):
    from pandu.accounts.models import User

    newcomer = User.objects.create_user(
        "partner_new", password="persona-pass-2026", role="partner", area_id="73.09"
    )
    url = reverse("insurance:staff_link", args=[provider.uid])
    form = admin.get(url).context["form"]
    choices = {u.username for u in form.fields["staff_user"].queryset}
    assert "partner_new" in choices and "tksk_moncongloe" not in choices
    assert admin.post(url, {"staff_user": newcomer.pk, "position": "Kasir"}).status_code == 302
    assert provider.staff.filter(user=newcomer, active=True).exists()
    response = admin.post(reverse("insurance:staff_unlink", args=[provider.uid, newcomer.uid]))
    assert response.status_code == 302
    assert not provider.staff.filter(user=newcomer, active=True).exists()


def test_admin_edits_a_provider_through_its_keeper_page(admin, provider):
    url = reverse("insurance:provider_edit", args=[provider.uid])
    form = admin.get(url).context["form"]
    assert "area" not in form.fields
    data = {**form.initial, "phone": "0411-123456", "established_on": "2015-06-01", "active": "on"}
    data.pop("note", None)
    assert admin.post(url, data).status_code == 302
    provider.refresh_from_db()
    assert provider.organisation.phone == "0411-123456"


# --- Schemes ----------------------------------------------------------------------------------


def test_a_new_terms_version_starts_from_the_current_one_and_keeps_the_old(admin, scheme):
    url = reverse("insurance:terms_add", args=[scheme.uid])
    form = admin.get(url).context["form"]
    assert form.initial["monthly_premium"] == 10_400
    assert form.initial["valid_from"] == date(2026, 7, 1)
    data = {k: v for k, v in form.initial.items() if v is not None and v is not False}
    data.update(valid_from="2026-07-01", monthly_premium="12000", note="Kenaikan iuran 2026")
    for flag in ("married_waives_min_age", "informal_only", "breadwinner_only", "id_required"):
        data[flag] = "on"
    response = admin.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    versions = list(scheme.terms.order_by("valid_from").values_list("monthly_premium", flat=True))
    assert versions == [10_400, 12_000]
    page = text(admin.get(reverse("insurance:scheme_detail", args=[scheme.uid])))
    assert "Rp 10.400" in page and "Rp 12.000" in page and "akan berlaku" in page

    # A version that starts in the past is refused on the form.
    response = admin.post(url, {**data, "valid_from": "2026-01-01"})
    assert response.status_code == 200 and "valid_from" in response.context["form"].errors

    future = scheme.terms.get(valid_from=date(2026, 7, 1))
    response = admin.post(reverse("insurance:terms_withdraw", args=[scheme.uid, "2026-07-01"]))
    assert response.status_code == 302
    future.refresh_from_db()
    assert future.withdrawn and SchemeTerms.objects.filter(scheme=scheme).count() == 2


def test_admin_creates_a_scheme_with_seed_terms_and_closes_it(admin, provider):
    url = reverse("insurance:scheme_create", args=[provider.uid])
    form = admin.get(url).context["form"]
    assert form.initial["benefit_death"] == 21_000_000
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, bool)}
    data.update(name="Askesos Nelayan", valid_from="2026-06-01", informal_only="on")
    response = admin.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    made = provider.schemes.get(name="Askesos Nelayan")
    assert made.terms.get().benefit_death == 21_000_000
    response = admin.post(reverse("insurance:scheme_active", args=[made.uid]), {"active": "0"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert not made.active


# --- Members ----------------------------------------------------------------------------------


def test_provider_staff_enrol_a_member_by_nik_kept_out_of_the_url(
    staff, scheme, breadwinner_factory
):
    person = breadwinner_factory()
    url = reverse("insurance:member_enrol")
    form = staff.get(url).context["form"]
    assert list(form.fields["scheme"].queryset) == [scheme]
    response = staff.post(
        url,
        {
            "scheme": scheme.pk,
            "nik": person.nik,
            "enrolled_on": "2026-06-02",
            "occupation": "Penjual ikan",
            "monthly_income": "300000",
            "work_status": "1",
            "breadwinner": "on",
        },
    )
    membership = Member.objects.get(person=person)
    assert response.status_code == 302 and person.nik not in response["Location"]
    page = text(staff.get(response["Location"]))
    assert membership.number in page and person.full_name in page
    assert person.nik not in page  # the provider's staff read NIKs masked
    assert person.nik[:4] + "********" + person.nik[12:] in page


def test_enrolment_refusals_are_shown_on_the_form(staff, scheme, breadwinner_factory):
    young = breadwinner_factory(born=date(2006, 1, 1), marital_status=1)
    data = {
        "scheme": scheme.pk,
        "nik": "7309130101010999",
        "enrolled_on": "2026-06-02",
        "occupation": "Buruh",
        "monthly_income": "300000",
        "work_status": "1",
        "breadwinner": "on",
    }
    url = reverse("insurance:member_enrol")
    response = staff.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors
    response = staff.post(url, {**data, "nik": young.nik})
    assert response.status_code == 200
    assert "21" in str(response.context["form"].errors)
    assert not Member.objects.exists()


def test_the_member_page_shows_the_ledger_month_by_month(staff, personas, member):
    partner = personas["partner"]
    actions.record_payment(partner, member, amount=10_400, paid_on=TODAY, method="tunai")
    response = staff.get(reverse("insurance:member_detail", args=[member.uid]))
    states = {row["month"]: row["state"] for row in response.context["ledger"]}
    assert states == {date(2026, 5, 1): "paid", date(2026, 6, 1): "unpaid"}
    page = text(response)
    assert 'id="payment-form"' in page and "Kuitansi" in page


def test_a_payment_larger_than_the_arrears_is_kept_as_credit_and_said_so(staff, member):
    member.refresh_from_db()
    url = reverse("insurance:payment_record", args=[member.uid])
    response = staff.post(
        url, {"amount": "100000", "paid_on": "2026-06-15", "method": "tunai"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("titipan" in m for m in shown), shown
    payment = PremiumPayment.objects.get(membership=member)
    receipt = staff.get(reverse("insurance:payment_receipt", args=[payment.uid]))
    assert receipt["Content-Type"] == "application/pdf"
    assert download(receipt).startswith(b"%PDF")


def test_a_payment_refused_by_the_action_stays_on_the_form(staff, member):
    url = reverse("insurance:payment_record", args=[member.uid])
    response = staff.post(url, {"amount": "10400", "paid_on": "2027-01-01", "method": "tunai"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not PremiumPayment.objects.exists()


def test_members_are_filtered_by_months_unpaid_and_number(staff, enrol, personas):
    behind = enrol(on=date(2026, 5, 4))
    paid = enrol(on=date(2026, 5, 4))
    actions.record_payment(
        personas["partner"], paid, amount=2 * 10_400, paid_on=TODAY, method="tunai"
    )
    response = staff.get(reverse("insurance:member_list"), {"months_unpaid": "2"})
    numbers = [r.record.number for r in response.context["table"].page.object_list]
    assert numbers == [behind.number]
    response = staff.get(reverse("insurance:member_list"), {"number": paid.number})
    assert [r.record.number for r in response.context["table"].page.object_list] == [paid.number]


def test_ending_and_reinstating_a_membership(staff, enrol):
    from pandu.insurance import ledger

    member = enrol(on=date(2026, 1, 5))
    ledger.run(TODAY)
    member.refresh_from_db()
    assert member.status == MemberStatus.LAPSED
    page = text(staff.get(reverse("insurance:member_detail", args=[member.uid])))
    assert "Pulihkan kepesertaan" in page
    url = reverse("insurance:member_reinstate", args=[member.uid])
    response = staff.post(url, {"on": "2026-06-15"})
    assert response.status_code == 200 and response.context["form"].errors  # arrears unpaid
    response = staff.post(
        reverse("insurance:member_end", args=[member.uid]),
        {"reason": "mengundurkan_diri", "on": "2026-06-15", "note": "Pindah ke Makassar"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.ENDED


def test_the_card_pdf_and_its_public_check_without_login(staff, member):
    card = staff.get(reverse("insurance:member_card", args=[member.uid]))
    assert card["Content-Type"] == "application/pdf" and download(card).startswith(b"%PDF")
    url = reverse("insurance:card_check", args=[printing.card_token(member)])
    response = Client().get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    page = text(response)
    person = member.person
    assert member.number in page and member.scheme.name in page
    assert person.full_name not in page and person.nik not in page
    assert printing.masked_name(person.full_name) in page
    assert Client().get(reverse("insurance:card_check", args=["palsu"])).status_code == 404


# --- Premiums ---------------------------------------------------------------------------------


def test_the_reminder_list_puts_the_nearest_lapse_first_and_exports_it(staff, enrol, personas):
    later = enrol(on=date(2026, 5, 4))
    first = enrol(on=date(2026, 3, 2))
    response = staff.get(reverse("insurance:reminders"))
    numbers = [r.record.number for r in response.context["table"].page.object_list]
    assert numbers == [first.number, later.number]
    export = staff.get(reverse("insurance:reminders_xlsx"))
    sheet = load_workbook(io.BytesIO(download(export))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [first.number, later.number]
    assert AccessLog.objects.filter(user=personas["partner"], kind="export").exists()


def test_a_payment_file_is_imported_with_a_row_report(staff, enrol, provider):
    member = enrol(on=date(2026, 5, 4))
    content = io.StringIO()
    writer = csv.writer(content)
    writer.writerow(["nomor_peserta", "jumlah", "tanggal_bayar", "cara_bayar", "referensi"])
    writer.writerow([member.number, "20800", "14-06-2026", "transfer", "TRF-001"])
    writer.writerow(["ASK-TIDAK-ADA", "10400", "14-06-2026", "transfer", "TRF-002"])
    upload = SimpleUploadedFile("iuran-juni.csv", content.getvalue().encode(), "text/csv")
    url = reverse("insurance:import_list")
    response = staff.post(url, {"provider": provider.pk, "file": upload})
    batch = PremiumImport.objects.get()
    assert response.status_code == 302
    assert (batch.rows_read, batch.accepted, batch.rejected) == (2, 1, 1)
    page = text(staff.get(response["Location"]))
    assert "iuran-juni.csv" in page and "laporan baris ditolak" in page
    report = download(staff.get(reverse("insurance:import_report", args=[batch.uid])))
    assert b"ASK-TIDAK-ADA" in report
    listed = staff.get(url)
    assert [r.record for r in listed.context["table"].page.object_list] == [batch]


def test_a_spreadsheet_that_is_a_program_is_refused_before_the_import(staff, provider):
    upload = SimpleUploadedFile("iuran.xlsx", b"MZ\x90\x00", "application/octet-stream")
    response = staff.post(
        reverse("insurance:import_list"), {"provider": provider.pk, "file": upload}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not PremiumImport.objects.exists()


# --- Claims -----------------------------------------------------------------------------------


def _file(client, member, **extra):
    data = {
        "event_type": "sakit",
        "event_date": "2026-06-10",
        "description": "Demam berdarah, dirawat di RSUD Salewangang",
        "doc_surat_dokter": pdf(),
        **extra,
    }
    return client.post(reverse("insurance:claim_file", args=[member.uid]), data)


def test_a_claim_is_filed_with_documents_and_reviewed_by_someone_else(
    staff, personas, old_member, provider_staff_2
):
    response = _file(staff, old_member, amount_claimed="6000000")
    claim = Claim.objects.get()
    assert response["Location"] == reverse("insurance:claim_detail", args=[claim.uid])
    assert claim.status == ClaimStatus.REVIEW  # above the review threshold
    assert claim.documents.get().kind == "surat_dokter"

    page = staff.get(response["Location"])
    assert page.context["decision_form"] is None and page.context["filed_by_me"]
    logged = AccessLog.objects.filter(
        user=personas["partner"], kind="view_sensitive", object_uid=str(claim.uid)
    )
    assert logged.count() == 1
    # The filer's own decision is refused on the form.
    refused = staff.post(reverse("insurance:claim_decide", args=[claim.uid]), {"approve": "1"})
    assert refused.status_code == 200 and refused.context["form"].errors
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REVIEW

    reviewer = client_of(provider_staff_2)
    page = reviewer.get(reverse("insurance:claim_detail", args=[claim.uid]))
    assert page.context["decision_form"] is not None
    assert "Demam berdarah" in text(page)
    doc = reviewer.get(reverse("insurance:claim_document", args=[claim.documents.get().uid]))
    assert download(doc) == PDF
    response = reviewer.post(
        reverse("insurance:claim_decide", args=[claim.uid]), {"approve": "1", "amount": ""}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    response = reviewer.post(
        reverse("insurance:claim_pay", args=[claim.uid]),
        {"paid_on": "2026-06-15", "method": "tunai"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and claim.receipt_number
    receipt = reviewer.get(reverse("insurance:claim_receipt", args=[claim.uid]))
    assert download(receipt).startswith(b"%PDF")


def test_a_claim_for_an_event_before_enrolment_is_rejected_with_its_findings(staff, member):
    response = _file(staff, member, event_date="2026-01-10")
    claim = Claim.objects.get()
    assert claim.status == ClaimStatus.REJECTED
    page = staff.get(response["Location"])
    assert any(not f["passed"] for f in page.context["claim"].findings)
    assert 'data-passed="0"' in text(page)


def test_the_same_event_claimed_twice_is_refused_on_the_form(staff, personas, old_member):
    _file(staff, old_member)
    response = _file(staff, old_member)
    assert response.status_code == 200 and response.context["form"].errors
    assert Claim.objects.count() == 1


@pytest.fixture
def family_member(enrol, personas, household_factory, monkeypatch):
    """A breadwinner with a wife in the registry, enrolled and paid a year ago."""
    from pandu.conftest import LAPPARA, make_nik
    from pandu.insurance import clock

    born, wife_born = date(1979, 2, 3), date(1983, 9, 9)
    household = household_factory(
        LAPPARA,
        members=[
            {
                "nik": make_nik("73.09.13", born, "L", 901),
                "full_name": "Hasan Rahim",
                "sex": "L",
                "birth_date": born,
                "relationship": 1,
                "marital_status": 2,
                "has_id_card": True,
                "work_status": 1,
            },
            {
                "nik": make_nik("73.09.13", wife_born, "P", 902),
                "full_name": "Rosmiati",
                "sex": "P",
                "birth_date": wife_born,
                "relationship": 2,
                "marital_status": 2,
            },
        ],
    )
    monkeypatch.setattr(clock, "today", lambda: date(2025, 6, 2))
    made = enrol(household.members.get(relationship=1), on=date(2025, 6, 2))
    actions.record_payment(
        personas["partner"], made, amount=12 * 10_400, paid_on=date(2025, 6, 2), method="tunai"
    )
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    actions.record_payment(personas["partner"], made, amount=10_400, paid_on=TODAY, method="tunai")
    return made


def test_a_death_claim_offers_a_one_stop_case_for_the_family_to_intake_staff(
    admin, staff, personas, family_member, provider_staff_2
):
    from pandu.services.models import ServicePoint

    _file(
        staff,
        family_member,
        event_type="meninggal",
        doc_akta_kematian=pdf("akta.pdf"),
        doc_surat_dokter="",
    )
    claim = Claim.objects.get()
    if claim.status == ClaimStatus.REVIEW:
        actions.decide_claim(provider_staff_2, claim, approve=True)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    url = reverse("insurance:claim_detail", args=[claim.uid])
    assert staff.get(url).context["family_form"] is None  # a provider's staff take no intakes
    ServicePoint.objects.create(name="SLRT Maros", kind="slrt", area=Area.objects.get(code="73.09"))
    form = admin.get(url).context["family_form"]
    assert form is not None
    point = form.fields["service_point"].queryset.get()
    response = admin.post(
        reverse("insurance:claim_family_case", args=[claim.uid]), {"service_point": point.pk}
    )
    assert response.status_code == 302, response.context["form"].errors
    claim.refresh_from_db()
    assert claim.intake.service_point == point
    assert claim.intake.ticket_number in text(admin.get(url))


def test_claims_are_listed_by_status_and_event(staff, personas, old_member, member):
    _file(staff, old_member)
    _file(staff, member, event_date="2026-01-10")
    response = staff.get(reverse("insurance:claim_list"), {"status": "ditolak"})
    rows = [r.record for r in response.context["table"].page.object_list]
    assert [c.membership for c in rows] == [member]


# --- Books ------------------------------------------------------------------------------------


def test_the_books_show_every_provider_side_by_side_and_download(
    admin, personas, provider, other_provider, member
):
    actions.record_payment(
        personas["partner"], member, amount=2 * 10_400, paid_on=TODAY, method="tunai"
    )
    response = admin.get(reverse("insurance:books"), {"bulan": "2026-06"})
    books = {b.provider.code: b for b in response.context["books"]}
    assert set(books) == {"LKS01", "YS02"}
    assert books["LKS01"].collected == 20_800 and books["YS02"].collected == 0
    detail = admin.get(reverse("insurance:book_detail", args=[provider.uid]), {"bulan": "2026-06"})
    assert detail.context["book"].members_end == 1
    xlsx = admin.get(reverse("insurance:books_xlsx"), {"bulan": "2026-06"})
    sheet = load_workbook(io.BytesIO(download(xlsx))).active
    assert sheet.max_row >= 4
    pdf_file = admin.get(
        reverse("insurance:books_pdf"), {"bulan": "2026-06", "penyelenggara": "LKS01"}
    )
    assert download(pdf_file).startswith(b"%PDF")


def test_a_provider_staff_member_sees_only_their_own_book(staff, provider, other_provider):
    response = staff.get(reverse("insurance:books"))
    assert [b.provider for b in response.context["books"]] == [provider]
    assert response.context["month"] == date(2026, 6, 1)
    other = staff.get(reverse("insurance:book_detail", args=[other_provider.uid]))
    assert other.status_code == 404


# --- Query counts -----------------------------------------------------------------------------


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    # The session's own bookkeeping (a "last seen" stamp now and then) is not the page's.
    return sum(
        1
        for q in ctx.captured_queries
        if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    )


def test_list_pages_read_a_fixed_number_of_queries_however_many_rows(staff, personas, enrol):
    pages = [
        reverse(name)
        for name in (
            "insurance:provider_list",
            "insurance:member_list",
            "insurance:payment_list",
            "insurance:reminders",
            "insurance:claim_list",
            "insurance:books",
        )
    ]

    def add_member():
        made = enrol(on=date(2026, 5, 4))
        actions.record_payment(
            personas["partner"], made, amount=10_400, paid_on=TODAY, method="tunai"
        )
        actions.file_claim(
            personas["partner"], made, event_type="sakit", event_date=date(2026, 1, 1)
        )

    add_member()
    before = {url: _queries(staff, url) for url in pages}
    for _ in range(3):
        add_member()
    after = {url: _queries(staff, url) for url in pages}
    assert after == before


def test_the_provider_sees_its_members_kube_group_on_the_member_page(enrol, personas):
    from pandu.empowerment import actions as empowerment

    member = enrol()
    group = empowerment.create_group(
        personas["admin_maros"],
        village=Area.objects.get(code=member.area_code),
        name="KUBE Sipakainga",
        business_type="Warung sembako",
        formed_on=date(2026, 3, 1),
    )
    empowerment.add_member(
        personas["admin_maros"], group, person=member.person, on=date(2026, 3, 1)
    )
    page = client_of(personas["partner"]).get(reverse("insurance:member_detail", args=[member.uid]))
    assert "KUBE Sipakainga" in text(page)
