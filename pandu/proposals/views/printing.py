"""The batch's decision list as a printed paper (PDF), for the head of office to sign."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required

from pandu.core.access import record_access
from pandu.core.files import private_file_response
from pandu.core.models import AccessLog

from ..models import DECIDED_STATUSES
from ..printing import decision_list_pdf
from ._common import _batch, _decorate, _items


@login_required
def batch_decisions_pdf(request, uid):
    batch = _batch(request, uid)
    user = request.user
    items = _decorate(
        _items(user).filter(batch=batch, status__in=DECIDED_STATUSES).order_by("kind", "id")
    )
    if any(i.sensitive for i in items):
        record_access(
            request, AccessLog.Kind.VIEW_SENSITIVE, batch, detail="printed sensitive PPKS items"
        )
    return private_file_response(
        decision_list_pdf(batch, items, printed_by=user.get_full_name() or user.username),
        filename=f"penetapan-usulan-{batch.ref}.pdf",
        content_type="application/pdf",
    )
