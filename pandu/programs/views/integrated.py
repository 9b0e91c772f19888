"""Integrated programmes: the list, one programme with its implementers, targets against
realisation per implementer and per area, funding with its warnings, the M&E plan and
reports; setting one up (the coordinator)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import deny, get_for_user_or_404
from pandu.core.files import private_file_response
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list
from pandu.core.uploads import upload_limit
from pandu.core.versions import VersionConflict
from pandu.regions.models import Area

from .. import actions, forms, progress
from ..capabilities import PCap
from ..filtersets import IntegratedProgrammeFilterSet
from ..models import (
    Activity,
    FocalPoint,
    FundingLine,
    FundingRealisation,
    Implementer,
    IntegratedProgramme,
    MonitoringPlan,
    MonitoringReport,
)
from ..tables import IntegratedProgrammeTable
from ._common import form_errors, needs, refused

READERS = (PCap.INTEGRATED_VIEW, PCap.FOCAL_POINT)


@needs(*READERS)
def integrated_list(request):
    programmes = IntegratedProgramme.objects.visible_to(request.user).select_related("area")
    page = build_list(
        request,
        programmes,
        IntegratedProgrammeTable,
        filterset_class=IntegratedProgrammeFilterSet,
    )
    return render(
        request,
        "programs/integrated_list.html",
        {
            "title": _("Program terpadu"),
            "table": page.table,
            "filter": page.filterset,
            "perms_manage": request.user.can(PCap.INTEGRATED_MANAGE),
        },
    )


@needs(PCap.INTEGRATED_MANAGE)
@require_http_methods(["GET", "POST"])
def integrated_create(request):
    form = forms.IntegratedProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        area = Area.objects.filter(code=data.pop("area").strip()).first()
        if area is None:
            form.add_error("area", _("Kode wilayah tidak dikenal."))
        else:
            try:
                programme = actions.save_integrated_programme(request.user, area=area, **data)
            except (ValidationError, PermissionDenied) as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Program terpadu dibuat."))
                return redirect("programs:integrated_detail", programme.uid)
    return render(request, "programs/form.html", {"title": _("Program terpadu baru"), "form": form})


@needs(PCap.INTEGRATED_MANAGE)
@require_http_methods(["GET", "POST"])
def integrated_edit(request, uid):
    """The coordinator changes the decision, reasons, figures, objectives, dates and status."""
    programme = _managed(request, uid)
    form = forms.IntegratedProgrammeEditForm(
        request.POST or None, programme=programme, versioned=True
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        area = Area.objects.filter(code=data.pop("area").strip()).first()
        if area is None:
            form.add_error("area", _("Kode wilayah tidak dikenal."))
        else:
            try:
                changes = form.changes({**data, "area": area})
                actions.save_integrated_programme(
                    request.user, programme, seen=form.seen(), **changes
                )
            except VersionConflict as exc:
                form.show_conflict(exc)
            except PermissionDenied:
                form.add_error("area", _("Lokasi program di luar wilayah kerja Anda."))
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Program terpadu disimpan."))
                return redirect("programs:integrated_detail", programme.uid)
    return render(
        request,
        "programs/form.html",
        {
            "title": _("Ubah program terpadu"),
            "form": form,
            "back_url": reverse("programs:integrated_detail", args=[programme.uid]),
        },
    )


@needs(*READERS)
def integrated_detail(request, uid):
    user = request.user
    programme = get_for_user_or_404(
        request,
        IntegratedProgramme.objects.visible_to(user).select_related("area", "coordinator"),
        uid=uid,
    )
    activities = Activity.objects.visible_to(user).filter(implementer__programme=programme)
    lines = FundingLine.objects.visible_to(user).filter(programme=programme)
    implementers = (
        Implementer.objects.visible_to(user)
        .filter(programme=programme)
        .select_related("organisation", "catalogue_programme")
        .prefetch_related(
            Prefetch(
                "focal_points",
                queryset=FocalPoint.objects.filter(active=True).select_related("user"),
                to_attr="active_links",
            ),
            Prefetch(
                "activities",
                queryset=activities.select_related("location").annotate(
                    n_participants=Count("participants"),
                    n_present=Count("participants", filter=Q(participants__attendance="hadir")),
                ),
            ),
        )
    )
    workable = set(
        Implementer.objects.restrict(user, "work")
        .filter(programme=programme)
        .values_list("pk", flat=True)
    )
    warnings = progress.funding_warnings(lines)
    warned = {}
    for w in warnings:
        warned.setdefault(w.line.pk, []).append(w.message)
    funding = list(lines.select_related("implementer__organisation", "activity", "funder"))
    for line in funding:
        line.warnings = warned.get(line.pk, [])
        # One small form per line; ids told apart so each label names its own input.
        line.realisation_form = forms.RealisationForm(auto_id=f"id_r{line.pk}_%s")
    realisations = (
        FundingRealisation.objects.visible_to(user)
        .filter(line__programme=programme)
        .select_related("line")
        .order_by("line", "period_start")
    )
    can_change = IntegratedProgramme.objects.restrict(user, "change").filter(pk=programme.pk)
    return render(
        request,
        "programs/integrated_detail.html",
        {
            "title": programme.title,
            "programme": programme,
            "implementers": implementers,
            "workable": workable,
            "can_change": can_change.exists(),
            "by_implementer": progress.by_implementer(implementers, activities, lines),
            "by_area": progress.by_area(activities),
            "funding": funding,
            "warned": warned,
            "warnings": warnings,
            "realisations": realisations,
            "plan": MonitoringPlan.objects.visible_to(user).filter(programme=programme),
            "reports": MonitoringReport.objects.visible_to(user)
            .filter(programme=programme)
            .select_related("implementer__organisation", "submitted_by"),
            "report_form": forms.ReportForm(),
            "implementer_form": forms.ImplementerForm(),
            "focal_form": forms.FocalPointForm(coordinator=user),
            "funding_form": forms.FundingLineForm(),
            "plan_form": forms.MonitoringPlanForm(),
        },
    )


@needs(PCap.INTEGRATED_MANAGE)
@require_POST
def implementer_add(request, uid):
    programme = get_for_user_or_404(
        request, IntegratedProgramme.objects.restrict(request.user, "change"), uid=uid
    )
    form = forms.ImplementerForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            actions.add_implementer(request.user, programme, **form.cleaned_data)
            messages.success(request, _("Pelaksana ditambahkan."))
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
    return redirect("programs:integrated_detail", programme.uid)


@needs(*READERS)
@require_POST
@upload_limit(actions.integrated.EVIDENCE_MAX + 1024 * 1024)
def realisation_add(request, uid):
    line = get_for_user_or_404(
        request,
        FundingLine.objects.restrict(request.user, "work").select_related("programme"),
        uid=uid,
    )
    form = forms.RealisationForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            actions.record_realisation(request.user, line, **form.cleaned_data)
            messages.success(request, _("Realisasi dana dicatat."))
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
    return redirect("programs:integrated_detail", line.programme.uid)


@needs(*READERS)
def evidence_download(request, uid):
    row = get_for_user_or_404(request, FundingRealisation.objects.visible_to(request.user), uid=uid)
    if not row.evidence:
        deny(request, "no evidence file", row)
    return private_file_response(row.evidence.open("rb"), filename=row.evidence_name or "bukti")


@needs(*READERS)
@require_POST
@upload_limit(actions.integrated.EVIDENCE_MAX + 1024 * 1024)
def report_add(request, uid):
    programme = get_for_user_or_404(
        request, IntegratedProgramme.objects.visible_to(request.user), uid=uid
    )
    form = forms.ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("programs:integrated_detail", programme.uid)
    data = dict(form.cleaned_data)
    implementer = None
    if data.pop("implementer"):
        implementer = get_for_user_or_404(
            request,
            Implementer.objects.restrict(request.user, "work"),
            uid=form.cleaned_data["implementer"],
        )
    try:
        actions.submit_monitoring_report(request.user, programme, implementer=implementer, **data)
        messages.success(request, _("Laporan dikirim."))
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    return redirect("programs:integrated_detail", programme.uid)


@needs(*READERS)
def report_file(request, uid):
    report = get_for_user_or_404(
        request, MonitoringReport.objects.visible_to(request.user), uid=uid
    )
    if not report.file:
        deny(request, "no report file", report)
    return private_file_response(report.file.open("rb"), filename=report.file_name or "laporan")


def _managed(request, uid) -> IntegratedProgramme:
    return get_for_user_or_404(
        request, IntegratedProgramme.objects.restrict(request.user, "change"), uid=uid
    )


@needs(PCap.INTEGRATED_MANAGE)
@require_POST
def focal_point_add(request, uid):
    implementer = get_for_user_or_404(
        request,
        Implementer.objects.restrict(request.user, "change").select_related("programme"),
        uid=uid,
    )
    form = forms.FocalPointForm(request.POST, coordinator=request.user)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            actions.link_focal_point(
                request.user, implementer, form.cleaned_data["user"], form.cleaned_data["position"]
            )
            messages.success(request, _("Penanggung jawab pelaksana ditetapkan."))
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
    return redirect("programs:integrated_detail", implementer.programme.uid)


@needs(*READERS)
@require_POST
def funding_add(request, uid):
    """The coordinator adds any line; a focal point its own implementer's."""
    programme = get_for_user_or_404(
        request, IntegratedProgramme.objects.visible_to(request.user), uid=uid
    )
    form = forms.FundingLineForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("programs:integrated_detail", programme.uid)
    data = dict(form.cleaned_data)
    implementer_uid = data.pop("implementer")
    implementer = None
    if implementer_uid:
        implementer = get_for_user_or_404(
            request,
            Implementer.objects.restrict(request.user, "work").filter(programme=programme),
            uid=implementer_uid,
        )
    try:
        actions.add_funding_line(request.user, programme, implementer=implementer, **data)
        messages.success(request, _("Sumber pendanaan ditambahkan."))
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    return redirect("programs:integrated_detail", programme.uid)


@needs(PCap.INTEGRATED_MANAGE)
@require_POST
def plan_add(request, uid):
    programme = _managed(request, uid)
    form = forms.MonitoringPlanForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            actions.add_monitoring_plan(request.user, programme, **form.cleaned_data)
            messages.success(request, _("Rencana monitoring dan evaluasi ditambahkan."))
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
    return redirect("programs:integrated_detail", programme.uid)


@needs(PCap.INTEGRATED_MANAGE)
@require_POST
def focal_point_end(request, uid):
    """The link ends: the user no longer sees or updates the implementer's rows."""
    implementer = get_for_user_or_404(
        request,
        Implementer.objects.restrict(request.user, "change").select_related("programme"),
        uid=uid,
    )
    form = forms.FocalPointEndForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("programs:integrated_detail", implementer.programme.uid)
    link = get_for_user_or_404(
        request,
        FocalPoint.objects.restrict(request.user, "change")
        .filter(implementer=implementer, active=True)
        .select_related("implementer"),
        user__username=form.cleaned_data["user"],
    )
    try:
        actions.end_focal_point(request.user, link)
        messages.success(request, _("Penanggung jawab pelaksana diakhiri."))
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    return redirect("programs:integrated_detail", implementer.programme.uid)
