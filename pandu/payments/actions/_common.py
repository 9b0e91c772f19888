"""What the payment actions share: the role-and-area check, the cycle lock, the figures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from pandu.accounts.roles import user_can

from ..choices import PaymentStatus
from ..models import Cycle, Entitlement, Payment


def require(user: Any, cap: str, area_code: str | None = None) -> None:
    """``user`` holds ``cap`` and ``area_code`` lies inside their area. ``None`` is the system
    (a command run by the operator of the server)."""
    if user is None:
        return
    if not user_can(user, cap) or (area_code is not None and not user.in_scope(area_code)):
        raise PermissionDenied(_("Anda tidak berwenang melakukan ini."))


def scope_of(user: Any) -> str:
    return "" if user is None else (user.scope_code or "")


def lock(cycle: Cycle) -> Cycle:
    """The cycle, locked until the transaction ends: two approvals (or a computation and an
    approval) of one cycle happen one after the other."""
    return Cycle.objects.select_for_update().select_related("programme", "area").get(pk=cycle.pk)


def refresh_figures(cycle: Cycle, **extra: Any) -> dict:
    """The cycle's figures from its rows (one query per table), kept on the cycle for lists."""
    figures = dict(cycle.figures or {})
    figures.update(Entitlement.objects.filter(cycle=cycle).figures())
    paid = Payment.objects.filter(cycle=cycle).aggregate(
        returned_open=Count("pk", filter=Q(status=PaymentStatus.RETURNED, treasury_return=None)),
        returned_open_amount=Sum(
            "amount", filter=Q(status=PaymentStatus.RETURNED, treasury_return=None)
        ),
        deposited_amount=Sum(
            "amount", filter=Q(status=PaymentStatus.RETURNED, treasury_return__isnull=False)
        ),
    )
    figures.update({k: int(v or 0) for k, v in paid.items()})
    figures["retries"] = Entitlement.objects.filter(retry_in=cycle).count()
    figures.update(extra)
    Cycle.objects.filter(pk=cycle.pk).update(figures=figures)
    cycle.figures = figures
    return figures
