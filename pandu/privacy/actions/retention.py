"""Retention: the rules (per kind of record and area) and the review of the records past them.
The periodic task opens one review per record and tells the reviewers; a person decides each
one, to keep it (with a reason and the day of the next review) or to anonymise it. Nothing is
deleted, and nothing is decided by the machine."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import choices as c
from ..capabilities import PCap
from ..holds import holds_for
from ..models import RetentionReview, RetentionRule
from ..retention import find_due, record_of
from ._common import _require, _save, _text, nearest_holders, tell
from .anonymise import anonymise_consent, anonymise_intake, anonymise_person, anonymise_request

#: The longest a period may be set to (100 years), and the longest a record is kept on review.
MAX_MONTHS = 1200


@transaction.atomic
def save_rule(
    user: Any,
    *,
    kind: str,
    area_code: str,
    period_months: int,
    legal_basis: str,
    unconfirmed: bool = False,
    active: bool = True,
    note: str = "",
) -> RetentionRule:
    """An office's own period for a kind of record, in an area of its scope (the national
    defaults are data of the migration and stay as they are)."""
    _require(user, PCap.RETENTION, area_code or None)
    errors: dict[str, list] = {}
    if kind not in c.RecordKind.values:
        errors["kind"] = [_("Pilih jenis data.")]
    if not area_code:
        errors["area_code"] = [_("Pilih wilayah tempat ketentuan ini berlaku.")]
    if not isinstance(period_months, int) or not 1 <= period_months <= MAX_MONTHS:
        errors["period_months"] = [_("Masa simpan 1 sampai 1.200 bulan.")]
    if not (legal_basis or "").strip():
        errors["legal_basis"] = [_("Tuliskan dasar hukumnya.")]
    if errors:
        raise ValidationError(errors)
    rule = RetentionRule.objects.select_for_update().filter(kind=kind, area_code=area_code).first()
    rule = rule or RetentionRule(kind=kind, area_code=area_code)
    rule.period_months = period_months
    rule.legal_basis = legal_basis.strip()
    rule.unconfirmed = bool(unconfirmed)
    rule.active = bool(active)
    rule.note = (note or "").strip()[:300]
    rule.changed_by = user
    _save(rule, user, _("Ketentuan masa simpan disimpan"))
    return rule


def open_reviews(today: date | None = None) -> dict[str, int]:
    """The periodic review: a review row for each record newly past its period, and one
    notification per reviewer of the areas that have new ones. Safe to run again (a record
    waiting for a decision is not listed twice)."""
    today = today or timezone.localdate()
    rules = {r.pk: r for r in RetentionRule.objects.all()}
    made: list[RetentionReview] = []
    for due in find_due(today):
        made.append(
            RetentionReview(
                rule=rules[due.rule_id],
                kind=due.kind,
                record_id=due.record_id,
                record_uid=due.record_uid,
                area_code=due.area_code,
                ended_on=due.ended_on,
                due_since=due.due_since,
            )
        )
    with transaction.atomic():
        created = RetentionReview.objects.bulk_create(made, batch_size=500, ignore_conflicts=True)
    by_area = Counter(r.area_code[:5] for r in made)
    told = 0
    for area, count in by_area.items():
        told += len(
            tell(
                nearest_holders(PCap.RETENTION, area),
                "privacy_retention",
                _("%(n)s data melewati masa simpan") % {"n": count},
                _("Tinjau dan putuskan: tetap disimpan dengan alasan, atau dianonimkan."),
                reverse("privacy:review_list"),
                key=f"privacy-retention:{today.isoformat()}",
            )
        )
    return {"reviews": len(created), "notifications": told}


ANONYMISERS = {
    c.RecordKind.PERSON_INACTIVE: anonymise_person,
    c.RecordKind.INTAKE_CLOSED: anonymise_intake,
    c.RecordKind.CONSENT_ENDED: anonymise_consent,
    c.RecordKind.REQUEST_CLOSED: anonymise_request,
}


def review_holds(review: RetentionReview) -> list:
    """For a person past their period, what must still be kept (payments, programmes, ...)."""
    if review.kind != c.RecordKind.PERSON_INACTIVE:
        return []
    person = record_of(review.kind, review.record_id)
    return holds_for(person) if person is not None else []


@transaction.atomic
def decide_review(
    user: Any,
    review: RetentionReview,
    *,
    keep: bool,
    reason: str,
    keep_until: date | None = None,
) -> RetentionReview:
    """Keep the record until ``keep_until`` (then it is reviewed again) for ``reason``, or
    anonymise it; a person who must still be kept (``holds``) cannot be anonymised."""
    _require(user, PCap.RETENTION, review.area_code or None)
    review = RetentionReview.objects.select_for_update().get(pk=review.pk)
    if review.status != c.ReviewStatus.PENDING:
        raise ValidationError(_("Tinjauan ini sudah diputuskan."))
    reason = _text(reason, "reason", _("Tuliskan alasan keputusan."))
    today = timezone.localdate()
    if keep:
        if keep_until is None or keep_until <= today:
            raise ValidationError({"keep_until": [_("Pilih tanggal tinjauan berikutnya.")]})
        review.status = c.ReviewStatus.KEPT
        review.keep_until = keep_until
    else:
        record = record_of(review.kind, review.record_id)
        if record is None:
            raise ValidationError(_("Data ini sudah tidak ada."))
        holds = review_holds(review)
        if holds:
            raise ValidationError(
                _("Data ini wajib disimpan: %(holds)s Putuskan tetap disimpan dengan alasan itu.")
                % {"holds": " ".join(h.label for h in holds)}
            )
        ANONYMISERS[review.kind](  # type: ignore[index,operator]
            user, record, _("Masa simpan berakhir: %(reason)s") % {"reason": reason}, review=review
        )
        review.status = c.ReviewStatus.ANONYMISED
    review.reason = reason
    review.decided_by = user
    review.decided_at = timezone.now()
    _save(review, user, review.get_status_display())
    return review
