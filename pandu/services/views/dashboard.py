"""The one-stop service dashboard and its spreadsheet."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.core.access import deny, record_access
from pandu.core.files import private_file_response
from pandu.core.models import AccessLog
from pandu.regions.models import Area

from .. import forms, reports
from ..capabilities import SCap
from ._common import needs


def _dashboard_params(request):
    user = request.user
    form = forms.DashboardForm(request.GET or None)
    today = timezone.localdate()
    start, end, area = today.replace(day=1), today, None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        area = form.cleaned_data["area"]
    if end < start:
        start, end = end, start
    scope = user.scope_code
    if scope is None:  # no area: nothing, not the whole country
        deny(request, "services dashboard: user without an area")
    code = scope
    if area is not None:
        if not user.in_scope(area.code):
            form.add_error("area", _("Wilayah ini di luar wilayah kerja Anda."))
        else:
            code = area.code
    area_name = (
        Area.objects.filter(code=code).values_list("name", flat=True).first()
        if code
        else _("Seluruh Indonesia")
    )
    return form, start, end, code, area_name


@needs(SCap.REPORTS)
def dashboard(request):
    form, start, end, code, area_name = _dashboard_params(request)
    f = reports.compute(code, start, end)
    return render(
        request,
        "services/dashboard.html",
        {
            "title": _("Dasbor layanan"),
            "form": form,
            "f": f,
            "area_name": area_name,
            "channel_bars": reports.bars(f.by_channel),
            "need_bars": reports.bars(f.by_need),
            "village_bars": reports.bars(f.by_village),
            "status_bars": reports.bars(f.by_status),
            "first_median": reports.fmt_hours(f.first_action.get("median_hours")),
            "first_p90": reports.fmt_hours(f.first_action.get("p90_hours")),
            "close_median": reports.fmt_hours(f.closure.get("median_hours")),
            "close_p90": reports.fmt_hours(f.closure.get("p90_hours")),
            "query": request.GET.urlencode(),
            "monthly": reports.monthly(code, start, end),
        },
    )


@needs(SCap.REPORTS)
def dashboard_xlsx(request):
    _form, start, end, code, area_name = _dashboard_params(request)
    data = reports.xlsx(reports.compute(code, start, end), str(area_name))
    record_access(
        request,
        AccessLog.Kind.EXPORT,
        None,
        detail=f"services dashboard {code} {start}..{end}",
    )
    return private_file_response(
        data,
        filename=f"dasbor-layanan-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
