"""Queues: the TKSK's visits, the administrator's decisions, my proposals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.accounts.roles import Cap
from pandu.core.access import require
from pandu.core.lists import build_list, first_rows

from .. import actions
from .. import payloads as p
from ..filtersets import ItemFilterSet, queue_filters, web_filters
from ..forms import BulkDecisionForm
from ..models import BatchStatus, ItemStatus, MemberResult, ProposalItem
from ..tables import MyItemTable
from ._common import (
    _apply_errors,
    _decorate,
    _items,
    _need_view,
    _subject_name,
    _week,
)

# The visits page and the decisions desk stay one page each (items grouped by week; one form
# that decides many at once): past these many items they say how many were left out.
VERIFY_LIMIT = 500
DECIDE_LIMIT = 300


@login_required
def verify_queue(request):
    """The TKSK's week: visits planned for this week, late ones, and those not yet planned."""
    _need_view(request)
    require(request, Cap.VERIFY)
    user = request.user
    today = timezone.localdate()
    start, end = _week(today)
    waiting = (
        _items(user).filter(status=ItemStatus.PENDING).exclude(batch__status=BatchStatus.DRAFT)
    )
    filters = queue_filters(ItemFilterSet(request.GET or None, queryset=waiting, request=request))
    if filters.is_bound:
        # A filter that cannot be read shows its error and no items, never every item.
        waiting = filters.qs if filters.is_valid() else waiting.none()
    first = first_rows(
        waiting.order_by("visit_planned_on", "batch__submitted_at", "id"), VERIFY_LIMIT
    )
    pending = _decorate(first.rows)
    groups = {"late": [], "week": [], "unplanned": [], "later": []}
    for item in pending:
        planned = item.visit_planned_on
        if planned is None:
            groups["unplanned"].append(item)
        elif planned < start:
            groups["late"].append(item)
        elif planned <= end:
            groups["week"].append(item)
        else:
            groups["later"].append(item)
    recent = _decorate(
        _items(user)
        .filter(status=ItemStatus.VERIFIED, verified_by=user)
        .order_by("-verified_at")[:20]
    )
    return render(
        request,
        "proposals/verify_queue.html",
        {
            "title": _("Kunjungan verifikasi"),
            "groups": [
                ("late", _("Terlambat"), groups["late"]),
                ("week", _("Minggu ini"), groups["week"]),
                ("unplanned", _("Belum dijadwalkan"), groups["unplanned"]),
                ("later", _("Minggu berikutnya"), groups["later"]),
            ],
            "week_start": start,
            "week_end": end,
            "recent": recent,
            "count": len(pending),
            "first": first,
            "filter_form": filters.form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide_list(request):
    """The administrator's desk: verified items, approved or rejected one by one or in bulk."""
    _need_view(request)
    require(request, Cap.DECIDE)
    user = request.user
    area = (request.GET.get("area") or "").strip()
    batch_uid = (request.GET.get("batch") or "").strip()
    qs = (
        _items(user)
        .filter(status=ItemStatus.VERIFIED)
        .exclude(batch__status=BatchStatus.DRAFT)
        .prefetch_related("conflicts_with", "conflicted_by")
    )
    if area:
        qs = qs.in_area(area)
    if batch_uid:
        try:
            qs = qs.filter(batch__uid=batch_uid)
        except ValidationError:
            qs = qs.none()
    first = first_rows(qs.order_by("batch__submitted_at", "id"), DECIDE_LIMIT)
    items = _decorate(first.rows)
    for item in items:
        item.supported = _supported(item)  # type: ignore[attr-defined]
    form = BulkDecisionForm(request.POST or None, uids=[str(i.uid) for i in items])
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["items"])
        selected = [i for i in items if str(i.uid) in chosen]
        approve = form.cleaned_data["decision"] == "approve"
        try:
            result = actions.decide_items(
                user, selected, approve=approve, reason=form.cleaned_data.get("reason", "")
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            _bulk_messages(request, result, approve)
            return redirect(request.get_full_path())
    stuck = _decorate(_items(user).filter(status=ItemStatus.APPROVED).order_by("-decided_at")[:100])
    return render(
        request,
        "proposals/decide_list.html",
        {
            "title": _("Penetapan usulan"),
            "items": items,
            "form": form,
            "stuck": stuck,
            "area": area,
            "first": first,
        },
    )


def _supported(item: ProposalItem) -> bool:
    results = [r.get("result") for r in (item.member_results or {}).values()]
    if p.is_person_level(item):
        return bool(results) and results[0] in p.supporting_results(item)
    return MemberResult.CONFIRMED in results


def _bulk_messages(request, result, approve: bool) -> None:
    if approve:
        messages.success(
            request,
            _("%(n)s usulan disetujui, %(applied)s sudah masuk registri.")
            % {"n": len(result.decided), "applied": len(result.applied)},
        )
        if result.not_applied:
            messages.warning(
                request,
                _("%(n)s usulan disetujui tetapi belum masuk registri; lihat daftar di bawah.")
                % {"n": len(result.not_applied)},
            )
    else:
        messages.success(request, _("%(n)s usulan ditolak.") % {"n": len(result.decided)})
    for item, why in result.skipped:
        messages.error(
            request,
            _("%(name)s: %(why)s") % {"name": _subject_name(item) or item.uid, "why": why},
        )


@login_required
def my_items(request):
    """What I proposed, with the status and, when rejected or stuck, the reason."""
    _need_view(request)
    user = request.user
    page = build_list(
        request,
        _items(user).filter(created_by=user).order_by("-id"),
        MyItemTable,
        filterset_class=ItemFilterSet,
        prepare_filters=web_filters,
    )
    _decorate(page.rows)  # who or what each item is about, shown in the table
    return render(
        request,
        "proposals/my_items.html",
        {"title": _("Usulan saya"), "table": page.table, "filter_form": page.filterset.form},
    )
