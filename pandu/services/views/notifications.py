"""A user's notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import actions
from ..models import Notification
from ._common import PAGE


@login_required
def notifications(request):
    rows = list(Notification.objects.filter(user=request.user)[:PAGE])
    return render(
        request, "services/notifications.html", {"title": _("Pemberitahuan"), "rows": rows}
    )


@login_required
@require_POST
def notifications_read(request):
    actions.mark_notifications_read(request.user)
    return redirect("services:notifications")
