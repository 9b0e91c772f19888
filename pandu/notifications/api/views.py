"""The caller's own notifications over the API (``/api/v1/notifications/``): nobody reads
another user's, whatever their role; one that is not the caller's is a logged 404."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pandu.core.api import UID_REGEX, ScopedObjectMixin

from .. import actions
from ..filtersets import NotificationFilterSet
from ..models import Notification
from . import serializers as s

NOT_FOUND = OpenApiResponse(description="Not found, or not the caller's notification.")


@extend_schema_view(
    list=extend_schema(
        summary="The caller's notifications",
        description="Newest first. `status=unread` or `status=read` narrows the list.",
    ),
    retrieve=extend_schema(
        summary="One of the caller's notifications",
        responses={200: s.NotificationSerializer, 404: NOT_FOUND},
    ),
)
class NotificationViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.NotificationSerializer
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    filterset_class = NotificationFilterSet

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user)

    @extend_schema(
        summary="Mark one notification read",
        request=None,
        responses={200: s.NotificationSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request, uid=None):
        notification = actions.mark_read(request.user, self.get_object())
        return Response(s.NotificationSerializer(notification).data)

    @extend_schema(
        summary="Mark all of the caller's notifications read",
        request=None,
        responses={200: s.ReadAllSerializer},
    )
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request):
        return Response({"marked": actions.mark_all_read(request.user)})
