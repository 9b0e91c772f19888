"""A household's businesses (usaha): recorded, changed and removed one at a time from the
household's page, each change with its reason in the history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.accounts.roles import Cap
from pandu.core.access import get_for_user_or_404, require

from .. import actions
from ..forms import BusinessForm, BusinessRemoveForm
from ..models import Household
from ._common import _apply_errors


def _household(request, uid) -> Household:
    require(request, Cap.CHANGE_REGISTRY)
    return get_for_user_or_404(request, Household.objects.visible_to(request.user), uid=uid)


def _detail(hh: Household) -> str:
    return reverse("registry:household_detail", args=[hh.uid]) + "#businesses"


@login_required
@require_http_methods(["GET", "POST"])
def business_add(request, uid):
    hh = _household(request, uid)
    form = BusinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_business(
                request.user, hh, form.action_data(), form.cleaned_data.get("reason", "")
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Usaha keluarga dicatat."))
            return redirect(_detail(hh))
    return render(
        request,
        "registry/business_form.html",
        {"title": _("Tambah usaha keluarga"), "form": form, "hh": hh},
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_edit(request, uid, business_uid):
    hh = _household(request, uid)
    business = get_for_user_or_404(request, hh.businesses.all(), uid=business_uid)
    form = BusinessForm(request.POST or None, instance=business)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_business(
                request.user, business, form.action_data(), form.cleaned_data.get("reason", "")
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect(_detail(hh))
    return render(
        request,
        "registry/business_form.html",
        {"title": _("Ubah usaha keluarga"), "form": form, "hh": hh},
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_remove(request, uid, business_uid):
    hh = _household(request, uid)
    business = get_for_user_or_404(request, hh.businesses.all(), uid=business_uid)
    form = BusinessRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.remove_business(request.user, business, form.cleaned_data["reason"])
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Usaha keluarga dihapus."))
            return redirect(_detail(hh))
    return render(
        request,
        "registry/business_form.html",
        {
            "title": _("Hapus usaha keluarga"),
            "form": form,
            "hh": hh,
            "business": business,
            "removing": True,
        },
    )
