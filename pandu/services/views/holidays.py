"""The page of holidays that working-day deadlines skip."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import actions, forms
from ..capabilities import SCap
from ..models import Holiday
from ._common import _errors_to_form, _need, _post_action, needs


@needs(SCap.SETUP_VIEW)
@require_http_methods(["GET", "POST"])
def holidays(request):
    """National holidays and collective leave: the service-level clocks skip them."""
    manage = request.user.can(SCap.SETUP_MANAGE)
    form = forms.HolidayForm(request.POST or None)
    if request.method == "POST":
        if not manage:
            _need(request, SCap.SETUP_MANAGE)
        if form.is_valid():
            try:
                actions.add_holiday(request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Hari libur dicatat."))
                return redirect("services:holidays")
    today = timezone.localdate()
    return render(
        request,
        "services/holidays.html",
        {
            "title": _("Hari libur nasional"),
            "rows": Holiday.objects.filter(date__gte=today.replace(month=1, day=1)),
            "form": form,
            "manage": manage,
        },
    )


@needs(SCap.SETUP_MANAGE)
@require_POST
def holiday_delete(request):
    holiday = Holiday.objects.filter(pk=request.POST.get("holiday") or 0).first()
    if holiday is None:
        raise Http404
    return _post_action(
        request,
        lambda: actions.remove_holiday(request.user, holiday),
        _("Hari libur dihapus."),
        reverse("services:holidays"),
    )
