"""Case pages: assignment, assessment, plan, notes, tasks, counselling, closure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.accounts.roles import Cap
from pandu.core.access import get_for_user_or_404
from pandu.core.lists import build_list
from pandu.core.versions import VersionConflict

from .. import actions, forms
from .. import choices as c
from ..assessment import answers_for_display, assessment_form_class
from ..capabilities import SCap
from ..filtersets import CaseFilterSet
from ..models import Assessment, Case, PlanAction, Task
from ..tables import CaseTable
from ._common import (
    _case,
    _errors_to_form,
    _fail,
    _form_page,
    _post_action,
    _reason_page,
    _work_case,
    gated,
    needs,
)


@needs(SCap.CASE_VIEW)
def case_list(request):
    user = request.user
    qs = Case.objects.visible_to(user).select_related("intake", "assigned_to")
    cases = build_list(
        request,
        qs.urgent_first(),
        CaseTable,
        filterset_class=CaseFilterSet,
    )
    chosen = cases.filterset.data
    return render(
        request,
        "services/case_list.html",
        {
            "title": _("Kasus"),
            "table": cases.table,
            "scope": chosen.get("lingkup"),
            "status": chosen.get("status"),
            "q": (chosen.get("q") or "").strip(),
            "today": timezone.localdate(),
            "statuses": c.CaseStatus.choices,
        },
    )


@needs(SCap.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def case_reason(request, uid):
    case = get_for_user_or_404(
        request, Case.objects.visible_to(request.user).select_related("intake"), uid=uid
    )
    return _reason_page(
        request, [case, case.intake], case.number, reverse("services:case_detail", args=[uid])
    )


@needs(SCap.CASE_VIEW)
@gated
def case_detail(request, uid):
    return _case_page(request, _case(request, uid))


def _case_page(request, case: Case, *, summary_form=None):
    """The case page; ``summary_form``: the plan summary as sent, refused and shown again."""
    user = request.user
    intake = case.intake
    assessments = {
        a.area: a
        for a in Assessment.objects.visible_to(user).filter(case=case).select_related("updated_by")
    }
    # Health and violence assessments are the case people's (``AssessmentQuerySet``); others
    # are told they exist for them, not shown an empty one.
    of_the_case = actions.may_work(user, case) or user.can(SCap.CASE_ADMIN)
    need_rows = []
    for n in intake.needs.all():
        a = assessments.get(n.area)
        need_rows.append(
            {
                "area": n.area,
                "label": n.get_area_display(),
                "assessment": a,
                "answers": answers_for_display(n.area, a.data) if a else [],
                "withheld": a is None
                and not of_the_case
                and (case.sensitive or n.area in c.PRIVATE_ASSESSMENTS),
            }
        )
    referrals = list(
        case.referrals.select_related("agency", "service")
        .prefetch_related("attachments")
        .order_by("id")
    )
    from pandu.registry.history import history_entries

    may_work = actions.may_work(user, case)
    may_supervise = actions.may_supervise(user, case)
    return render(
        request,
        "services/case_detail.html",
        {
            "title": case.number,
            "case": case,
            "intake": intake,
            "need_rows": need_rows,
            "goals": case.goals.prefetch_related("actions"),
            "notes": case.notes.select_related("author")[:50],
            "tasks": case.tasks.select_related("assigned_to"),
            "sessions": case.counselling.select_related("counsellor"),
            "referrals": referrals,
            "events": case.events.select_related("actor", "referral"),
            "may_work": may_work,
            "may_supervise": may_supervise,
            "can_route": user.can(SCap.INTAKE) and case.assigned_to_id is None,
            "is_open": case.status != c.CaseStatus.CLOSED,
            "assign_form": forms.AssignForm(area_code=case.area_code, required=True),
            "note_form": forms.NoteForm(),
            "task_form": forms.TaskForm(),
            "goal_form": forms.GoalForm(),
            "action_form": forms.PlanActionForm(),
            "summary_form": summary_form or forms.PlanSummaryForm(case=case, versioned=True),
            "today": timezone.localdate(),
            "history": history_entries(case) if user.can(Cap.VIEW_HISTORY) else None,
        },
    )


def _case_post(request, uid, run, success: str, *, anchor: str = ""):
    case = _case(request, uid)
    back = reverse("services:case_detail", args=[uid]) + anchor
    return _post_action(request, lambda: run(case), success, back)


@needs(SCap.CASE_VIEW)
@require_POST
@gated
def case_assign(request, uid):
    case = _case(request, uid)
    form = forms.AssignForm(request.POST, area_code=case.area_code, required=True)
    back = reverse("services:case_detail", args=[uid])
    if not form.is_valid():
        messages.error(request, _("Pilih petugas dari daftar."))
        return redirect(back)
    return _post_action(
        request,
        lambda: actions.assign_case(request.user, case, form.cleaned_data["assign_to"]),
        _("Penugasan disimpan."),
        back,
    )


@needs(SCap.CASE_WORK)
@require_http_methods(["GET", "POST"])
@gated
def case_assessment(request, uid, area):
    case = _work_case(request, uid)
    if area not in c.NeedArea.values:
        raise Http404
    existing = case.assessments.filter(area=area).first()
    form_class = assessment_form_class(area)
    initial = dict(existing.data) if existing else {}
    if existing:
        initial["final"] = existing.final
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        final = data.pop("final", False)
        try:
            actions.save_assessment(request.user, case, area, data, final=final)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Asesmen final disimpan.") if final else _("Draf asesmen disimpan.")
            )
            return redirect(reverse("services:case_detail", args=[uid]) + "#asesmen")
    return _form_page(
        request,
        form,
        _("Asesmen: %(area)s") % {"area": c.NeedArea(area).label},
        subtitle=f"{case.number} · {case.intake.name}",
        back=reverse("services:case_detail", args=[uid]),
        submit=_("Simpan"),
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_plan_summary(request, uid):
    """The summary as the worker saw it and changed it: saved when nobody else changed it
    meanwhile, else the case page again with their text kept and who changed it."""
    case = _case(request, uid)
    form = forms.PlanSummaryForm(request.POST, case=case, versioned=True)
    if not form.is_valid():
        return _case_page(request, case, summary_form=form)
    changed = form.changes({"plan_summary": form.cleaned_data["plan_summary"]})
    if changed:
        try:
            actions.save_plan_summary(request.user, case, changed["plan_summary"], seen=form.seen())
        except VersionConflict as exc:
            form.show_conflict(exc)
            return _case_page(request, exc.record, summary_form=form)
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
            return redirect(reverse("services:case_detail", args=[uid]) + "#rencana")
    messages.success(request, _("Rencana disimpan."))
    return redirect(reverse("services:case_detail", args=[uid]) + "#rencana")


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_goal_add(request, uid):
    form = forms.GoalForm(request.POST)
    form.is_valid()
    d = form.cleaned_data
    return _case_post(
        request,
        uid,
        lambda case: actions.add_goal(
            request.user,
            case,
            description=d.get("description", ""),
            need_area=d.get("need_area", ""),
        ),
        _("Tujuan ditambahkan."),
        anchor="#rencana",
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_action_add(request, uid):
    form = forms.PlanActionForm(request.POST)
    if not form.is_valid():
        case = _case(request, uid)
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(reverse("services:case_detail", args=[case.uid]) + "#rencana")
    d = form.cleaned_data

    def run(case):
        goal = case.goals.filter(pk=request.POST.get("goal") or 0).first()
        if goal is None:
            raise ValidationError(_("Pilih tujuan."))
        return actions.add_plan_action(
            request.user,
            goal,
            description=d["description"],
            responsible=d["responsible"],
            due_on=d["due_on"],
        )

    return _case_post(request, uid, run, _("Kegiatan ditambahkan."), anchor="#rencana")


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_action_done(request, uid):
    def run(case):
        action = (
            PlanAction.objects.visible_to(request.user)
            .filter(goal__case=case, pk=request.POST.get("action") or 0)
            .first()
        )
        if action is None:
            raise ValidationError(_("Kegiatan tidak ditemukan."))
        return actions.set_plan_action_done(request.user, action, request.POST.get("done") != "0")

    return _case_post(request, uid, run, _("Kegiatan diperbarui."), anchor="#rencana")


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_plan_submit(request, uid):
    return _case_post(
        request,
        uid,
        lambda case: actions.submit_plan(request.user, case),
        _("Rencana diajukan kepada supervisor."),
        anchor="#rencana",
    )


@needs(SCap.CASE_VIEW)
@require_POST
@gated
def case_plan_decide(request, uid):
    approve = request.POST.get("decision") == "approve"
    comment = request.POST.get("comment", "")
    return _case_post(
        request,
        uid,
        lambda case: actions.decide_plan(request.user, case, approve=approve, comment=comment),
        _("Rencana disetujui.") if approve else _("Rencana dikembalikan."),
        anchor="#rencana",
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_note_add(request, uid):
    text = request.POST.get("text", "")
    return _case_post(
        request,
        uid,
        lambda case: actions.add_note(request.user, case, text),
        _("Catatan disimpan."),
        anchor="#catatan",
    )


@needs(SCap.CASE_WORK)
@require_POST
@gated
def case_task_add(request, uid):
    form = forms.TaskForm(request.POST)
    if not form.is_valid():
        _case(request, uid)
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(reverse("services:case_detail", args=[uid]) + "#tindak-lanjut")
    d = form.cleaned_data
    return _case_post(
        request,
        uid,
        lambda case: actions.add_task(request.user, case, title=d["title"], due_on=d["due_on"]),
        _("Tindak lanjut ditambahkan."),
        anchor="#tindak-lanjut",
    )


@needs(SCap.CASE_WORK)
@require_POST
def task_done(request, uid):
    task = get_for_user_or_404(
        request,
        Task.objects.visible_to(request.user).select_related("case"),
        uid=uid,
    )
    back = request.POST.get("next") or reverse("services:case_detail", args=[task.case.uid])
    if not back.startswith("/layanan/"):
        back = reverse("services:case_detail", args=[task.case.uid])
    return _post_action(
        request,
        lambda: actions.complete_task(request.user, task),
        _("Tindak lanjut selesai."),
        back,
    )


@needs(SCap.CASE_WORK)
@require_http_methods(["GET", "POST"])
@gated
def case_counselling(request, uid):
    case = _work_case(request, uid)
    form = forms.CounsellingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_counselling(request.user, case, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Sesi K3 dicatat."))
            return redirect(reverse("services:case_detail", args=[uid]) + "#k3")
    return _form_page(
        request,
        form,
        _("Sesi konsultasi keluarga (K3)"),
        subtitle=f"{case.number} · {case.intake.name}",
        back=reverse("services:case_detail", args=[uid]),
    )


@needs(SCap.CASE_WORK)
@require_http_methods(["GET", "POST"])
@gated
def case_close(request, uid):
    case = _work_case(request, uid)
    items = actions.open_items(case)
    form = forms.ClosureForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_closure(
                request.user,
                case,
                outcome=form.cleaned_data["outcome"],
                summary=form.cleaned_data["summary"],
                resolutions=form.resolutions(),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Penutupan diajukan kepada supervisor."))
            return redirect("services:case_detail", uid)
    return _form_page(
        request,
        form,
        _("Ajukan penutupan kasus"),
        subtitle=f"{case.number} · {case.intake.name}",
        back=reverse("services:case_detail", args=[uid]),
        submit=_("Ajukan penutupan"),
        note=_(
            "Masih ada tindak lanjut atau kegiatan rencana yang terbuka: tandai masing-masing "
            "sudah selesai atau dibatalkan (dengan alasannya) sebelum kasus ditutup."
        )
        if items
        else "",
    )


@needs(SCap.CASE_VIEW)
@require_POST
@gated
def case_close_decide(request, uid):
    approve = request.POST.get("decision") == "approve"
    comment = request.POST.get("comment", "")
    return _case_post(
        request,
        uid,
        lambda case: actions.decide_closure(request.user, case, approve=approve, comment=comment),
        _("Kasus ditutup.") if approve else _("Penutupan ditolak; kasus kembali dalam penanganan."),
    )


@needs(SCap.CASE_WORK)
@require_http_methods(["GET", "POST"])
@gated
def case_reopen(request, uid):
    case = _work_case(request, uid)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reopen_case(request.user, case, form.cleaned_data["reason"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Kasus dibuka kembali."))
            return redirect("services:case_detail", uid)
    return _form_page(
        request,
        form,
        _("Buka kembali kasus"),
        subtitle=case.number,
        back=reverse("services:case_detail", args=[uid]),
    )
