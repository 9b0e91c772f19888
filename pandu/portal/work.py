"""What each person finds first on the front page: their own work, as short lists.

Each section is chosen by what the user may do (capabilities, service posts, the size of their
area), never by naming a role, and is read through ``visible_to``/``restrict``. Every list is
bounded (``LIMIT`` rows, one more read to know whether there are more) and links to the full,
filtered list it comes from.

- *Antrean hari ini* (the desk): today's intakes at the user's service points, waiting first.
- *Kasus saya* (caseworkers): open cases assigned to the user, urgent first, then due date.
- *Menunggu persetujuan* (supervisors): plans submitted and closures requested by the workers
  they supervise; *Usulan menunggu penetapan* for those who decide proposals.
- *Kunjungan verifikasi* (field verifiers of a district or village): proposal items waiting for
  the visit inside their area.
- *Rujukan* (partner agencies): referrals to answer, and overdue ones.
- ``trends`` (heads of office, administrators): intakes per month for the last 12 months and per
  district, from the monthly tallies the service dashboard uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import Case as When_
from django.db.models import F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pandu.accounts.roles import Cap
from pandu.proposals.models import BatchStatus, ItemStatus, ProposalItem
from pandu.services import choices as c
from pandu.services import reports
from pandu.services.actions import overdue_referrals
from pandu.services.capabilities import SCap
from pandu.services.models import Case, Intake, Referral, ServicePoint
from pandu.services.queries import supervised_ids

LIMIT = 10  # rows shown per section; the rest are behind "Lihat semua"
TREND_MONTHS = 12
DISTRICT_LEN = len("73.09.13")


@dataclass
class Section:
    """One block of the home page: a short list of the user's own work."""

    key: str
    title: Any
    rows: list
    see_all: str
    more: bool = False
    empty: Any = _("Tidak ada.")
    extra: dict = field(default_factory=dict)


def _bounded(qs) -> tuple[list, bool]:
    rows = list(qs[: LIMIT + 1])
    return rows[:LIMIT], len(rows) > LIMIT


def sections_for(user) -> list[Section]:
    """The user's own work, in the order it matters to them."""
    sections: list[Section] = []
    today = timezone.localdate()
    if _works_the_desk(user):
        sections.append(_queue(user, today))
    if user.can(SCap.CASE_WORK):
        mine = _my_cases(user)
        if mine.rows or not user.can(SCap.CASE_ADMIN):
            sections.append(mine)
    if user.can(SCap.CASE_WORK) and _supervises(user):
        sections.append(_approvals(user))
    if user.can(Cap.DECIDE):
        sections.append(_decisions(user))
    if _verifies_in_the_field(user):
        sections.append(_visits(user))
    if user.can(SCap.PARTNER):
        sections.extend(_referrals(user, today))
    return sections


# --- who does what ------------------------------------------------------------------------------


def _works_the_desk(user) -> bool:
    """Receives visitors: may take intakes and does no casework, or is posted at a desk."""
    if not user.can(SCap.INTAKE):
        return False
    if not user.can(SCap.CASE_WORK):
        return True
    return user.service_posts.filter(role=c.StaffRole.FRONT_OFFICE, ended_on__isnull=True).exists()


def _supervises(user) -> bool:
    return user.service_posts.filter(role=c.StaffRole.SUPERVISOR, ended_on__isnull=True).exists()


def _verifies_in_the_field(user) -> bool:
    """Verification visits are the work of verifiers of a district or a village (the TKSK); a
    regency-wide user may verify, but the regency's whole queue is not their own work."""
    scope = user.scope_code
    return user.can(Cap.VERIFY) and bool(scope) and len(scope) >= DISTRICT_LEN


def shows_trends(user) -> bool:
    """Heads of office and administrators: figures over time rather than a caseload."""
    return user.can(SCap.REPORTS) and (user.can(SCap.CASE_ADMIN) or not user.can(SCap.CASE_WORK))


# --- the sections -------------------------------------------------------------------------------


def _queue(user, today: date) -> Section:
    start = datetime.combine(today, time.min, tzinfo=timezone.get_current_timezone())
    points = ServicePoint.objects.visible_to(user).filter(
        active=True, staff__user=user, staff__ended_on__isnull=True
    )
    waiting_first = When_(
        When(queue_status=c.QueueStatus.WAITING, then=Value(0)),
        When(status=c.IntakeStatus.NEW, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    qs = (
        Intake.objects.visible_to(user)
        .filter(Q(service_point__in=points.values("pk")) | Q(received_by=user))
        .filter(received_at__gte=start)
        .select_related("service_point")
        .annotate(waiting_first=waiting_first)
        .order_by("waiting_first", "received_at", "id")
    )
    rows, more = _bounded(qs)
    return Section(
        "queue",
        _("Antrean hari ini"),
        rows,
        reverse("services:queue"),
        more,
        _("Belum ada pengunjung hari ini."),
    )


def _my_cases(user) -> Section:
    qs = (
        Case.objects.visible_to(user)
        .filter(assigned_to=user)
        .open()
        .select_related("intake")
        .urgent_first()
    )
    rows, more = _bounded(qs)
    return Section(
        "my_cases",
        _("Kasus saya"),
        rows,
        reverse("services:case_list") + "?lingkup=saya&status=aktif",
        more,
        _("Tidak ada kasus terbuka yang ditugaskan kepada Anda."),
    )


def _approvals(user) -> Section:
    qs = (
        Case.objects.visible_to(user)
        .filter(
            Q(plan_status=c.PlanStatus.SUBMITTED) | Q(status=c.CaseStatus.CLOSURE_REQUESTED),
            assigned_to__in=supervised_ids(user),
        )
        .select_related("intake", "assigned_to")
        .order_by("urgency_rank", "id")
    )
    rows, more = _bounded(qs)
    return Section(
        "approvals",
        _("Menunggu persetujuan Anda"),
        rows,
        reverse("services:case_list") + "?lingkup=supervisi&status=aktif",
        more,
        _("Tidak ada rencana atau penutupan kasus yang menunggu."),
    )


def _items(user, action: str):
    return (
        ProposalItem.objects.restrict(user, action)
        .exclude(batch__status=BatchStatus.DRAFT)
        .select_related("batch__village", "person")
    )


def _decisions(user) -> Section:
    qs = _items(user, "decide").filter(status=ItemStatus.VERIFIED).order_by("verified_at", "id")
    rows, more = _bounded(qs)
    for item in rows:
        item.subject_name = subject_name(item)
    return Section(
        "decisions",
        _("Usulan menunggu penetapan"),
        rows,
        reverse("proposals:decide_list"),
        more,
        _("Tidak ada usulan yang menunggu penetapan."),
    )


def _visits(user) -> Section:
    qs = (
        _items(user, "verify")
        .filter(status=ItemStatus.PENDING)
        .order_by(F("visit_planned_on").asc(nulls_last=True), "batch__submitted_at", "id")
    )
    rows, more = _bounded(qs)
    for item in rows:
        item.subject_name = subject_name(item)
    return Section(
        "visits",
        _("Kunjungan verifikasi menunggu"),
        rows,
        reverse("proposals:verify_queue"),
        more,
        _("Tidak ada kunjungan verifikasi yang menunggu."),
    )


def subject_name(item: ProposalItem) -> str:
    """Who the item is about, from what is already loaded (no query per row)."""
    if item.person_id and item.person is not None:
        return item.person.full_name
    payload = item.payload or {}
    if "member" in payload:
        return payload["member"].get("full_name", "")
    members = payload.get("members") or []
    head = next((m for m in members if m.get("relationship") == 1), members[0] if members else {})
    return head.get("full_name", "")


def _referrals(user, today: date) -> list[Section]:
    inbox = Referral.objects.inbox_for(user).select_related("service")
    to_answer, more = _bounded(
        inbox.filter(status__in=c.AWAITING_RESPONSE).order_by("respond_due", "id")
    )
    late_ids = overdue_referrals(today).values("pk")
    overdue, more_late = _bounded(
        inbox.filter(pk__in=late_ids).order_by("respond_due", "complete_due", "id")
    )
    inbox_url = reverse("services:inbox")
    return [
        Section(
            "to_answer",
            _("Rujukan menunggu tanggapan"),
            to_answer,
            inbox_url + "?status=terbuka",
            more,
            _("Tidak ada rujukan yang menunggu tanggapan."),
        ),
        Section(
            "overdue_referrals",
            _("Rujukan terlambat"),
            overdue,
            inbox_url + "?terlambat=1",
            more_late,
            _("Tidak ada rujukan yang terlambat."),
        ),
    ]


# --- trends for the head of office ----------------------------------------------------------------


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _months_back(first: date, n: int) -> date:
    year, month = first.year, first.month - n
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


def trends(user, today: date | None = None) -> dict | None:
    """Intakes per month (the last ``TREND_MONTHS`` months, this one included) and per district
    over the same months, inside the user's area; ``None`` for a user without reports.

    The shape is what a chart needs::

        {"start": date, "end": date, "total": int,
         "months": [{"month": date, "label": "Jan 2026", "n": int}, ...],   # oldest first
         "districts": [{"code": "73.09.13", "name": "Moncongloe", "n": int}, ...]}  # largest first

    Counts come from the monthly tallies (``services.tallies``), the same numbers as the service
    dashboard, kept in step by the intake actions; no intake row is read.
    """
    scope = user.scope_code
    if not shows_trends(user) or scope is None:
        return None
    today = today or timezone.localdate()
    end = _month_start(today)
    start = _months_back(end, TREND_MONTHS - 1)
    figures = reports.monthly(scope, start, end)
    series = figures["months"]
    return {
        "start": start,
        "end": today,
        "total": sum(row["n"] for row in series),
        "months": series,
        "districts": figures["districts"],
    }
