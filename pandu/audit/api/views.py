"""The access log over the API, mounted at ``/api/v1/audit/``: the entries of the caller's area
for the roles that read the log, narrowed by the same filters as the page, newest first in
keyset pages. Reading it is not itself logged (the export is); a role without the log gets the
logged 404 of every page it may not open."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from pandu.accounts.roles import Cap
from pandu.core.access import require
from pandu.core.models import AccessLog

from ..filtersets import AccessLogFilterSet
from ..queries import entries_visible_to
from .serializers import AccessLogSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Access-log entries of the caller's area, newest first",
        description=(
            "For the Dinas's administrator and the auditor. Filters: `user` (username), `kind`, "
            "`record_type` and `record` (the record's UUID), `area` (a code prefix), `since` and "
            "`until` (dates). Keyset pages (`cursor`, `page_size` up to 200)."
        ),
    )
)
class AccessLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AccessLogSerializer
    filterset_class = AccessLogFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AccessLog.objects.none()
        return entries_visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        require(request, Cap.VIEW_ACCESS_LOG)
        return super().list(request, *args, **kwargs)
