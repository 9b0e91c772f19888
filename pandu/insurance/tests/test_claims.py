"""Claims: the automatic check (waiting period, event before enrolment, lapse, documents),
selection for review, a second person's decision, the payout and its receipt; one event
claimed once; a death claim ends the membership and opens a one-stop case for the family."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pandu.insurance import actions, ledger
from pandu.insurance.choices import ClaimStatus, MemberStatus
from pandu.insurance.models import Member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def letter(name="surat.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def file(personas, member, **data):
    return actions.file_claim(personas["partner"], member, **data)


@pytest.fixture
def member(enrol, monkeypatch, today):
    """Enrolled a year before today (15 June 2026), with nothing paid since."""
    from pandu.insurance import clock

    monkeypatch.setattr(clock, "today", lambda: date(2025, 6, 2))
    made = enrol(on=date(2025, 6, 2))
    monkeypatch.setattr(clock, "today", lambda: today)
    return made


@pytest.fixture
def paid_member(enrol, personas, monkeypatch, today):
    """Enrolled a year before today and paid a year ahead on the day, then this month."""
    from pandu.insurance import clock

    monkeypatch.setattr(clock, "today", lambda: date(2025, 6, 2))
    made = enrol(on=date(2025, 6, 2))
    actions.record_payment(
        personas["partner"], made, amount=12 * 10_400, paid_on=date(2025, 6, 2), method="tunai"
    )
    monkeypatch.setattr(clock, "today", lambda: today)
    actions.record_payment(personas["partner"], made, amount=10_400, paid_on=today, method="tunai")
    made = Member.objects.get(pk=made.pk)
    assert (made.status, made.arrears) == (MemberStatus.ACTIVE, 0)
    return made


def test_a_claim_inside_the_waiting_period_is_rejected_with_the_reason(enrol, personas):
    member = enrol(on=date(2026, 5, 1))  # illness waits 90 days
    claim = file(
        personas,
        member,
        event_type="sakit",
        event_date=date(2026, 6, 10),
        documents=[("surat_dokter", letter())],
    )
    assert claim.status == ClaimStatus.REJECTED
    failed = [f for f in claim.findings if not f["passed"]]
    assert [f["code"] for f in failed] == ["waiting"]
    assert "masa tunggu 90 hari" in claim.decision_reason


def test_an_accident_has_no_waiting_period(enrol, personas):
    member = enrol(on=date(2026, 6, 1))
    claim = file(
        personas,
        member,
        event_type="kecelakaan",
        event_date=date(2026, 6, 2),
        amount_claimed=1_000_000,
        documents=[("laporan_polisi", letter())],
    )
    assert claim.status in (ClaimStatus.APPROVED, ClaimStatus.REVIEW)
    assert all(f["passed"] for f in claim.findings)


def test_a_claim_for_an_event_before_enrolment_is_rejected(member, personas):
    claim = file(personas, member, event_type="kecelakaan", event_date=date(2025, 5, 30))
    assert claim.status == ClaimStatus.REJECTED
    assert claim.findings[-1]["code"] == "enrolment"


def test_a_claim_during_a_lapse_is_rejected(enrol, personas):
    member = enrol(on=date(2026, 1, 5))  # nothing paid: lapsed after March's grace
    assert Member.objects.get(pk=member.pk).status == MemberStatus.LAPSED
    claim = file(personas, member, event_type="kecelakaan", event_date=date(2026, 6, 1))
    assert claim.status == ClaimStatus.REJECTED
    assert "gugur" in claim.decision_reason


def test_one_event_cannot_be_claimed_twice(paid_member, personas):
    day = date(2026, 6, 1)
    file(
        personas,
        paid_member,
        event_type="sakit",
        event_date=day,
        documents=[("surat_dokter", letter())],
    )
    with pytest.raises(ValidationError) as err:
        file(personas, paid_member, event_type="sakit", event_date=day)
    assert "sekali" in " ".join(err.value.messages)


def test_a_rejected_claim_leaves_room_for_a_corrected_one(enrol, personas):
    member = enrol(on=date(2026, 5, 1))
    first = file(personas, member, event_type="sakit", event_date=date(2026, 6, 10))
    assert first.status == ClaimStatus.REJECTED
    # The event date was mistyped; the corrected claim is also checked (still waiting).
    again = file(personas, member, event_type="sakit", event_date=date(2026, 6, 10))
    assert again.pk != first.pk


def test_missing_documents_send_a_claim_to_review_and_block_approval(
    paid_member, personas, provider_staff_2
):
    claim = file(personas, paid_member, event_type="sakit", event_date=date(2026, 6, 1))
    assert claim.status == ClaimStatus.REVIEW
    assert any("Dokumen" in r for r in claim.review_reasons)
    with pytest.raises(ValidationError):
        actions.decide_claim(provider_staff_2, claim, approve=True)
    actions.add_claim_document(personas["partner"], claim, kind="surat_dokter", file=letter())
    decided = actions.decide_claim(provider_staff_2, claim, approve=True)
    assert decided.status == ClaimStatus.APPROVED
    assert decided.amount_approved == 1_000_000


def test_the_person_who_filed_does_not_decide(paid_member, personas):
    claim = file(personas, paid_member, event_type="sakit", event_date=date(2026, 6, 1))
    with pytest.raises(ValidationError):
        actions.decide_claim(personas["partner"], claim, approve=False, reason="Tidak lengkap")


def test_claims_above_the_threshold_are_always_reviewed(paid_member, personas):
    claim = file(
        personas,
        paid_member,
        event_type="meninggal",
        event_date=date(2026, 6, 1),
        documents=[("akta_kematian", letter())],
    )
    assert claim.status == ClaimStatus.REVIEW
    assert any("di atas" in r for r in claim.review_reasons)


def test_the_review_draw_is_repeatable(paid_member):
    from pandu.insurance.rules import review_reasons

    terms = paid_member.scheme.terms_on(date(2026, 6, 1))
    picked = [bool(review_reasons(f"uid-{n}", 100, terms, [])) for n in range(2000)]
    assert picked == [bool(review_reasons(f"uid-{n}", 100, terms, [])) for n in range(2000)]
    assert 100 < sum(picked) < 300  # about 10 %


def test_a_death_claim_paid_ends_the_membership_and_opens_a_family_case(
    paid_member, personas, provider_staff_2, household_factory
):
    from pandu.registry import actions as registry

    # The member's spouse is in the household too.
    spouse = {
        "nik": "7309134708900002",
        "full_name": "Hasna",
        "sex": "P",
        "birth_date": date(1990, 8, 7),
        "relationship": 2,
        "marital_status": 2,
    }
    registry.add_member(personas["admin_maros"], paid_member.household, spouse, reason="uji")
    claim = file(
        personas,
        paid_member,
        event_type="meninggal",
        event_date=date(2026, 6, 1),
        documents=[("akta_kematian", letter())],
    )
    claim = actions.decide_claim(provider_staff_2, claim, approve=True)
    claim = actions.pay_claim(
        personas["partner"],
        claim,
        paid_on=date(2026, 6, 15),
        method="transfer",
        paid_to="Hasna (istri)",
    )
    assert claim.status == ClaimStatus.PAID and claim.receipt_number
    member = Member.objects.get(pk=paid_member.pk)
    assert member.status == MemberStatus.ENDED and member.end_reason == "meninggal"
    with pytest.raises(ValidationError):
        file(personas, member, event_type="meninggal", event_date=date(2026, 6, 1))
    from pandu.services.models import ServicePoint

    ServicePoint.objects.create(name="SLRT Maros", area_id="73.09", kind="slrt")
    # A social worker of the area (who takes intakes and reads Askesos) opens it.
    intake = actions.open_family_case(personas["social_worker"], claim)
    assert intake.person.full_name == "Hasna"
    assert claim.__class__.objects.get(pk=claim.pk).intake == intake


def test_a_provider_staff_cannot_touch_another_providers_claims(
    paid_member, personas, other_provider
):
    from django.core.exceptions import PermissionDenied

    claim = file(personas, paid_member, event_type="sakit", event_date=date(2026, 6, 1))
    with pytest.raises(PermissionDenied):
        actions.decide_claim(other_provider.staff_user, claim, approve=False, reason="bukan milik")
    assert claim.__class__.objects.get(pk=claim.pk).status == claim.status


def test_the_ledger_refresh_keeps_claim_cover_in_step(paid_member):
    ledger.run(date(2026, 6, 15))
    assert Member.objects.get(pk=paid_member.pk).status == MemberStatus.ACTIVE
