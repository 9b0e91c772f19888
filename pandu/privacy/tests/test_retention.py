"""Retention: the periodic review lists the records past their period (by kind and the rule of
the nearest area), once each; a person decides each one, to keep it with a reason until a
later review or to anonymise it; nothing is deleted, and a record that must still be kept is
not anonymised."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pandu.core import jobs
from pandu.notifications.models import Notification
from pandu.privacy import actions, tasks
from pandu.privacy.models import Anonymisation, RetentionReview, RetentionRule
from pandu.registry import actions as registry
from pandu.registry.models import Person

from .conftest import wita

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


@pytest.fixture
def gone(personas, person):
    """Rahman moved away on 1 February 2016 (over ten years before ``TODAY``)."""
    registry.change_person_status(
        personas["admin_maros"], person, status="moved", on=date(2016, 2, 1), reason="Pindah"
    )
    person.refresh_from_db()
    return person


def test_the_national_rules_are_installed_and_unconfirmed():
    rules = {r.kind: r for r in RetentionRule.objects.filter(area_code="")}
    assert set(rules) == {"person_inactive", "intake_closed", "consent_ended", "request_closed"}
    assert rules["person_inactive"].period_months == 120
    assert all(r.unconfirmed and r.legal_basis for r in rules.values())


def test_the_review_lists_a_record_past_its_period_once(personas, gone, spouse):
    first = actions.open_reviews(TODAY)
    assert first["reviews"] == 1
    review = RetentionReview.objects.get()
    assert (review.kind, review.record_id, review.status) == ("person_inactive", gone.pk, "pending")
    assert review.due_since == date(2026, 2, 1) and review.area_code == gone.area_code
    assert actions.open_reviews(TODAY)["reviews"] == 0
    assert RetentionReview.objects.count() == 1
    told = Notification.objects.filter(kind="privacy_retention")
    assert {n.user.username for n in told} >= {"admin_maros", "auditor"}
    # A day before the period ends, nothing is listed.
    RetentionReview.objects.all().delete()
    assert actions.open_reviews(date(2026, 1, 31))["reviews"] == 0


def test_an_areas_own_rule_overrides_the_national_one(personas, gone):
    actions.save_rule(
        personas["admin_maros"], kind="person_inactive", area_code="73.09",
        period_months=180, legal_basis="Jadwal retensi arsip Kabupaten Maros",
    )  # fmt: skip
    assert actions.open_reviews(TODAY)["reviews"] == 0
    assert actions.open_reviews(date(2031, 2, 2))["reviews"] == 1
    with pytest.raises(PermissionDenied):
        actions.save_rule(
            personas["admin_maros"], kind="person_inactive", area_code="73.71",
            period_months=12, legal_basis="x",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        actions.save_rule(
            personas["front_office"], kind="person_inactive", area_code="73.09",
            period_months=12, legal_basis="x",
        )  # fmt: skip


def test_keeping_needs_a_reason_and_a_next_review(personas, gone):
    actions.open_reviews(TODAY)
    review = RetentionReview.objects.get()
    user = personas["auditor"]
    with pytest.raises(ValidationError) as e:
        actions.decide_review(user, review, keep=True, reason="Sengketa", keep_until=None)
    assert "keep_until" in e.value.message_dict
    later = timezone.localdate().replace(year=timezone.localdate().year + 1)
    review = actions.decide_review(
        user, review, keep=True, reason="Sengketa waris", keep_until=later
    )
    assert review.status == "kept"
    gone.refresh_from_db()
    assert gone.full_name.startswith("Muhammad Rahman")
    # Kept until a later day: not listed again before it.
    assert actions.open_reviews(TODAY)["reviews"] == 0
    with pytest.raises(ValidationError):
        actions.decide_review(user, review, keep=False, reason="lagi")


def test_anonymising_keeps_the_row_and_its_timeline(personas, gone):
    actions.open_reviews(TODAY)
    review = RetentionReview.objects.get()
    rows = Person.history.filter(id=gone.pk).count()
    actions.decide_review(personas["auditor"], review, keep=False, reason="Masa simpan habis")
    gone.refresh_from_db()
    assert Person.objects.filter(pk=gone.pk).exists() and gone.full_name.startswith("Anonim")
    assert Person.history.filter(id=gone.pk).count() == rows + 1
    log = Anonymisation.objects.get()
    assert log.review == review and log.record_id == gone.pk
    assert actions.open_reviews(TODAY)["reviews"] == 0  # anonymised: never listed again


def test_a_record_that_must_be_kept_is_not_anonymised(personas, gone):
    from pandu.payments.models import Cycle, Entitlement
    from pandu.programs.models import Programme

    pkh = Programme.objects.create(code="PKH-UJI", name="PKH uji", benefit_type="tunai")
    cycle = Cycle.objects.create(
        programme=pkh, name="PKH 2015", area_id="73.09", period_start=date(2015, 1, 1),
        period_end=date(2015, 3, 31),
    )  # fmt: skip
    Entitlement.objects.create(
        cycle=cycle, household=gone.household, area_code=gone.area_code, channel="bank",
        amount=500000,
    )  # fmt: skip
    actions.open_reviews(TODAY)
    review = RetentionReview.objects.get()
    assert [h.code for h in actions.review_holds(review)] == ["payments"]
    with pytest.raises(ValidationError):
        actions.decide_review(personas["auditor"], review, keep=False, reason="Habis")
    gone.refresh_from_db()
    assert gone.full_name.startswith("Muhammad Rahman")


def test_withdrawn_consents_and_finished_requests_come_to_review_too(personas, person, receive):
    from pandu.privacy.models import ConsentRecord, SubjectRequest

    user = personas["front_office"]
    consent = actions.record_consent(
        user, person, purpose="registration", scope="Pendaftaran", given_by="self",
        method="verbal", witness_name="Saksi", given_on=date(2019, 1, 2),
    )  # fmt: skip
    actions.withdraw_consent(user, consent, on=date(2020, 1, 2), reason="Dicabut", by="self")
    req = receive(person, received_at=wita(2020, 5, 1, 9))
    actions.withdraw_request(user, req, reason="Tidak jadi")
    SubjectRequest.objects.filter(pk=req.pk).update(closed_at=req.received_at)
    actions.open_reviews(TODAY)
    kinds = set(RetentionReview.objects.values_list("kind", flat=True))
    assert kinds == {"consent_ended", "request_closed"}
    for review in RetentionReview.objects.all():
        actions.decide_review(personas["admin_maros"], review, keep=False, reason="Masa habis")
    consent.refresh_from_db()
    req.refresh_from_db()
    assert consent.witness_name == "[dianonimkan]" and consent.anonymised_at
    assert req.description == "[dianonimkan]" and req.number and req.kind == "access"
    assert ConsentRecord.objects.count() == 1 and SubjectRequest.objects.count() == 1


def test_the_periodic_task_and_the_job_run_the_review(personas, gone, settings):
    # Ten years after the move (1 February 2016) have passed today.
    assert "privacy-daily" in settings.CELERY_BEAT_SCHEDULE
    assert settings.CELERY_BEAT_SCHEDULE["privacy-daily"]["task"] == "privacy.daily"
    result = tasks.daily.apply().get()
    assert result["reviews"] == 1
    RetentionReview.objects.all().delete()
    job = jobs.enqueue("privacy.retention_review", user=personas["auditor"])
    jobs.run_pending()
    job.refresh_from_db()
    assert job.status == "succeeded" and "1 reviews" in job.message
    assert RetentionReview.objects.count() == 1


def test_only_reviewers_of_the_area_decide(personas, gone):
    actions.open_reviews(TODAY)
    review = RetentionReview.objects.get()
    for who in ("front_office", "admin_makassar", "head"):
        with pytest.raises(PermissionDenied):
            actions.decide_review(personas[who], review, keep=False, reason="x")
    review.refresh_from_db()
    assert review.status == "pending"
