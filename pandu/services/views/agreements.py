"""Pages of agreements (perjanjian kerja sama) with partners."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.core.access import get_for_user_or_404
from pandu.core.files import private_file_response
from pandu.core.lists import build_list
from pandu.core.uploads import upload_limit

from .. import actions, forms
from ..actions._common import MAX_UPLOAD
from ..capabilities import SCap
from ..filtersets import AgreementFilterSet
from ..models import Agreement
from ..tables import AgreementTable
from ._common import _errors_to_form, _form_page, needs


@needs(SCap.SETUP_VIEW)
def agreement_list(request):
    today = timezone.localdate()
    qs = Agreement.objects.visible_to(request.user).select_related("agency", "area")
    expiring = request.GET.get("segera") == "1"
    agreements = build_list(
        request, qs.order_by("ends_on", "id"), AgreementTable, filterset_class=AgreementFilterSet
    )
    return render(
        request,
        "services/agreement_list.html",
        {
            "title": _("Perjanjian kerja sama"),
            "table": agreements.table,
            "expiring": expiring,
            "expiring_count": Agreement.objects.visible_to(request.user)
            .expiring_within(90, today)
            .count(),
            "today": today,
        },
    )


@needs(SCap.SETUP_VIEW)
def agreement_detail(request, uid):
    agreement = get_for_user_or_404(
        request,
        Agreement.objects.visible_to(request.user).select_related("agency", "area"),
        uid=uid,
    )
    from pandu.registry.history import history_entries

    return render(
        request,
        "services/agreement_detail.html",
        {
            "title": agreement.title,
            "agreement": agreement,
            "extensions": agreement.extensions.select_related("recorded_by"),
            "history": history_entries(agreement),
            "can_manage": request.user.can(SCap.SETUP_MANAGE),
        },
    )


@needs(SCap.SETUP_VIEW)
def agreement_document(request, uid):
    """The signed PDF: only to signed-in staff whose area the agreement is in."""
    agreement = get_for_user_or_404(request, Agreement.objects.visible_to(request.user), uid=uid)
    if not agreement.document:
        raise Http404
    return private_file_response(
        agreement.document.open("rb"),
        filename=f"perjanjian-{agreement.uid}.pdf",
        content_type="application/pdf",
    )


@upload_limit(MAX_UPLOAD)
@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    form = forms.AgreementForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        document = data.pop("document", None)
        try:
            agreement = actions.create_agreement(request.user, document=document, **data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error("area", str(exc))
        else:
            messages.success(request, _("Perjanjian dicatat."))
            return redirect("services:agreement_detail", agreement.uid)
    return _form_page(
        request, form, _("Perjanjian kerja sama baru"), back=reverse("services:agreement_list")
    )


def _agreement_form(request, uid, form_class, title, run, success):
    agreement = get_for_user_or_404(request, Agreement.objects.visible_to(request.user), uid=uid)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run(agreement, form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, success)
            return redirect("services:agreement_detail", agreement.uid)
    return _form_page(
        request,
        form,
        title,
        subtitle=str(agreement),
        back=reverse("services:agreement_detail", args=[uid]),
    )


@upload_limit(MAX_UPLOAD)
@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_upload(request, uid):
    return _agreement_form(
        request,
        uid,
        forms.DocumentForm,
        _("Unggah dokumen perjanjian"),
        lambda a, d: actions.attach_agreement_document(request.user, a, d["document"]),
        _("Dokumen disimpan."),
    )


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_extend(request, uid):
    return _agreement_form(
        request,
        uid,
        forms.ExtendAgreementForm,
        _("Perpanjang perjanjian"),
        lambda a, d: actions.extend_agreement(
            request.user,
            a,
            signed_on=d["signed_on"],
            years=d["years"],
            new_end=d["new_end"],
            reference=d["reference"],
        ),
        _("Perjanjian diperpanjang."),
    )


@needs(SCap.SETUP_MANAGE)
@require_http_methods(["GET", "POST"])
def agreement_terminate(request, uid):
    return _agreement_form(
        request,
        uid,
        forms.TerminateAgreementForm,
        _("Akhiri perjanjian lebih awal"),
        lambda a, d: actions.terminate_agreement(request.user, a, **d),
        _("Pengakhiran perjanjian dicatat."),
    )
