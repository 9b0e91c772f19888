"""Which records are past their retention period (reads only; the review rows are written by
``actions.retention.open_reviews``, called by the periodic task).

For each kind of record (:class:`choices.RecordKind`) this module knows where its rows are,
when each one ended (a person's move or death, a closed intake, a withdrawn consent, a finished
request) and its area. A rule holds in its area except where a nearer area sets its own. A
record already waiting for a decision, kept until a later day, or already anonymised is not
listed again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import choices as c
from .holds import add_months


@dataclass(frozen=True)
class Due:
    kind: str
    record_id: int
    record_uid: str
    area_code: str
    ended_on: date
    due_since: date
    rule_id: int


@dataclass(frozen=True)
class Kind:
    """Where one kind of record is: its rows still holding personal data, the date each ended
    (a date or a datetime field) and the path to its area."""

    rows: Any  # () -> QuerySet
    ended: str
    area: str
    is_datetime: bool = False


def _people() -> QuerySet:
    from pandu.registry.models import Person

    return Person.objects.filter(status__in=["moved", "deceased", "merged"]).exclude(
        pk__in=_anonymised("person")
    )


def _intakes() -> QuerySet:
    from pandu.services.models import Intake

    return Intake.objects.filter(status="closed", closed_at__isnull=False).exclude(
        pk__in=_anonymised("intake")
    )


def _consents() -> QuerySet:
    from .models import ConsentRecord

    return (
        ConsentRecord.objects.filter(anonymised_at__isnull=True)
        .filter(Q(withdrawn_on__isnull=False) | Q(valid_until__isnull=False))
        .annotate(ended=Coalesce(F("withdrawn_on"), F("valid_until")))
    )


def _requests() -> QuerySet:
    from .models import SubjectRequest

    return SubjectRequest.objects.filter(
        anonymised_at__isnull=True, status__in=c.CLOSED_REQUEST, closed_at__isnull=False
    )


def _anonymised(record_type: str) -> QuerySet:
    from .models import Anonymisation

    return Anonymisation.objects.filter(record_type=record_type).values("record_id")


KINDS: dict[str, Kind] = {
    c.RecordKind.PERSON_INACTIVE: Kind(_people, "status_date", "area_code"),
    c.RecordKind.INTAKE_CLOSED: Kind(_intakes, "closed_at", "area_code", is_datetime=True),
    c.RecordKind.CONSENT_ENDED: Kind(_consents, "ended", "person__area_code"),
    c.RecordKind.REQUEST_CLOSED: Kind(_requests, "closed_at", "person__area_code", True),
}


def _reviewed(kind: str, today: date) -> QuerySet:
    from .models import RetentionReview

    return (
        RetentionReview.objects.filter(kind=kind)
        .filter(
            Q(status=c.ReviewStatus.PENDING)
            | Q(status=c.ReviewStatus.ANONYMISED)
            | Q(status=c.ReviewStatus.KEPT, keep_until__gte=today)
        )
        .values("record_id")
    )


def _cutoff(months: int, today: date) -> date:
    """Records that ended before this day are past a period of ``months``."""
    return add_months(today, -months)


def _local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def find_due(today: date | None = None, *, kinds: list[str] | None = None) -> Iterator[Due]:
    """Every record past its period that waits for no decision, by kind and rule."""
    from .models import RetentionRule

    today = today or timezone.localdate()
    rules = list(RetentionRule.objects.filter(active=True))
    for rule in rules:
        if kinds is not None and rule.kind not in kinds:
            continue
        spec = KINDS[rule.kind]
        nearer = [
            r.area_code
            for r in rules
            if r.kind == rule.kind
            and r.pk != rule.pk
            and len(r.area_code) > len(rule.area_code)
            and r.area_code.startswith(rule.area_code)
        ]
        cutoff = _cutoff(rule.period_months, today)
        ended_before = _local_day_start(cutoff) if spec.is_datetime else cutoff
        qs = spec.rows().filter(**{f"{spec.ended}__lt": ended_before})
        if rule.area_code:
            qs = qs.filter(**{f"{spec.area}__prefix": rule.area_code})
        for code in nearer:
            qs = qs.exclude(**{f"{spec.area}__prefix": code})
        qs = qs.exclude(pk__in=_reviewed(rule.kind, today))
        for pk, uid, area, ended in qs.values_list("pk", "uid", spec.area, spec.ended).iterator():
            ended_day = timezone.localdate(ended) if isinstance(ended, datetime) else ended
            yield Due(
                kind=rule.kind,
                record_id=pk,
                record_uid=str(uid),
                area_code=area or "",
                ended_on=ended_day,
                due_since=add_months(ended_day, rule.period_months),
                rule_id=rule.pk,
            )


def record_of(kind: str, record_id: int):
    """The record a review is about (``None`` when it is gone)."""
    model = KINDS[kind].rows().model
    return model._default_manager.filter(pk=record_id).first()
