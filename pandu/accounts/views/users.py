"""User administration: the accounts of one's area (administrators and auditors see them and
their history; administrators create, change, deactivate, give one-time passwords and reset a
lost second factor). An account outside the area, or one the administrator may not manage, is
the logged 404 of every record outside reach."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import deny, get_for_user_or_404, require
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list

from .. import actions, two_factor
from ..filtersets import UserChangeFilterSet, UserFilterSet
from ..forms import OneTimePasswordForm, ReasonForm, UserForm
from ..models import User
from ..passwords import one_time_password
from ..queries import can_manage, changes_visible_to, tokens_of, users_visible_to
from ..roles import Cap, grantable_roles
from ..tables import UserChangeTable, UserTable, changes_list
from ._common import address


def _visible(request, uid) -> User:
    require(request, Cap.VIEW_USERS)
    return get_for_user_or_404(request, users_visible_to(request.user), uid=uid)


def _managed(request, uid) -> User:
    """An account the user may change; any other is a logged 404."""
    require(request, Cap.MANAGE_USERS)
    user = _visible(request, uid)
    if not can_manage(request.user, user):
        deny(request, "account beyond the administrator's role or area", user)
    return user


@login_required
def user_list(request):
    require(request, Cap.VIEW_USERS)
    page = build_list(
        request, users_visible_to(request.user), UserTable, filterset_class=UserFilterSet
    )
    return render(
        request,
        "accounts/user_list.html",
        {
            "title": _("Pengguna"),
            "table": page.table,
            "filter": page.filterset,
            "can_create": request.user.can(Cap.MANAGE_USERS),
        },
    )


@login_required
def change_list(request):
    """The history of every account in the area: who changed what, when, from where."""
    require(request, Cap.VIEW_USERS)
    page = build_list(
        request,
        changes_visible_to(request.user),
        UserChangeTable,
        filterset_class=UserChangeFilterSet,
    )
    return render(
        request,
        "accounts/change_list.html",
        {"title": _("Riwayat akun pengguna"), "table": page.table, "filter": page.filterset},
    )


@login_required
def user_detail(request, uid):
    user = _visible(request, uid)
    changes = list(user.changes.select_related("actor")[:50])
    for change in changes:
        change.shown = changes_list(change.changes)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "title": user.get_full_name() or user.username,
            "account": user,
            "changes": changes,
            "tokens": tokens_of(user),
            "can_manage": can_manage(request.user, user),
            "required": two_factor.required_for(user),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    """A new account with a one-time password, shown once to hand over; the user replaces it
    at the first sign-in."""
    require(request, Cap.MANAGE_USERS)
    form = UserForm(request.POST or None, roles=grantable_roles(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = one_time_password()
        try:
            user = actions.create_user(
                data["username"],
                role=data["role"],
                area_code=data["area"],
                password=password,
                must_change_password=True,
                actor=request.user,
                address=address(request),
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_action_errors(form, exc)
        else:
            return render(
                request,
                "accounts/one_time_password.html",
                {"title": _("Akun dibuat"), "account": user, "password": password, "new": True},
            )
    return render(
        request,
        "accounts/user_form.html",
        {"title": _("Pengguna baru"), "form": form, "account": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, uid):
    user = _managed(request, uid)
    form = UserForm(
        request.POST or None,
        initial=UserForm.initial_for(user),
        roles=grantable_roles(request.user),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_user(
                request.user,
                user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                area_code=data["area"],
                address=address(request),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Akun disimpan."))
            return redirect("accounts:user_detail", user.uid)
    return render(
        request,
        "accounts/user_form.html",
        {"title": _("Ubah akun %(u)s") % {"u": user.username}, "form": form, "account": user},
    )


def _with_reason(request, uid, action, done: str):
    user = _managed(request, uid)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasannya."))
        return redirect("accounts:user_detail", user.uid)
    try:
        action(request.user, user, reason=form.cleaned_data["reason"], address=address(request))
    except PermissionDenied:
        deny(request, "account beyond the administrator's role or area", user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("accounts:user_detail", user.uid)


@login_required
@require_POST
def user_deactivate(request, uid):
    return _with_reason(
        request,
        uid,
        actions.deactivate_user,
        _("Akun dinonaktifkan: tidak dapat masuk lagi dan token API-nya dicabut."),
    )


@login_required
@require_POST
def user_reactivate(request, uid):
    return _with_reason(request, uid, actions.reactivate_user, _("Akun diaktifkan kembali."))


@login_required
@require_POST
def user_two_factor_reset(request, uid):
    return _with_reason(
        request,
        uid,
        actions.reset_two_factor,
        _("Verifikasi dua langkah direset; pengguna mendaftarkan aplikasinya lagi saat masuk."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_password(request, uid):
    """The administrator gives a one-time password (typed, or made by Pandu), shown once."""
    user = _managed(request, uid)
    form = OneTimePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password = actions.set_one_time_password(
                request.user,
                user,
                password=form.cleaned_data["password"],
                address=address(request),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        except PermissionDenied:
            deny(request, "account beyond the administrator's role or area", user)
        else:
            return render(
                request,
                "accounts/one_time_password.html",
                {"title": _("Kata sandi sekali pakai"), "account": user, "password": password},
            )
    return render(
        request,
        "accounts/user_password.html",
        {"title": _("Kata sandi sekali pakai"), "form": form, "account": user},
    )
