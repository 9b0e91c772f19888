"""Pages of service points (pos pelayanan) and their staff."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import get_for_user_or_404
from pandu.core.lists import build_list

from .. import actions, forms
from ..capabilities import SCap
from ..filtersets import ServicePointFilterSet
from ..models import ServicePoint
from ..tables import ServicePointTable
from ._common import _errors_to_form, _form_page, _post_action, needs


@needs(SCap.SETUP_VIEW)
def point_list(request):
    points = (
        ServicePoint.objects.visible_to(request.user)
        .select_related("area")
        .annotate(staff_count=Count("staff", filter=Q(staff__ended_on__isnull=True)))
        .order_by("area_id", "name", "id")
    )
    page = build_list(request, points, ServicePointTable, filterset_class=ServicePointFilterSet)
    return render(
        request,
        "services/point_list.html",
        {"title": _("Titik layanan"), "table": page.table, "filter": page.filterset},
    )


@needs(SCap.SETUP_VIEW)
def point_detail(request, uid):
    point = get_for_user_or_404(
        request, ServicePoint.objects.visible_to(request.user).select_related("area"), uid=uid
    )
    staff = point.staff.filter(ended_on__isnull=True).select_related("user").order_by("role")
    return render(
        request,
        "services/point_detail.html",
        {
            "title": point.name,
            "point": point,
            "staff": staff,
            "staff_form": forms.StaffForm(area_code=point.area_id),
        },
    )


def _point_data(form) -> dict:
    return {k: form.cleaned_data[k] for k in actions.POINT_FIELDS}


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def point_create(request):
    form = forms.ServicePointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            point = actions.create_service_point(request.user, **_point_data(form))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error("area", str(exc))
        else:
            messages.success(request, _("Titik layanan disimpan."))
            return redirect("services:point_detail", point.uid)
    return _form_page(request, form, _("Titik layanan baru"), back=reverse("services:point_list"))


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def point_edit(request, uid):
    point = get_for_user_or_404(request, ServicePoint.objects.visible_to(request.user), uid=uid)
    initial = {k: getattr(point, k) for k in actions.POINT_FIELDS}
    initial["area"] = point.area_id
    form = forms.ServicePointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_service_point(request.user, point, **_point_data(form))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Titik layanan disimpan."))
            return redirect("services:point_detail", point.uid)
    return _form_page(
        request,
        form,
        _("Ubah titik layanan"),
        subtitle=point.name,
        back=reverse("services:point_detail", args=[uid]),
    )


@needs(SCap.SETUP_MANAGE)
@require_POST
def staff_add(request, uid):
    point = get_for_user_or_404(request, ServicePoint.objects.visible_to(request.user), uid=uid)
    form = forms.StaffForm(request.POST, area_code=point.area_id)
    back = reverse("services:point_detail", args=[uid])
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(back)
    return _post_action(
        request,
        lambda: actions.add_staff(
            request.user, point, form.cleaned_data["user"], form.cleaned_data["role"]
        ),
        _("Petugas ditambahkan."),
        back,
    )


@needs(SCap.SETUP_MANAGE)
@require_POST
def staff_end(request, uid):
    point = get_for_user_or_404(request, ServicePoint.objects.visible_to(request.user), uid=uid)
    post = point.staff.filter(pk=request.POST.get("post") or 0, ended_on__isnull=True).first()
    back = reverse("services:point_detail", args=[uid])
    if post is None:
        raise Http404
    return _post_action(
        request, lambda: actions.end_staff(request.user, post), _("Tugas diakhiri."), back
    )
