"""Overdue pages: late tasks and referrals, for a worker and a supervisor."""

from __future__ import annotations

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.core.lists import paginate

from .. import actions
from .. import choices as c
from ..capabilities import SCap
from ..models import PlanAction, Referral, Task
from ..queries import supervised_ids
from ..tables import OverdueActionTable, OverdueReferralTable, OverdueTaskTable
from ._common import needs

TEAM_ITEMS = 5  # overdue items shown per worker on the supervisor's list
TEAM_WORKERS = 30  # workers shown there, most overdue first


@needs(SCap.CASE_WORK, SCap.CASE_ADMIN)
def overdue(request):
    """Overdue follow-ups and referrals: mine, and per worker for the ones I supervise.

    Built from the overdue rows (an index range on due dates), not from the cases the user may
    see: a regency holds hundreds of thousands of cases and only a few hundred overdue items.
    """
    user = request.user
    today = timezone.localdate()
    open_case = ~Q(case__status=c.CaseStatus.CLOSED)
    # The area alone: need-to-know is the filters below (mine, the team I supervise).
    tasks = (
        Task.objects.in_scope_of(user)
        .filter(open_case, done_at__isnull=True, due_on__lt=today)
        .select_related("case__intake", "case__assigned_to", "assigned_to")
    )
    refs = (
        actions.overdue_referrals(today)
        .in_scope_of(user)
        .select_related("case__intake", "case__assigned_to", "agency")
    )
    plan_actions = (
        PlanAction.objects.in_scope_of(user)
        .filter(done=False, cancelled=False, due_on__lt=today)
        .exclude(goal__case__status=c.CaseStatus.CLOSED)
        .select_related("goal__case__intake")
    )
    # Each of my lists is paged on its own (tugas-page, rujukan-page, kegiatan-page).
    mine = {
        "tasks": paginate(
            request,
            OverdueTaskTable(
                tasks.filter(assigned_to=user).order_by("due_on", "id"), prefix="tugas-"
            ),
        ),
        "referrals": paginate(
            request,
            OverdueReferralTable(
                Referral.objects.in_scope_of(user)
                .filter(actions.late_referral(today), case__assigned_to=user)
                .select_related("case__intake", "case__assigned_to", "agency")
                .order_by("respond_due", "id"),
                prefix="rujukan-",
            ),
        ),
        "actions": paginate(
            request,
            OverdueActionTable(
                plan_actions.filter(goal__case__assigned_to=user).order_by("due_on", "id"),
                prefix="kegiatan-",
            ),
        ),
    }
    if user.can(SCap.CASE_ADMIN):
        team_filter, supervises = Q(), True
    else:
        team_filter = Q(case__assigned_to__in=supervised_ids(user))
        supervises = user.service_posts.filter(
            role=c.StaffRole.SUPERVISOR, ended_on__isnull=True
        ).exists()
    team_rows = (
        _team_overdue(tasks.filter(team_filter), refs.filter(team_filter)) if supervises else []
    )
    return render(
        request,
        "services/overdue.html",
        {
            "title": _("Terlambat"),
            "mine": mine,
            "team": team_rows,
            "today": today,
            "supervises": supervises,
        },
    )


def _team_overdue(tasks, refs) -> list[dict]:
    """Per worker (most overdue first, at most ``TEAM_WORKERS``): how many follow-ups and
    referrals are overdue, and the oldest ``TEAM_ITEMS`` of each."""
    from pandu.accounts.models import User

    team: dict = {}
    for kind, qs in (("tasks", tasks), ("referrals", refs)):
        counts = qs.values_list("case__assigned_to").annotate(n=Count("id")).order_by()
        for worker_id, n in counts:
            if worker_id is not None:
                team.setdefault(worker_id, {"n_tasks": 0, "n_referrals": 0})["n_" + kind] = n
    top = sorted(team, key=lambda k: -(team[k]["n_tasks"] + team[k]["n_referrals"]))
    top = top[:TEAM_WORKERS]
    workers = User.objects.in_bulk(top)
    rows = {k: {**team[k], "worker": workers[k], "tasks": [], "referrals": []} for k in top}

    def oldest(qs, due: str):
        rank = Window(RowNumber(), partition_by=[F("case__assigned_to")], order_by=[F(due).asc()])
        return qs.filter(case__assigned_to__in=top).annotate(rank=rank).filter(rank__lte=TEAM_ITEMS)

    for t in oldest(tasks, "due_on").order_by("due_on"):
        rows[t.case.assigned_to_id]["tasks"].append(t)
    for r in oldest(refs, "respond_due").order_by("respond_due"):
        rows[r.case.assigned_to_id]["referrals"].append(r)
    for row in rows.values():
        row["more_tasks"] = row["n_tasks"] - len(row["tasks"])
        row["more_referrals"] = row["n_referrals"] - len(row["referrals"])
    return [rows[k] for k in top]
