"""Consents: recorded as given (by whom, how, proof), withdrawn with date, reason and who, kept
with their history; what other apps ask (``has_consent``) follows them day by day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pandu.privacy import actions, queries
from pandu.privacy.models import ConsentRecord, Restriction

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _verbal(user, person, **extra):
    data = {
        "purpose": "registration",
        "scope": "Data keluarga untuk pendaftaran DTSEN",
        "given_by": "self",
        "method": "verbal",
        "witness_name": "Rahmawati (operator desa)",
        "given_on": date(2026, 3, 2),
    }
    data.update(extra)
    return actions.record_consent(user, person, **data)


@pytest.fixture
def pkh(db):
    from pandu.programs.models import Programme

    return Programme.objects.create(code="PKH-UJI", name="PKH uji", benefit_type="tunai")


def test_a_verbal_consent_needs_a_witness(personas, person):
    with pytest.raises(ValidationError) as e:
        _verbal(personas["operator_lappara"], person, witness_name="")
    assert "witness_name" in e.value.message_dict
    consent = _verbal(personas["operator_lappara"], person)
    assert consent.state() == "active" and consent.recorded_by == personas["operator_lappara"]
    assert consent.history.get().history_change_reason == "Persetujuan dicatat"


def test_a_signed_consent_keeps_its_form_and_refuses_what_is_not_one(personas, person):
    user = personas["front_office"]
    fake = SimpleUploadedFile("form.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as e:
        _verbal(user, person, method="signed", witness_name="", document=fake)
    assert "document" in e.value.message_dict
    good = SimpleUploadedFile("persetujuan rahman.pdf", PDF, content_type="application/pdf")
    consent = _verbal(user, person, method="signed", witness_name="", document=good)
    assert consent.document_type == "application/pdf"
    assert consent.document_name == "persetujuan rahman.pdf"
    assert consent.witness_name == ""


def test_a_childs_consent_is_given_by_the_guardian(personas, household_factory):
    from pandu.conftest import make_nik

    born = timezone.localdate() - timedelta(days=365 * 10)
    family = household_factory(
        members=[
            {"nik": make_nik("73.09.13", date(1980, 1, 2), "P", 501), "full_name": "Hasnah",
             "sex": "P", "birth_date": date(1980, 1, 2), "relationship": 1, "marital_status": 4},
            {"nik": make_nik("73.09.13", born, "L", 502), "full_name": "Anak Hasnah",
             "sex": "L", "birth_date": born, "relationship": 3, "marital_status": 1},
        ]
    )  # fmt: skip
    child = family.members.get(relationship=3)
    user = personas["social_worker"]
    with pytest.raises(ValidationError) as e:
        _verbal(user, child, given_on=timezone.localdate())
    assert "given_by" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        _verbal(user, child, given_on=timezone.localdate(), given_by="guardian")
    assert {"guardian_name", "guardian_relationship"} <= set(e.value.message_dict)
    consent = _verbal(
        user, child, given_on=timezone.localdate(), given_by="guardian",
        guardian_name="Hasnah", guardian_relationship="Ibu kandung",
    )  # fmt: skip
    assert consent.guardian_name == "Hasnah"


def test_sharing_names_the_programme_or_agency(personas, person, pkh):
    user = personas["front_office"]
    with pytest.raises(ValidationError) as e:
        _verbal(user, person, purpose="programme")
    assert "programme" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        _verbal(user, person, purpose="agency")
    assert "organisation" in e.value.message_dict


def test_has_consent_follows_the_record_day_by_day(personas, person, pkh):
    from pandu.programs.models import Programme

    other = Programme.objects.create(code="BPNT-UJI", name="BPNT uji", benefit_type="barang")
    user = personas["front_office"]
    consent = _verbal(user, person, purpose="programme", programme=pkh)
    assert queries.has_consent(person, "programme", programme=pkh)
    assert not queries.has_consent(person, "programme", programme=other)
    assert not queries.has_consent(person, "registration")
    assert not queries.has_consent(person, "programme", programme=pkh, on=date(2026, 3, 1))
    actions.withdraw_consent(user, consent, on=date(2026, 4, 1), reason="Tidak mau lagi", by="self")
    assert queries.has_consent(person, "programme", programme=pkh, on=date(2026, 3, 31))
    assert not queries.has_consent(person, "programme", programme=pkh, on=date(2026, 4, 1))
    assert queries.consent_state(person) == {
        "registration": False, "programme": False, "agency": False
    }  # fmt: skip
    with pytest.raises(ValueError):
        queries.has_consent(person, "marketing")


def test_a_withdrawal_is_written_on_the_record_and_its_history(personas, person):
    user = personas["operator_lappara"]
    consent = _verbal(user, person)
    with pytest.raises(ValidationError) as e:
        actions.withdraw_consent(user, consent, on=date(2026, 3, 1), reason="x", by="self")
    assert "on" in e.value.message_dict  # before it was given
    with pytest.raises(ValidationError):
        actions.withdraw_consent(user, consent, on=date(2026, 3, 5), reason=" ", by="self")
    actions.withdraw_consent(user, consent, on=date(2026, 3, 5), reason="Pindah", by="self")
    consent.refresh_from_db()
    assert consent.state() == "withdrawn" and consent.withdrawal_recorded_by == user
    reasons = list(
        consent.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["Persetujuan dicatat", "Persetujuan dicabut: Pindah"]
    with pytest.raises(ValidationError):
        actions.withdraw_consent(user, consent, on=date(2026, 3, 6), reason="lagi", by="self")


def test_a_restriction_stops_every_consent(personas, person):
    user = personas["front_office"]
    _verbal(user, person)
    assert queries.has_consent(person, "registration")
    Restriction.objects.create(
        person=person, reason="Permintaan subjek data", since=date(2026, 3, 3), created_by=user
    )
    assert queries.is_restricted(person)
    assert not queries.has_consent(person, "registration")
    assert queries.has_consent(person, "registration", on=date(2026, 3, 2))


def test_consents_are_recorded_only_inside_the_users_area_and_role(
    personas, person, makassar_person
):
    with pytest.raises(PermissionDenied):
        _verbal(personas["admin_makassar"], person)
    with pytest.raises(PermissionDenied):
        _verbal(personas["operator_bulu"], person)  # another village
    with pytest.raises(PermissionDenied):
        _verbal(personas["auditor"], person)  # reads, records no consent
    with pytest.raises(PermissionDenied):
        _verbal(personas["front_office"], makassar_person)
    assert not ConsentRecord.objects.exists()


def test_the_person_page_shows_the_consents_and_the_buttons(personas, person):
    _verbal(personas["operator_lappara"], person)
    client = Client()
    client.force_login(personas["front_office"])
    page = client.get(reverse("registry:person_detail", args=[person.uid])).content.decode()
    assert 'id="privacy"' in page and 'data-consent="registration"' in page
    assert reverse("privacy:consent_create", args=[person.uid]) in page
    assert reverse("privacy:request_create", args=[person.uid]) in page
    client.force_login(personas["tksk_moncongloe"])
    page = client.get(reverse("registry:person_detail", args=[person.uid])).content.decode()
    assert 'data-consent="registration"' in page
    assert reverse("privacy:request_create", args=[person.uid]) not in page


def test_a_consent_is_recorded_and_withdrawn_through_the_pages(personas, person):
    client = Client()
    client.force_login(personas["front_office"])
    url = reverse("privacy:consent_create", args=[person.uid])
    form = SimpleUploadedFile("f.pdf", PDF, content_type="application/pdf")
    sent = client.post(
        url,
        {"purpose": "registration", "scope": "Pendaftaran", "given_by": "self",
         "method": "signed", "given_on": "2026-03-02", "document": form},
    )  # fmt: skip
    assert sent.status_code == 302
    consent = ConsentRecord.objects.get()
    download = client.get(reverse("privacy:consent_document", args=[consent.uid]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    refused = client.post(url, {"purpose": "registration", "scope": "x", "given_by": "self",
                                "method": "signed", "given_on": "2026-03-02"})  # fmt: skip
    assert refused.status_code == 200 and "Unggah formulir" in refused.content.decode()
    gone = client.post(
        reverse("privacy:consent_withdraw", args=[consent.uid]),
        {"on": "2026-03-10", "by": "self", "reason": "Berubah pikiran"},
    )
    assert gone.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 3, 10)
    page = client.get(reverse("privacy:person", args=[person.uid])).content.decode()
    assert "Berubah pikiran" in page and "Dicabut" in page
