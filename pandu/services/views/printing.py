"""Printed papers of the service pages: the case summary (the same case the page shows, behind
the same reason gate for a sensitive case) and the dashboard's report for a period."""

from __future__ import annotations

from pandu.core.access import record_access
from pandu.core.files import private_file_response
from pandu.core.models import AccessLog

from .. import actions, reports
from ..capabilities import SCap
from ..pdf import case_summary_pdf
from ..pdf import dashboard_pdf as dashboard_report_pdf
from ._common import _case, gated, needs
from .dashboard import _dashboard_params


@needs(SCap.CASE_VIEW)
@gated
def case_pdf(request, uid):
    user = request.user
    case = _case(request, uid)
    of_the_case = actions.may_work(user, case) or user.can(SCap.CASE_ADMIN)
    return private_file_response(
        case_summary_pdf(
            case,
            show_assessments=of_the_case,
            printed_by=user.get_full_name() or user.username,
        ),
        filename=f"ringkasan-kasus-{case.number}.pdf",
        content_type="application/pdf",
    )


@needs(SCap.REPORTS)
def dashboard_pdf(request):
    """The dashboard for the chosen period and area as a printed report."""
    _form, start, end, code, area_name = _dashboard_params(request)
    figures = reports.compute(code, start, end)
    data = dashboard_report_pdf(
        figures,
        reports.monthly(code, start, end),
        str(area_name),
        code or "",
        printed_by=request.user.get_full_name() or request.user.username,
    )
    record_access(
        request, AccessLog.Kind.EXPORT, None, detail=f"services dashboard pdf {code} {start}..{end}"
    )
    return private_file_response(
        data,
        filename=f"laporan-layanan-{start:%Y%m%d}-{end:%Y%m%d}.pdf",
        content_type="application/pdf",
    )
