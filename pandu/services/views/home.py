"""The one-stop service's start page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.notifications.queries import unread_count

from .. import choices as c
from ..capabilities import SCap
from ..models import Agreement, Case, Intake, ServicePoint, Task
from ..queries import supervised_ids
from ._common import _need


@login_required
def home(request):
    user = request.user
    if user.can(SCap.PARTNER) and not user.can(SCap.CASE_VIEW):
        return redirect("services:inbox")
    _need(request, SCap.SETUP_VIEW, SCap.INTAKE_VIEW, SCap.CASE_VIEW, SCap.REPORTS)
    today = timezone.localdate()
    ctx: dict = {"title": _("Layanan terpadu"), "today": today}
    if user.can(SCap.CASE_WORK):
        mine = (
            Case.objects.visible_to(user)
            .filter(assigned_to=user)
            .exclude(status=c.CaseStatus.CLOSED)
        )
        ctx["my_cases"] = mine.count()
        ctx["my_overdue_tasks"] = (
            Task.objects.visible_to(user)
            .filter(assigned_to=user, done_at__isnull=True, due_on__lt=today)
            .count()
        )
        ctx["to_approve"] = (
            Case.objects.visible_to(user)
            .filter(
                Q(plan_status=c.PlanStatus.SUBMITTED) | Q(status=c.CaseStatus.CLOSURE_REQUESTED),
                assigned_to__in=supervised_ids(user),
            )
            .count()
        )
    if user.can(SCap.INTAKE_VIEW):
        ctx["new_intakes"] = (
            Intake.objects.visible_to(user).filter(status=c.IntakeStatus.NEW).count()
        )
    if user.can(SCap.SETUP_VIEW):
        ctx["expiring"] = Agreement.objects.visible_to(user).expiring_within(90, today).count()
    ctx["unread"] = unread_count(user)
    ctx["points"] = list(
        ServicePoint.objects.visible_to(user)
        .filter(staff__user=user, staff__ended_on__isnull=True)
        .distinct()
    )
    return render(request, "services/home.html", ctx)
