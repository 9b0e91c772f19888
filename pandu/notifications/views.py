"""A user's notifications: the list, following one (which marks it read), marking read, and the
bell of the top bar."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandu.core.access import get_for_user_or_404
from pandu.core.lists import build_list

from . import actions
from .filtersets import NotificationFilterSet
from .models import Notification
from .queries import unread_count
from .tables import NotificationTable


def _own(request, uid) -> Notification:
    return get_for_user_or_404(request, Notification.objects.visible_to(request.user), uid=uid)


@login_required
def notification_list(request):
    rows = Notification.objects.visible_to(request.user).order_by("-created_at", "-id")
    page = build_list(request, rows, NotificationTable, filterset_class=NotificationFilterSet)
    return render(
        request,
        "notifications/list.html",
        {
            "title": _("Pemberitahuan"),
            "table": page.table,
            "filter": page.filterset or NotificationFilterSet(queryset=rows, request=request),
            "unread": unread_count(request.user),
        },
    )


@login_required
def notification_open(request, uid):
    """The link shown for a notification: marks it read and goes where it points."""
    target = actions.open_notification(request.user, _own(request, uid))
    return redirect(target or "notifications:list")


@login_required
@require_POST
def notification_read(request, uid):
    actions.mark_read(request.user, _own(request, uid))
    return _back(request)


@login_required
@require_POST
def notification_read_all(request):
    actions.mark_all_read(request.user)
    return _back(request)


def _back(request):
    """Back to the page the button was on (the list with its filter), else the list."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(wanted)
    return redirect("notifications:list")


def bell(request):
    """The bell alone, for the top bar's periodic refresh (htmx). Signed out (the session
    ended in another tab), it answers 204 and htmx leaves the page as it is."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "notifications/_bell.html", {"unread": unread_count(request.user)})
