"""Breach pages: the register with each incident's 3×24-hour clock, a new incident, one
incident with its countdown and notices, its update, a notice sent, and its closing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import deny, get_for_user_or_404
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list

from .. import actions, deadlines
from ..capabilities import PCap
from ..filtersets import BreachFilterSet
from ..forms import BreachForm, BreachUpdateForm, CloseForm, NoticeForm
from ..tables import BreachTable
from ._common import breaches_of, form_errors, needs, refused


@needs(PCap.BREACH_VIEW)
def breach_list(request):
    page = build_list(
        request,
        breaches_of(request.user).order_by("-discovered_at", "-id"),
        BreachTable,
        filterset_class=BreachFilterSet,
    )
    return render(
        request,
        "privacy/breach_list.html",
        {
            "title": _("Register insiden kebocoran data"),
            "table": page.table,
            "filter": page.filterset,
            "may_record": request.user.can(PCap.BREACH) and bool(request.user.scope_code),
            "overdue": breaches_of(request.user).notice_overdue().count(),
        },
    )


@needs(PCap.BREACH)
@require_http_methods(["GET", "POST"])
def breach_create(request):
    user = request.user
    if not user.scope_code:
        deny(request, "breach needs an area")
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            breach = actions.record_breach(user, area_code=user.scope_code, **form.cleaned_data)
        except PermissionDenied:
            deny(request, "breach refused")
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Insiden %(n)s dicatat.") % {"n": breach.number})
            return redirect("privacy:breach_detail", uid=breach.uid)
    return render(
        request,
        "privacy/simple_form.html",
        {
            "title": _("Catat insiden kebocoran data"),
            "intro": _(
                "Catat segera setelah diketahui: subjek data dan lembaga pelindungan data "
                "pribadi wajib diberi tahu secara tertulis paling lambat 3×24 jam sejak itu."
            ),
            "form": form,
            "submit": _("Catat insiden"),
            "back_url": reverse("privacy:breach_list"),
        },
    )


@needs(PCap.BREACH_VIEW)
def breach_detail(request, uid):
    user = request.user
    breach = get_for_user_or_404(request, breaches_of(user), uid=uid)
    may_change = user.can(PCap.BREACH) and breach.status != "closed"
    now = timezone.now()
    return render(
        request,
        "privacy/breach_detail.html",
        {
            "title": _("Insiden %(n)s") % {"n": breach.number},
            "breach": breach,
            "clock": deadlines.state(breach.notify_due, done=breach.fully_notified, now=now),
            "left": deadlines.left_text(breach.notify_due, done=breach.fully_notified, now=now),
            "notices": breach.notices.select_related("recorded_by"),
            "notice_form": NoticeForm(prefix="nt") if may_change else None,
            "close_form": CloseForm(prefix="cl") if may_change and breach.fully_notified else None,
            "may_change": may_change,
            "history": breach.history.select_related("history_user").order_by("-history_id")[:50],
        },
    )


@needs(PCap.BREACH)
@require_http_methods(["GET", "POST"])
def breach_edit(request, uid):
    breach = get_for_user_or_404(request, breaches_of(request.user, "change"), uid=uid)
    initial = {name: getattr(breach, name) for name in (*actions.breaches.FIELDS, "status")}
    form = BreachUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        try:
            actions.update_breach(request.user, breach, data, reason)
        except PermissionDenied:
            deny(request, "breach change refused", breach)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Insiden diperbarui."))
            return redirect("privacy:breach_detail", uid=breach.uid)
    return render(
        request,
        "privacy/simple_form.html",
        {
            "title": _("Perbarui insiden %(n)s") % {"n": breach.number},
            "form": form,
            "submit": _("Simpan"),
            "back_url": reverse("privacy:breach_detail", args=[breach.uid]),
        },
    )


@needs(PCap.BREACH)
@require_POST
def breach_notice(request, uid):
    breach = get_for_user_or_404(request, breaches_of(request.user, "change"), uid=uid)
    form = NoticeForm(request.POST, prefix="nt")
    if form.is_valid():
        try:
            actions.record_notice(request.user, breach, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Pemberitahuan dicatat."))
    else:
        form_errors(request, form)
    return redirect("privacy:breach_detail", uid=breach.uid)


@needs(PCap.BREACH)
@require_POST
def breach_close(request, uid):
    breach = get_for_user_or_404(request, breaches_of(request.user, "change"), uid=uid)
    form = CloseForm(request.POST, prefix="cl")
    if form.is_valid():
        try:
            actions.close_breach(request.user, breach, note=form.cleaned_data["note"])
        except (PermissionDenied, ValidationError) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Insiden ditutup."))
    else:
        form_errors(request, form)
    return redirect("privacy:breach_detail", uid=breach.uid)
