"""Reads of the service, always through ``visible_to(user)``: area scope, role, need-to-know.

Need-to-know: a sensitive intake or case (child protection, violence, trafficking, a sensitive
PPKS) is visible only to the assigned worker, the worker's supervisors and the administrator
(plus, for the intake, the front-office officer who received it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import apps
from django.db import models
from django.db.models import Q

from .permissions import SCap, can

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


def _ancestors(code: str) -> list[str]:
    return [code[:n] for n in (2, 5, 8) if n < len(code)]


class _AreaScoped(models.QuerySet):
    """Rows with an ``area`` foreign key; seen by users inside it and by users it contains."""

    cap = SCap.SETUP_VIEW

    def visible_to(self, user: User):
        if not can(user, self.cap):
            return self.none()
        scope = user.scope_code
        if scope is None:
            return self.none()
        if scope == "":
            return self.all()
        return self.filter(Q(area__prefix=scope) | Q(area_id__in=_ancestors(scope)))


class ServicePointQuerySet(_AreaScoped):
    pass


class PartnerQuerySet(_AreaScoped):
    pass


class AgreementQuerySet(_AreaScoped):
    def expiring_within(self, days: int, today=None):
        from datetime import date, timedelta

        today = today or date.today()
        return self.filter(
            terminated_on__isnull=True,
            starts_on__lte=today,
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=days),
        )


def _in_scope(qs, user: User, field: str = "area_code"):
    scope = user.scope_code
    if scope is None:
        return qs.none()
    if scope == "":
        return qs
    return qs.filter(**{f"{field}__prefix": scope})


class IntakeQuerySet(models.QuerySet):
    def visible_to(self, user: User):
        if not can(user, SCap.INTAKE_VIEW):
            return self.none()
        qs = _in_scope(self, user)
        if not can(user, SCap.CASE_ADMIN):
            qs = qs.filter(
                Q(sensitive=False)
                | Q(received_by=user)
                | Q(case__assigned_to=user)
                | Q(case__assigned_to__in=supervised_ids(user))
            )
        return qs

    def open(self):
        return self.exclude(status="closed")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user: User):
        if not can(user, SCap.CASE_VIEW):
            return self.none()
        qs = _in_scope(self, user)
        if not can(user, SCap.CASE_ADMIN):
            qs = qs.filter(
                Q(sensitive=False) | Q(assigned_to=user) | Q(assigned_to__in=supervised_ids(user))
            )
        return qs

    def open(self):
        return self.exclude(status="closed")


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user: User):
        """Staff: the referrals of the cases they may see. Partners: use ``inbox_for``."""
        if not can(user, SCap.CASE_VIEW):
            return self.none()
        return self.filter(case__in=_model("Case").objects.visible_to(user).values("pk"))

    def inbox_for(self, user: User):
        """A partner user's inbox: sent referrals addressed to their own agency, nothing else."""
        if not can(user, SCap.PARTNER):
            return self.none()
        membership = _model("PartnerMembership").objects.filter(user=user, active=True).first()
        if membership is None:
            return self.none()
        return self.filter(agency_id=membership.agency_id).exclude(status="draft")

    def open(self):
        from .choices import OPEN_REFERRAL

        return self.filter(status__in=OPEN_REFERRAL)
