"""Reads of the personal-data records, and what other apps ask of them.

Records about a person (consents, requests, restrictions) lie in the person's current village
(``person__area_code``); a breach and a retention review lie in their own area. Other apps ask
:func:`has_consent` and :func:`is_restricted` about a person they already hold: those answers
are the office's, not one user's, so they read every row.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Self

from django.db.models import Q
from django.utils import timezone

from pandu.accounts.roles import user_can
from pandu.core.querysets import ChildQuerySet, ScopedQuerySet, area_ancestors, scope_of

from . import choices as c
from .capabilities import PCap


class ConsentQuerySet(ScopedQuerySet):
    area_field = "person__area_code"
    caps = {"view": PCap.VIEW, "change": PCap.CONSENT}

    def in_force(self, on: date | None = None) -> Self:
        """Consents given on or before ``on`` (today) and neither withdrawn nor ended by then."""
        on = on or timezone.localdate()
        return self.filter(given_on__lte=on).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on),
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        )


class RequestQuerySet(ScopedQuerySet):
    area_field = "person__area_code"
    caps = {"view": PCap.HANDLE, "change": PCap.HANDLE, "approve": PCap.APPROVE}

    def open(self) -> Self:
        return self.filter(status__in=c.OPEN_REQUEST)

    def overdue(self, now=None) -> Self:
        """Open requests past either clock: not acknowledged within its hours, or not finished
        by the end of its due day (local time)."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        late_ack = Q(acknowledged_at__isnull=True, ack_due__lt=now)
        return self.open().filter(late_ack | Q(due_on__lt=today))


class RestrictionQuerySet(ScopedQuerySet):
    area_field = "person__area_code"
    caps = {"view": PCap.VIEW, "change": PCap.HANDLE}

    def active(self, on: date | None = None) -> Self:
        on = on or timezone.localdate()
        return self.filter(since__lte=on, lifted_at__isnull=True).filter(
            Q(until__isnull=True) | Q(until__gte=on)
        )


class AnonymisationQuerySet(ScopedQuerySet):
    area_field = "area_code"
    caps = {"view": PCap.HANDLE}


class RetentionRuleQuerySet(ScopedQuerySet):
    """Rules are written for an area (a regency's Dinas is its own controller) and hold there and
    in every area inside it; the national defaults (no area) hold wherever no office set its own.
    A user reads the national rules and those of their area, above or below it."""

    area_field = "area_code"
    caps = {"view": PCap.RETENTION, "change": PCap.RETENTION}

    def restrict(self, user: Any, action: str = "view", *, cap: str | None = None) -> Self:
        needed = cap or self.caps[action]
        if not user_can(user, needed):
            return self.none()
        scope = scope_of(user)
        if scope is None:
            return self.none()
        if scope == "":
            return self.all()
        inside = Q(area_code__prefix=scope)
        if action == "view":
            return self.filter(inside | Q(area_code__in=["", *area_ancestors(scope)]))
        return self.filter(inside)


class ReviewQuerySet(ScopedQuerySet):
    area_field = "area_code"
    caps = {"view": PCap.RETENTION, "change": PCap.RETENTION}

    def pending(self) -> Self:
        return self.filter(status=c.ReviewStatus.PENDING)


class BreachQuerySet(ScopedQuerySet):
    area_field = "area_code"
    caps = {"view": PCap.BREACH_VIEW, "change": PCap.BREACH}

    def open(self) -> Self:
        return self.exclude(status=c.BreachStatus.CLOSED)

    def notice_overdue(self, now=None) -> Self:
        """Breaches whose subjects or authority were not told before the clock ran out."""
        now = now or timezone.now()
        return self.filter(notify_due__lt=now).filter(
            Q(subjects_notified_at__isnull=True) | Q(authority_notified_at__isnull=True)
        )


class NoticeQuerySet(ChildQuerySet):
    parent = "breach"


# --- What other apps ask --------------------------------------------------------------------


def has_consent(
    person: Any,
    purpose: str,
    *,
    programme: Any = None,
    organisation: Any = None,
    on: date | None = None,
) -> bool:
    """Whether the office may process ``person``'s data for ``purpose`` on ``on`` (today) on the
    ground of consent: a consent for that purpose (and that programme or organisation, when
    given) is in force, and no restriction of processing is.

    A consent for a purpose without a programme or organisation named covers every programme
    or organisation of that purpose. Referral consents stay with their referral
    (``services``) and are not counted here.
    """
    from .models import ConsentRecord

    if person is None or getattr(person, "pk", None) is None:
        return False
    if purpose not in c.Purpose.values:
        raise ValueError(f"unknown consent purpose: {purpose!r}")
    if is_restricted(person, on=on):
        return False
    qs = ConsentRecord.objects.filter(person_id=person.pk, purpose=purpose).in_force(on)
    if programme is not None:
        qs = qs.filter(Q(programme__isnull=True) | Q(programme_id=programme.pk))
    if organisation is not None:
        qs = qs.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation.pk))
    return qs.exists()


def consent_state(person: Any, on: date | None = None) -> dict[str, bool]:
    """``{purpose: in force}`` for each purpose, as :func:`has_consent` answers it."""
    return {purpose: has_consent(person, purpose, on=on) for purpose in c.Purpose.values}


def is_restricted(person: Any, on: date | None = None) -> bool:
    """Whether processing of ``person``'s data is restricted (a data subject's request, or
    instead of an erasure the law does not allow): keep the data, use it for nothing new."""
    from .models import Restriction

    if person is None or getattr(person, "pk", None) is None:
        return False
    return Restriction.objects.filter(person_id=person.pk).active(on).exists()


def rule_for(kind: str, area_code: str):
    """The retention rule that holds for a record of ``kind`` in ``area_code``: the one of the
    nearest area that sets one, else the national default; ``None`` when none is active."""
    from .models import RetentionRule

    codes = ["", *area_ancestors(area_code), area_code] if area_code else [""]
    rules = RetentionRule.objects.filter(kind=kind, active=True, area_code__in=codes)
    return max(rules, key=lambda r: len(r.area_code), default=None)
