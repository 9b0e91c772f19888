"""The proposal report and its spreadsheet."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core.access import deny, record_access
from pandu.core.files import private_file_response
from pandu.core.models import AccessLog
from pandu.regions.models import Area

from ..forms import ReportForm
from ..reports import proposal_report, report_xlsx


def _report_from_request(request):
    user = request.user
    if not user.can(Cap.VIEW_FIGURES):
        deny(request, f"role lacks {Cap.VIEW_FIGURES}")
    today = timezone.localdate()
    initial = {"date_from": date(today.year, 1, 1), "date_to": today, "group": "village"}
    form = ReportForm(request.GET or None, user=user, initial=initial)
    params = dict(initial, area="")
    if form.is_bound and form.is_valid():
        params.update({k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    if params["area"] and not user.in_scope(params["area"]):
        params["area"] = ""
    report = proposal_report(
        user,
        area=params["area"],
        group=params["group"],
        date_from=params["date_from"],
        date_to=params["date_to"],
    )
    return form, params, report


def _period_text(params) -> str:
    area = Area.objects.filter(code=params["area"]).first() if params["area"] else None
    return _("Wilayah: %(area)s · diajukan %(start)s s.d. %(end)s") % {
        "area": area.display_name if area else _("seluruh wilayah kerja"),
        "start": date_format(params["date_from"], "d-m-Y") if params["date_from"] else "—",
        "end": date_format(params["date_to"], "d-m-Y") if params["date_to"] else "—",
    }


@login_required
def report(request):
    form, params, data = _report_from_request(request)
    return render(
        request,
        "proposals/report.html",
        {
            "title": _("Laporan usulan dan penetapan"),
            "form": form,
            "report": data,
            "period": _period_text(params),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def report_xlsx_view(request):
    _form, params, data = _report_from_request(request)
    record_access(request, AccessLog.Kind.EXPORT, detail="proposal report (counts only)")
    content = report_xlsx(
        data, title=str(_("Laporan usulan dan penetapan")), filters=_period_text(params)
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return private_file_response(
        content,
        filename=f"laporan-usulan-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
