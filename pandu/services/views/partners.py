"""Pages of partner agencies, their services and their members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import get_for_user_or_404
from pandu.core.lists import build_list

from .. import actions, forms
from ..capabilities import SCap
from ..filtersets import PartnerAgencyFilterSet
from ..models import PartnerAgency, PartnerService
from ..tables import PartnerAgencyTable
from ._common import _errors_to_form, _form_page, _post_action, needs


@needs(SCap.SETUP_VIEW)
def partner_list(request):
    partners = (
        PartnerAgency.objects.visible_to(request.user)
        .select_related("area")
        .prefetch_related(Prefetch("services", queryset=PartnerService.objects.filter(active=True)))
        .order_by("name", "id")
    )
    page = build_list(request, partners, PartnerAgencyTable, filterset_class=PartnerAgencyFilterSet)
    return render(
        request,
        "services/partner_list.html",
        {"title": _("Mitra"), "table": page.table, "filter": page.filterset},
    )


@needs(SCap.SETUP_VIEW)
def partner_detail(request, uid):
    agency = get_for_user_or_404(request, PartnerAgency.objects.visible_to(request.user), uid=uid)
    return render(
        request,
        "services/partner_detail.html",
        {
            "title": agency.name,
            "agency": agency,
            "services": agency.services.prefetch_related("areas_served"),
            "members": agency.members.filter(active=True).select_related("user"),
            "agreements": agency.agreements.all(),
            "member_form": forms.PartnerMemberForm(),
        },
    )


def _partner_data(form) -> dict:
    return {k: form.cleaned_data[k] for k in actions.PARTNER_FIELDS}


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def partner_create(request):
    form = forms.PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = actions.create_partner(request.user, **_partner_data(form))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error("area", str(exc))
        else:
            messages.success(request, _("Mitra disimpan."))
            return redirect("services:partner_detail", agency.uid)
    return _form_page(request, form, _("Mitra baru"), back=reverse("services:partner_list"))


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def partner_edit(request, uid):
    agency = get_for_user_or_404(request, PartnerAgency.objects.visible_to(request.user), uid=uid)
    initial = {k: getattr(agency, k) for k in actions.PARTNER_FIELDS}
    initial["area"] = agency.area_id
    form = forms.PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_partner(request.user, agency, **_partner_data(form))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Mitra disimpan."))
            return redirect("services:partner_detail", agency.uid)
    return _form_page(
        request,
        form,
        _("Ubah mitra"),
        subtitle=agency.name,
        back=reverse("services:partner_detail", args=[uid]),
    )


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def service_create(request, uid):
    agency = get_for_user_or_404(request, PartnerAgency.objects.visible_to(request.user), uid=uid)
    return _service_form(request, agency, None)


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def service_edit(request, uid):
    service = get_for_user_or_404(
        request,
        PartnerService.objects.visible_to(request.user),
        uid=uid,
    )
    return _service_form(request, service.agency, service)


def _service_form(request, agency, service):
    initial = None
    if service is not None:
        initial = {k: getattr(service, k) for k in actions.SERVICE_FIELDS}
        initial["areas_served"] = ", ".join(a.code for a in service.areas_served.all())
    form = forms.PartnerServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            actions.save_partner_service(request.user, agency, service, **data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Layanan mitra disimpan."))
            return redirect("services:partner_detail", agency.uid)
    return _form_page(
        request,
        form,
        _("Layanan mitra") if service else _("Layanan mitra baru"),
        subtitle=agency.name,
        back=reverse("services:partner_detail", args=[agency.uid]),
    )


@needs(SCap.SETUP_MANAGE)
@require_POST
def member_add(request, uid):
    agency = get_for_user_or_404(request, PartnerAgency.objects.visible_to(request.user), uid=uid)
    form = forms.PartnerMemberForm(request.POST)
    back = reverse("services:partner_detail", args=[uid])
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(back)
    return _post_action(
        request,
        lambda: actions.add_partner_member(
            request.user, agency, form.cleaned_data["user"], form.cleaned_data["position"]
        ),
        _("Anggota mitra ditambahkan."),
        back,
    )


@needs(SCap.SETUP_MANAGE)
@require_POST
def member_end(request, uid):
    agency = get_for_user_or_404(request, PartnerAgency.objects.visible_to(request.user), uid=uid)
    membership = agency.members.filter(pk=request.POST.get("membership") or 0, active=True).first()
    if membership is None:
        raise Http404
    return _post_action(
        request,
        lambda: actions.end_partner_member(request.user, membership),
        _("Keanggotaan diakhiri."),
        reverse("services:partner_detail", args=[uid]),
    )
