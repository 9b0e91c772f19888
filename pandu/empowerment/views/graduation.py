"""Graduation pages: the plans, one plan with its criteria checked against the family, its
steps and follow-ups; the graduation itself (the Dinas), the follow-ups due and overdue with
the phone-sized follow-up form, and the criteria of each programme."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import deny, get_for_user_or_404
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list
from pandu.programs.models import Programme
from pandu.regions.models import Area

from .. import actions
from ..capabilities import ECap
from ..choices import PlanStatus
from ..criteria import assess, describe
from ..filtersets import DUE_AHEAD, FollowUpFilterSet, PlanFilterSet
from ..forms import (
    CriterionForm,
    FollowUpForm,
    GraduateForm,
    NewPlanForm,
    PlanForm,
    ReasonForm,
    StepDoneForm,
    StepFields,
)
from ..models import FollowUp, GraduationCriterion, PlanStep, UepGrant
from ..tables import FollowUpTable, PlanTable, follow_up_state
from ._common import form_errors, groups, kpm, needs, plans, refused


@needs(ECap.VIEW)
def plan_list(request):
    page = build_list(
        request,
        plans(request.user).order_by("area_code", "-id"),
        PlanTable,
        filterset_class=PlanFilterSet,
    )
    return render(
        request,
        "empowerment/list.html",
        {
            "title": _("Rencana graduasi"),
            "intro": _("Rencana baru disusun dari daftar KPM dampingan."),
            "table": page.table,
            "filter": page.filterset,
            "links": [
                (reverse("empowerment:kpm_list"), _("KPM dampingan")),
                (reverse("empowerment:criteria"), _("Kriteria graduasi")),
            ],
        },
    )


@needs(ECap.ACCOMPANY)
@require_http_methods(["GET", "POST"])
def plan_create(request, uid):
    user = request.user
    enrolment = get_for_user_or_404(request, kpm(user, ECap.ACCOMPANY), uid=uid)
    if enrolment.plan_uid:
        messages.info(request, _("KPM ini sudah punya rencana graduasi."))
        return redirect("empowerment:plan_detail", uid=enrolment.plan_uid)
    facilitators = actions.facilitators_for(enrolment.area_code)
    initial = {"facilitator": user.pk} if facilitators.filter(pk=user.pk).exists() else {}
    form = NewPlanForm(request.POST or None, facilitators=facilitators, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = actions.create_plan(
                user,
                enrolment,
                facilitator=data["facilitator"],
                goals=data["goals"],
                steps=[actions.StepData(title, due) for title, due in form.steps()],
                business_started_on=data.get("business_started_on"),
                self_declared_on=data.get("self_declared_on"),
            )
        except PermissionDenied:
            deny(request, "plan refused", enrolment)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Rencana graduasi disimpan."))
            return redirect("empowerment:plan_detail", uid=plan.uid)
    return render(
        request,
        "empowerment/plan_form.html",
        {
            "title": _("Rencana graduasi KK %(kk)s") % {"kk": enrolment.household.kk_number},
            "form": form,
            "enrolment": enrolment,
            "back_url": reverse("empowerment:kpm_list"),
        },
    )


@needs(ECap.VIEW)
def plan_detail(request, uid):
    user = request.user
    plan = get_for_user_or_404(request, plans(user), uid=uid)
    running = plan.status == PlanStatus.ACTIVE
    may_accompany = running and user.can(ECap.ACCOMPANY)
    follow_ups = list(plan.follow_ups.select_related("visited_by"))
    for row in follow_ups:
        row.state = follow_up_state(row)
    return render(
        request,
        "empowerment/plan_detail.html",
        {
            "title": _("Rencana graduasi KK %(kk)s") % {"kk": plan.enrolment.household.kk_number},
            "plan": plan,
            "assessment": assess(plan),
            "steps": plan.steps.all(),
            "follow_ups": follow_ups,
            "members": plan.kube_members.select_related("group", "person"),
            "grants": UepGrant.objects.visible_to(user).filter(plan=plan),
            "step_form": StepFields() if may_accompany else None,
            "done_form": StepDoneForm() if may_accompany else None,
            "cancel_form": ReasonForm() if may_accompany else None,
            "may_edit": may_accompany,
            "may_graduate": running and user.can(ECap.MANAGE),
            "may_visit": user.can(ECap.VISIT),
            "history": plan.history.select_related("history_user").order_by("-history_id")[:30],
        },
    )


@needs(ECap.ACCOMPANY)
@require_http_methods(["GET", "POST"])
def plan_edit(request, uid):
    user = request.user
    plan = get_for_user_or_404(request, plans(user, "accompany"), uid=uid)
    form = PlanForm(
        request.POST or None,
        facilitators=actions.facilitators_for(plan.area_code),
        initial={
            "facilitator": plan.facilitator_id,
            "goals": plan.goals,
            "business_started_on": plan.business_started_on,
            "self_declared_on": plan.self_declared_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_plan(user, plan, **form.cleaned_data)
        except PermissionDenied:
            deny(request, "plan change refused", plan)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Rencana graduasi diubah."))
            return redirect("empowerment:plan_detail", uid=plan.uid)
    return render(
        request,
        "empowerment/plan_form.html",
        {
            "title": _("Ubah rencana graduasi KK %(kk)s")
            % {"kk": plan.enrolment.household.kk_number},
            "form": form,
            "enrolment": plan.enrolment,
            "back_url": reverse("empowerment:plan_detail", args=[plan.uid]),
        },
    )


@needs(ECap.ACCOMPANY)
@require_POST
def step_add(request, uid):
    user = request.user
    plan = get_for_user_or_404(request, plans(user, "accompany"), uid=uid)
    form = StepFields(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            actions.add_step(user, plan, actions.StepData(**form.cleaned_data))
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Langkah ditambahkan."))
    return redirect("empowerment:plan_detail", uid=plan.uid)


@needs(ECap.ACCOMPANY)
@require_POST
def step_done(request, uid):
    user = request.user
    step = get_for_user_or_404(
        request, PlanStep.objects.restrict(user, "accompany").select_related("plan"), uid=uid
    )
    form = StepDoneForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            actions.complete_step(
                user, step, done_on=form.cleaned_data["done_on"], note=form.cleaned_data["note"]
            )
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Langkah '%(step)s' selesai.") % {"step": step.title})
    return redirect("empowerment:plan_detail", uid=step.plan.uid)


@needs(ECap.ACCOMPANY)
@require_POST
def plan_cancel(request, uid):
    user = request.user
    plan = get_for_user_or_404(request, plans(user, "accompany"), uid=uid)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            actions.cancel_plan(user, plan, form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Rencana graduasi dibatalkan."))
    return redirect("empowerment:plan_detail", uid=plan.uid)


@needs(ECap.MANAGE)
@require_http_methods(["GET", "POST"])
def graduate(request, uid):
    """The Dinas graduates the family: the criteria are shown checked, the way on chosen."""
    user = request.user
    plan = get_for_user_or_404(request, plans(user, "manage"), uid=uid)
    household = plan.enrolment.household
    form = GraduateForm(
        request.POST or None,
        groups=groups(user, "accompany")
        .filter(status="aktif", village__prefix=plan.area_code[:8])
        .order_by("name"),
        members=household.members.filter(status="active").order_by("relationship", "pk"),
        initial={"pathway": "mandiri"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kube = uep = None
        if data["pathway"] == "kube" and data.get("kube_group") and data.get("kube_person"):
            kube = actions.KubeJoin(data["kube_group"], data["kube_person"], data["kube_business"])
        if data["pathway"] == "uep" and data.get("uep_amount"):
            uep = actions.UepData(
                amount=data["uep_amount"],
                granted_on=data.get("uep_granted_on"),
                business=data.get("uep_business") or "",
                sector=data.get("uep_sector"),
                recipient=plan.enrolment.recipient,
            )
        try:
            actions.graduate_family(
                user,
                plan,
                on=data["on"],
                reason=data["reason"],
                pathway=data["pathway"],
                kube=kube,
                uep=uep,
            )
        except PermissionDenied:
            deny(request, "graduation refused", plan)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("KK %(kk)s lulus dari %(programme)s; pendampingan 3, 6 dan 12 bulan dijadwalkan.")
                % {"kk": household.kk_number, "programme": plan.enrolment.programme.code},
            )
            return redirect("empowerment:plan_detail", uid=plan.uid)
    return render(
        request,
        "empowerment/graduate.html",
        {
            "title": _("Graduasi KK %(kk)s") % {"kk": household.kk_number},
            "plan": plan,
            "form": form,
            "assessment": assess(plan),
        },
    )


# --- The year after -----------------------------------------------------------------------------


@needs(ECap.VIEW)
def follow_up_list(request):
    user = request.user
    qs = (
        FollowUp.objects.visible_to(user)
        .select_related("plan__enrolment__household", "plan__enrolment__recipient")
        .order_by("due_on", "id")
    )
    if not request.GET:
        # By default: what is overdue and what falls due within the month.
        qs = qs.filter(done_on__isnull=True, due_on__lte=timezone.localdate() + DUE_AHEAD)
    page = build_list(request, qs, FollowUpTable, filterset_class=FollowUpFilterSet)
    page.table.may_visit = user.can(ECap.VISIT)
    return render(
        request,
        "empowerment/list.html",
        {
            "title": _("Pendampingan pasca-graduasi"),
            "intro": _(
                "Keluarga yang lulus dikunjungi 3, 6 dan 12 bulan setelah graduasi. Tanpa "
                "saringan, daftar ini menampilkan kunjungan yang terlambat dan yang jatuh tempo "
                "dalam 30 hari."
            ),
            "table": page.table,
            "filter": page.filterset,
            "links": [(reverse("empowerment:plan_list"), _("Rencana graduasi"))],
        },
    )


@needs(ECap.VISIT)
@require_http_methods(["GET", "POST"])
def follow_up_record(request, uid):
    user = request.user
    follow_up = get_for_user_or_404(
        request,
        FollowUp.objects.restrict(user, "visit").select_related(
            "plan__enrolment__household", "plan__enrolment__recipient", "plan__enrolment__programme"
        ),
        uid=uid,
    )
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_follow_up(user, follow_up, **form.cleaned_data)
        except PermissionDenied:
            deny(request, "follow-up refused", follow_up)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Kunjungan pendampingan disimpan."))
            return redirect("empowerment:follow_up_list")
    return render(
        request,
        "empowerment/follow_up_form.html",
        {
            "title": _("Pendampingan %(n)s bulan setelah graduasi") % {"n": follow_up.months},
            "follow_up": follow_up,
            "plan": follow_up.plan,
            "form": form,
        },
    )


# --- Criteria -----------------------------------------------------------------------------------


@needs(ECap.VIEW)
@require_http_methods(["GET", "POST"])
def criteria(request):
    user = request.user
    may_manage = user.can(ECap.MANAGE)
    form = None
    if may_manage:
        form = CriterionForm(
            request.POST or None,
            programmes=Programme.objects.visible_to(user).order_by("code"),
            initial={"area": user.scope_code or ""},
        )
    if request.method == "POST":
        if form is None:
            deny(request, "criteria change without the capability")
        if form.is_valid():
            data = form.cleaned_data
            code = data["area"].strip()
            area = Area.objects.filter(code=code).first() if code else None
            if code and area is None:
                form.add_error("area", _("Kode wilayah tidak ada."))
            else:
                try:
                    actions.set_criterion(
                        user,
                        programme=data["programme"],
                        area=area,
                        kind=data["kind"],
                        threshold=data["threshold"],
                        required=data["required"],
                        note=data["note"],
                    )
                except PermissionDenied:
                    form.add_error("area", _("Wilayah ini di luar wilayah kerja Anda."))
                except ValidationError as exc:
                    add_action_errors(form, exc)
                else:
                    messages.success(request, _("Kriteria graduasi disimpan."))
                    return redirect("empowerment:criteria")
    rows = list(
        GraduationCriterion.objects.visible_to(user)
        .active()
        .select_related("programme", "area")
        .order_by("programme__code", "area_id", "kind")[:500]
    )
    scope = user.scope_code
    for row in rows:
        row.sentence = describe(row)
        row.may_end = (
            may_manage
            and scope is not None
            and (row.area_id.startswith(scope) if row.area_id else scope == "")
        )
    return render(
        request,
        "empowerment/criteria.html",
        {"title": _("Kriteria graduasi"), "rows": rows, "form": form},
    )


@needs(ECap.MANAGE)
@require_POST
def criterion_end(request, uid):
    user = request.user
    criterion = get_for_user_or_404(
        request, GraduationCriterion.objects.restrict(user, "manage"), uid=uid
    )
    try:
        actions.end_criterion(user, criterion)
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Kriteria dicabut."))
    return redirect("empowerment:criteria")
