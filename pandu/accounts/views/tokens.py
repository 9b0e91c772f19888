"""The user's own API tokens: listed with their last use, made (the key shown once), revoked.
An administrator revokes the tokens of the users they manage from the user's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import deny, get_for_user_or_404
from pandu.core.forms import add_action_errors

from .. import actions
from ..forms import TokenForm
from ..models import ApiToken
from ..queries import tokens_of, users_visible_to
from ._common import address, next_url


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    key = None
    if request.method == "POST" and form.is_valid():
        try:
            key = actions.issue_token(
                request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                actor=request.user,
                address=address(request),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_action_errors(form, exc)
        else:
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "title": _("Token API"),
            "form": form,
            "key": key,
            "tokens": tokens_of(request.user),
        },
    )


@login_required
@require_POST
def token_revoke(request, uid):
    """Revoke one's own token, or one of a user one manages (the action checks which)."""
    reachable = ApiToken.objects.filter(
        Q(user=request.user) | Q(user__in=users_visible_to(request.user))
    ).select_related("user__area")
    token = get_for_user_or_404(request, reachable, uid=uid)
    try:
        actions.revoke_token(request.user, token, address=address(request))
    except PermissionDenied:
        deny(request, "token of an account the user does not manage", token.user)
    messages.success(request, _("Token “%(name)s” dicabut.") % {"name": token.name})
    return redirect(next_url(request, "accounts:token_list"))
