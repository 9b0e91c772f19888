"""Cycle pages: the list with the figures and the new-cycle forms, a cycle's page (figures,
approval steps, configuration, payment lists, history) with its actions, its entitlements,
one entitlement (hold, approve), a group's entitlement."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import deny, get_for_user_or_404, record_access
from pandu.core.files import private_file_response
from pandu.core.forms import add_action_errors
from pandu.core.jobs import TooManyJobs, enqueue
from pandu.core.lists import build_list
from pandu.core.models import AccessLog, Job
from pandu.programs.capabilities import PCap
from pandu.regions.models import Area
from pandu.registry.filtersets import names_only
from pandu.targeting import rules

from .. import actions, exports
from ..capabilities import PayCap
from ..choices import Channel, CycleStatus, EntitlementStatus, RecipientKind
from ..filtersets import CycleFilterSet, EntitlementFilterSet
from ..forms import CycleForm, GroupEntitlementForm, NoteForm, PlanForm, ReasonForm
from ..models import Component, Cycle, Entitlement
from ..queries import in_force
from ..tables import CycleTable, EntitlementTable
from ._common import covers, cycle_for, figures_for, needs, refused

COMPUTE_JOB = "payments.compute"


def _area(request, code: str) -> Area:
    area = Area.objects.filter(code=(code or "").strip()).first()
    if area is None:
        raise ValidationError({"area": [_("Kode wilayah tidak ada dalam daftar wilayah resmi.")]})
    if not request.user.in_scope(area.code):
        raise ValidationError({"area": [_("Wilayah ini di luar wilayah kerja Anda.")]})
    return area


@needs(PayCap.VIEW)
def cycle_list(request):
    user = request.user
    page = build_list(
        request,
        Cycle.objects.visible_to(user).select_related("programme", "area"),
        CycleTable,
        filterset_class=CycleFilterSet,
    )
    manage = user.can(PayCap.MANAGE)
    return render(
        request,
        "payments/cycle_list.html",
        {
            "title": _("Siklus penyaluran"),
            "table": page.table,
            "filter": page.filterset,
            "may_manage": manage,
        },
    )


@needs(PayCap.MANAGE)
@require_http_methods(["GET", "POST"])
def cycle_new(request):
    user = request.user
    plan = "tahun" in request.POST
    form = CycleForm(None if plan else (request.POST or None), user=user)
    plan_form = PlanForm(request.POST if plan else None, user=user)
    target = plan_form if plan else form
    if request.method == "POST" and target.is_valid():
        data = target.cleaned_data
        try:
            area = _area(request, data["area"])
            if plan:
                made = actions.plan_cycles(
                    user, programme=data["programme"], area=area, year=data["year"]
                )
                messages.success(
                    request,
                    _("%(n)s siklus %(programme)s %(year)s dibuat.")
                    % {"n": len(made), "programme": data["programme"].code, "year": data["year"]},
                )
                return redirect("payments:cycle_list")
            cycle = actions.create_cycle(
                user,
                programme=data["programme"],
                area=area,
                period_start=data["period_start"],
                period_end=data["period_end"],
                name=data["name"],
            )
        except ValidationError as exc:
            add_action_errors(target, exc)
        except PermissionDenied:
            deny(request, "payments: cycle outside scope")
        else:
            messages.success(request, _("Siklus %(name)s dibuat.") % {"name": cycle.name})
            return redirect("payments:cycle_detail", uid=cycle.uid)
    return render(
        request,
        "payments/cycle_new.html",
        {"title": _("Siklus baru"), "form": form, "plan_form": plan_form},
    )


def _components(user, cycle: Cycle) -> list[dict]:
    rows = in_force(
        Component.objects.visible_to(user).filter(programme=cycle.programme), cycle.period_start
    )
    computed = (cycle.figures or {}).get("components", {})
    return [
        {
            "code": c.code,
            "condition": rules.describe(c.condition) if c.condition else _("keluarga itu sendiri"),
            "max_count": c.max_count,
            **computed.get(c.code, {}),
        }
        for c in rows.order_by("position", "code")
    ]


def _running_job(cycle: Cycle):
    return (
        Job.objects.filter(kind=COMPUTE_JOB, params__cycle=cycle.pk)
        .filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
        .order_by("-id")
        .first()
    )


@needs(PayCap.VIEW)
def cycle_detail(request, uid):
    user = request.user
    cycle = cycle_for(request, uid)
    whole = covers(user, cycle)
    status = cycle.status
    may = {
        "compute": whole
        and user.can(PayCap.MANAGE)
        and status in (CycleStatus.DRAFT, CycleStatus.COMPUTED),
        "dinas": whole and user.can(PayCap.APPROVE_DINAS) and status == CycleStatus.COMPUTED,
        "head": whole and user.can(PayCap.APPROVE_HEAD) and status == CycleStatus.DINAS,
        "export": whole and user.can(PayCap.MANAGE) and status == CycleStatus.APPROVED,
        "close": whole and user.can(PayCap.MANAGE) and status == CycleStatus.APPROVED,
        "group": whole
        and user.can(PayCap.MANAGE)
        and status in (CycleStatus.DRAFT, CycleStatus.COMPUTED)
        and cycle.scheme is not None
        and cycle.scheme.recipient == RecipientKind.GROUP,
        "retry": whole and user.can(PayCap.MANAGE) and status != CycleStatus.CLOSED,
        "deposit": whole and user.can(PayCap.MANAGE),
        # The targeting-accuracy report of the cycle's families (programs' page).
        "accuracy": user.can(PCap.ENROLMENT_VIEW)
        and user.scope_code is not None
        and status != CycleStatus.DRAFT,
    }
    job = _running_job(cycle)
    template = "payments/_cycle_main.html" if request.htmx else "payments/cycle_detail.html"
    waiting = actions.waiting_retries(cycle).count() if may["retry"] else 0
    return render(
        request,
        template,
        {
            "title": cycle.name,
            "cycle": cycle,
            "figures": figures_for(user, cycle),
            "whole": whole,
            "may": may,
            "job": job,
            "components": _components(user, cycle),
            "channels": Channel.choices,
            "waiting_retries": waiting,
            "history": cycle.history.select_related("history_user").order_by("-history_id")[:50],
            "note_form": NoteForm(),
        },
    )


@login_required
@require_POST
@needs(PayCap.MANAGE)
def cycle_compute(request, uid):
    cycle = cycle_for(request, uid, "manage")
    if cycle.frozen or cycle.status == CycleStatus.DINAS:
        messages.error(
            request, _("Siklus ini sudah disetujui; hak bantuannya tidak dihitung ulang.")
        )
        return redirect("payments:cycle_detail", uid=cycle.uid)
    if _running_job(cycle) is None:
        try:
            enqueue(
                COMPUTE_JOB,
                user=request.user,
                params={"cycle": cycle.pk},
                area_code=cycle.area_id,
                title=_("Hitung hak %(cycle)s") % {"cycle": cycle.name},
            )
        except TooManyJobs as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Hak bantuan sedang dihitung."))
    return redirect("payments:cycle_detail", uid=cycle.uid)


def _approve(request, uid, action: str, step):
    cycle = cycle_for(request, uid, action)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        step(request.user, cycle, note)
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Siklus disetujui."))
    return redirect("payments:cycle_detail", uid=cycle.uid)


@login_required
@require_POST
@needs(PayCap.APPROVE_DINAS)
def cycle_approve_dinas(request, uid):
    return _approve(request, uid, "approve_dinas", actions.approve_cycle_dinas)


@login_required
@require_POST
@needs(PayCap.APPROVE_HEAD)
def cycle_approve_head(request, uid):
    return _approve(request, uid, "approve_head", actions.approve_cycle_head)


@login_required
@require_POST
@needs(PayCap.MANAGE)
def cycle_close(request, uid):
    cycle = cycle_for(request, uid, "manage")
    try:
        actions.close_cycle(request.user, cycle)
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Siklus ditutup."))
    return redirect("payments:cycle_detail", uid=cycle.uid)


@needs(PayCap.MANAGE)
def cycle_export(request, uid, channel, fmt):
    """A payment list streamed as it is written (CSV or XLSX); every export is logged."""
    cycle = cycle_for(request, uid, "manage")
    try:
        exports.check_exportable(cycle, channel, fmt)
    except ValidationError as exc:
        refused(request, exc)
        return redirect("payments:cycle_detail", uid=cycle.uid)
    rows = exports.count(cycle, channel)
    record_access(
        request, AccessLog.Kind.EXPORT, cycle, detail=f"payments list {channel} {fmt} rows={rows}"
    )
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    return private_file_response(
        exports.stream(cycle, channel, fmt),
        filename=exports.file_name(cycle, channel, fmt),
        content_type=content_type,
    )


@needs(PayCap.VIEW)
def entitlement_list(request, uid):
    user = request.user
    cycle = cycle_for(request, uid)
    rows = (
        Entitlement.objects.visible_to(user)
        .filter(cycle=cycle)
        .select_related("household", "organisation", "recipient")
    )
    page = build_list(request, rows, EntitlementTable, filterset_class=EntitlementFilterSet,
                      prepare_filters=_without_cycle)  # fmt: skip
    return render(
        request,
        "payments/entitlement_list.html",
        {"title": _("Hak bantuan"), "cycle": cycle, "table": page.table, "filter": page.filterset},
    )


def _without_cycle(filterset) -> None:
    filterset.filters.pop("cycle", None)
    filterset.form.fields.pop("cycle", None)
    names_only(filterset)


def _entitlement(request, uid, action: str = "view") -> Entitlement:
    rows = Entitlement.objects.restrict(request.user, action).select_related(
        "cycle__programme", "household", "organisation", "recipient", "retry_in", "decided_by"
    )
    return get_for_user_or_404(request, rows, uid=uid)


@needs(PayCap.VIEW)
def entitlement_detail(request, uid):
    user = request.user
    entitlement = _entitlement(request, uid)
    cycle = entitlement.cycle
    manage = user.can(PayCap.MANAGE) and user.in_scope(entitlement.area_code)
    return render(
        request,
        "payments/entitlement_detail.html",
        {
            "title": _("Hak bantuan"),
            "entitlement": entitlement,
            "cycle": cycle,
            "components": sorted((entitlement.components or {}).items()),
            "payments": entitlement.payments.select_related("batch").order_by("paid_on", "id"),
            "may_hold": manage
            and not cycle.frozen
            and entitlement.status == EntitlementStatus.DRAFT,
            "may_approve": manage and entitlement.status == EntitlementStatus.HELD,
            "hold_form": ReasonForm(),
        },
    )


@login_required
@require_POST
@needs(PayCap.MANAGE)
def entitlement_hold(request, uid):
    entitlement = _entitlement(request, uid, "manage")
    form = ReasonForm(request.POST)
    try:
        actions.hold_entitlement(
            request.user, entitlement, form.cleaned_data["reason"] if form.is_valid() else ""
        )
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Hak ditahan."))
    return redirect("payments:entitlement_detail", uid=entitlement.uid)


@login_required
@require_POST
@needs(PayCap.MANAGE)
def entitlement_approve(request, uid):
    entitlement = _entitlement(request, uid, "manage")
    form = NoteForm(request.POST)
    try:
        actions.approve_entitlement(
            request.user, entitlement, form.cleaned_data["note"] if form.is_valid() else ""
        )
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Hak disetujui."))
    return redirect("payments:entitlement_detail", uid=entitlement.uid)


@needs(PayCap.MANAGE)
@require_http_methods(["GET", "POST"])
def group_entitlement_new(request, uid):
    cycle = cycle_for(request, uid, "manage")
    form = GroupEntitlementForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_group_entitlement(
                request.user,
                cycle,
                organisation=data["organisation"],
                component=data["component"],
                amount=data["amount"],
                account_bank=data["account_bank"],
                account_number=data["account_number"],
                account_name=data["account_name"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        except PermissionDenied:
            deny(request, "payments: group entitlement refused", cycle)
        else:
            messages.success(request, _("Hak kelompok ditambahkan."))
            return redirect("payments:cycle_detail", uid=cycle.uid)
    return render(
        request,
        "payments/form.html",
        {
            "title": _("Hak kelompok atau rekening desa"),
            "form": form,
            "back_url": cycle_url(cycle),
        },
    )


def cycle_url(cycle: Cycle) -> str:
    from django.urls import reverse

    return reverse("payments:cycle_detail", args=[cycle.uid])
