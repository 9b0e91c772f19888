"""Reads of the service, always through ``visible_to(user)``: area scope, role, need-to-know.

The scoping is ``core.querysets``; each model here says where its area is, which capability
reads it and what a user must not see inside their area.

Need-to-know: a sensitive intake or case (child protection, violence, trafficking, a sensitive
PPKS) is visible only to the assigned worker, the worker's supervisors and the administrator
(plus, for the intake, the front-office officer who received it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q

from pandu.accounts.roles import user_can
from pandu.core.querysets import ChildQuerySet, ScopedQuerySet

from .capabilities import SCap

if TYPE_CHECKING:
    from pandu.accounts.models import User


def _model(name: str):
    return apps.get_model("services", name)


def supervised_ids(user: User):
    """Ids of the users ``user`` supervises: staff of the points where ``user`` is a supervisor."""
    staff = _model("ServicePointStaff").objects
    points = staff.filter(user=user, role="supervisor", ended_on__isnull=True).values(
        "service_point"
    )
    return (
        staff.filter(service_point__in=points, ended_on__isnull=True)
        .exclude(user=user)
        .values("user")
    )


def supervisor_ids(worker) -> set[int]:
    """Ids of the users who supervise ``worker``."""
    staff = _model("ServicePointStaff").objects
    points = staff.filter(user=worker, ended_on__isnull=True).values("service_point")
    return set(
        staff.filter(service_point__in=points, role="supervisor", ended_on__isnull=True)
        .exclude(user=worker)
        .values_list("user_id", flat=True)
    )


def is_supervisor_of(user, worker) -> bool:
    return worker is not None and user.pk in supervisor_ids(worker)


class _SetupQuerySet(ScopedQuerySet):
    """Rows with an ``area`` foreign key; seen by users inside it and by users it contains
    (a regency's service point serves the staff of its districts and villages)."""

    area_field = "area"
    seen_from_inside = True
    caps = {"view": SCap.SETUP_VIEW, "manage": SCap.SETUP_MANAGE}


class ServicePointQuerySet(_SetupQuerySet):
    pass


class PartnerQuerySet(_SetupQuerySet):
    pass


class AgreementQuerySet(_SetupQuerySet):
    def expiring_within(self, days: int, today=None):
        from datetime import date, timedelta

        today = today or date.today()
        return self.filter(
            terminated_on__isnull=True,
            starts_on__lte=today,
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=days),
        )


class PartnerServiceQuerySet(ChildQuerySet):
    parent = "agency"


class IntakeQuerySet(ScopedQuerySet):
    caps = {"view": SCap.INTAKE_VIEW, "receive": SCap.INTAKE}

    def need_to_know(self, user: Any):
        if user_can(user, SCap.CASE_ADMIN):
            return self
        return self.filter(
            Q(sensitive=False)
            | Q(received_by=user)
            | Q(case__assigned_to=user)
            | Q(case__assigned_to__in=supervised_ids(user))
        )

    def open(self):
        return self.exclude(status="closed")


class CaseQuerySet(ScopedQuerySet):
    caps = {"view": SCap.CASE_VIEW, "work": SCap.CASE_WORK}

    def need_to_know(self, user: Any):
        if user_can(user, SCap.CASE_ADMIN):
            return self
        return self.filter(
            Q(sensitive=False) | Q(assigned_to=user) | Q(assigned_to__in=supervised_ids(user))
        )

    def open(self):
        return self.exclude(status="closed")

    def urgent_first(self):
        """Urgent first (the stored ``urgency_rank``: emergency, perlu segera, biasa, rendah),
        then the next open follow-up due (``next_due``, annotated), then the newest."""
        from django.db.models import F, OuterRef, Subquery

        next_due = Subquery(
            _model("Task")
            .objects.filter(case=OuterRef("pk"), done_at__isnull=True)
            .order_by("due_on")
            .values("due_on")[:1]
        )
        return self.annotate(next_due=next_due).order_by(
            "urgency_rank", F("next_due").asc(nulls_last=True), "-id"
        )


class AssessmentQuerySet(ChildQuerySet):
    """A case's assessments: seen with the case, except health and violence details, which only
    the people of the case read (the assigned worker, the worker's supervisors, the
    administrator); a front-office officer or another worker who may see the case does not."""

    parent = "case"

    def need_to_know(self, user: Any):
        from .choices import PRIVATE_ASSESSMENTS

        seen = super().need_to_know(user)
        if user_can(user, SCap.CASE_ADMIN):
            return seen
        private = Q(area__in=PRIVATE_ASSESSMENTS) | Q(case__sensitive=True)
        of_the_case = Q(case__assigned_to=user) | Q(case__assigned_to__in=supervised_ids(user))
        return seen.filter(~private | of_the_case)


class CasePartQuerySet(ChildQuerySet):
    """A case's goals, tasks and notes: seen with the case."""

    parent = "case"


class PlanActionQuerySet(ChildQuerySet):
    parent = "goal__case"


class ReferralQuerySet(ChildQuerySet):
    """Staff: the referrals of the cases they may see. Partners: ``inbox_for``/``shared_with``."""

    parent = "case"

    def inbox_for(self, user: User):
        """A partner user's inbox: sent referrals addressed to their own agency, nothing else."""
        if not user_can(user, SCap.PARTNER):
            return self.none()
        membership = _model("PartnerMembership").objects.filter(user=user, active=True).first()
        if membership is None:
            return self.none()
        return self.filter(agency_id=membership.agency_id).exclude(status="draft")

    def shared_with(self, user: User):
        """What a partner may still read (details, letter, attachments): the inbox without the
        withdrawn referrals, whose consent no longer holds; those show only as a stub."""
        return self.inbox_for(user).exclude(status="withdrawn")

    def open(self):
        from .choices import OPEN_REFERRAL

        return self.filter(status__in=OPEN_REFERRAL)


class ReferralAttachmentQuerySet(ChildQuerySet):
    """Seen by staff who may see the referral, and by the partner it is still shared with."""

    parent = "referral"

    def shared_with(self, user: User):
        return self.filter(referral__in=_model("Referral").objects.shared_with(user).values("pk"))
