"""The case summary as a printed paper (PDF): the same case the page shows, behind the same
reason gate for a sensitive case."""

from __future__ import annotations

from pandu.core.files import private_file_response

from .. import actions
from ..capabilities import SCap
from ..pdf import case_summary_pdf
from ._common import _case, gated, needs


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
