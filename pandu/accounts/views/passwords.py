"""The user's own password: the change page (also where a one-time password is replaced) and
the reset by e-mail, offered only when the site sends mail; otherwise the page says to ask the
administrator, who gives a one-time password (``views.users.user_password``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pandu.core import ratelimit
from pandu.core.forms import add_action_errors

from .. import actions
from ..forms import PasswordChangeForm, SetPasswordForm
from ._common import address, next_url

RESET_RATE = "5/h"


def reset_by_email() -> bool:
    """Whether the site sends password-reset mail: ``PANDU_PASSWORD_RESET_EMAIL`` when set,
    else whenever a mail server other than the local default is configured (``EMAIL_HOST``)."""
    choice = getattr(settings, "PANDU_PASSWORD_RESET_EMAIL", None)
    if choice is not None:
        return bool(choice)
    host = getattr(settings, "EMAIL_HOST", "") or ""
    return bool(host) and host != "localhost"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:security")
    extra_context = {"title": gettext_lazy("Ganti kata sandi")}

    def form_valid(self, form):
        try:
            actions.change_own_password(
                self.request.user,
                form.cleaned_data["new_password1"],
                address=address(self.request),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Kata sandi Anda sudah diganti."))
        return redirect(next_url(self.request, "accounts:security"))


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"title": gettext_lazy("Lupa kata sandi")}

    def dispatch(self, request, *args, **kwargs):
        if not reset_by_email():
            return render(
                request,
                "accounts/password_reset.html",
                {"title": _("Lupa kata sandi"), "by_administrator": True},
            )
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        # The answer is the same whether or not the address is known; past the limit nothing
        # is sent, so the form cannot be used to flood someone's mailbox.
        limit, window = ratelimit.parse_rate(RESET_RATE)
        if not ratelimit.hit(
            "password.reset", ratelimit.client_ip(self.request), limit=limit, window=window
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"title": gettext_lazy("Periksa surel Anda")}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"title": gettext_lazy("Kata sandi baru")}

    def form_valid(self, form):
        try:
            actions.change_own_password(
                form.user,
                form.cleaned_data["new_password1"],
                by_email=True,
                address=address(self.request),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
            return self.form_invalid(form)
        self.request.session.pop(INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"title": gettext_lazy("Kata sandi sudah diganti")}
