"""What the registry pages share: action errors, list filters and export links, visible PPKS."""

from django.urls import reverse

from pandu.core.access import record_access
from pandu.core.forms import add_action_errors
from pandu.core.models import AccessLog

from ..filtersets import NUMBER_FILTERS, names_only
from ..models import PPKSAssignment

_apply_errors = add_action_errors


def _web_filters(fs):
    """List pages filter by GET: names only (``filtersets.names_only``)."""
    return names_only(fs)


def _export_url(request, name: str) -> str:
    """The export page with the list's filters (a list longer than a page is an export)."""
    from pandu.exchange.permissions import can_export

    if not can_export(request.user):
        return ""
    query = request.GET.copy()
    for key in ("page", "per_page", "sort", *NUMBER_FILTERS):  # no NIK or KK carried along
        query.pop(key, None)
    return reverse(name) + ("?" + query.urlencode() if query else "")


def _visible_ppks(user):
    return PPKSAssignment.objects.visible_to(user).select_related("category", "verified_by")


def _log_if_sensitive(request, obj, assignments) -> None:
    if any(a.category.sensitive for a in assignments):
        record_access(
            request, AccessLog.Kind.VIEW_SENSITIVE, obj, detail="record with sensitive PPKS"
        )
