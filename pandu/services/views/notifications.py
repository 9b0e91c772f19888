"""A user's notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandu.core.lists import build_list

from .. import actions
from ..models import Notification
from ..tables import NotificationTable


@login_required
def notifications(request):
    rows = Notification.objects.filter(user=request.user).order_by("-created_at", "-id")
    page = build_list(request, rows, NotificationTable)
    return render(
        request, "services/notifications.html", {"title": _("Pemberitahuan"), "table": page.table}
    )


@login_required
@require_POST
def notifications_read(request):
    actions.mark_notifications_read(request.user)
    return redirect("services:notifications")
