"""KPM over the API, read only: ``/api/v1/programmes/enrolments/`` lists the candidates and KPM
of the caller's area (filters: ``programme`` code, ``status``, ``step``, ``area`` prefix), and
one enrolment by UUID with its visit, decree and status history."""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, viewsets

from pandu.accounts.roles import user_can
from pandu.core.api import UID_REGEX, ScopedObjectMixin

from ..capabilities import PCap
from ..filtersets import EnrolmentFilterSet
from ..models import Enrolment, EnrolmentDecree


class CanReadEnrolments(permissions.BasePermission):
    def has_permission(self, request, view):
        return user_can(request.user, PCap.ENROLMENT_VIEW)


class DecreeSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnrolmentDecree
        fields = ["uid", "number", "decreed_on"]


class EnrolmentSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.code", read_only=True)
    household = serializers.UUIDField(source="household.uid", read_only=True)
    kk_number = serializers.CharField(source="household.kk_number", read_only=True)
    recipient = serializers.CharField(
        source="recipient.full_name", read_only=True, allow_null=True, default=None
    )
    run = serializers.UUIDField(source="run.uid", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Enrolment
        fields = [
            "uid",
            "programme",
            "household",
            "kk_number",
            "recipient",
            "area_code",
            "status",
            "status_since",
            "status_reason",
            "step",
            "run",
            "enrolled_on",
        ]


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.CharField()
    step = serializers.CharField()
    since = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)
    at = serializers.DateTimeField()


class EnrolmentDetailSerializer(EnrolmentSerializer):
    decree = DecreeSerializer(read_only=True, allow_null=True)
    history = serializers.SerializerMethodField()

    class Meta(EnrolmentSerializer.Meta):
        fields = [
            *EnrolmentSerializer.Meta.fields,
            "visit_result",
            "visit_note",
            "verified_at",
            "visit_latitude",
            "visit_longitude",
            "visit_accuracy",
            "visit_located_at",
            "dinas_at",
            "decree",
            "history",
        ]

    @extend_schema_field(StatusChangeSerializer(many=True))
    def get_history(self, obj):
        rows = obj.history.order_by("history_id")[:200]
        return [
            {
                "status": h.status,
                "step": h.step,
                "since": h.status_since,
                "reason": h.history_change_reason or h.status_reason or "",
                "at": h.history_date,
            }
            for h in rows
        ]


@extend_schema_view(
    list=extend_schema(
        summary="Candidates and KPM the caller sees",
        description="Filters: `programme` (code), `status` (calon, aktif, ditangguhkan, graduasi, "
        "keluar), `step` (the approval step), `area` (a code prefix).",
    ),
    retrieve=extend_schema(
        summary="One candidate or KPM",
        responses={
            200: EnrolmentDetailSerializer,
            404: OpenApiResponse(description="Not found, or outside the caller's area or role."),
        },
    ),
)
class EnrolmentViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated, CanReadEnrolments]
    serializer_class = EnrolmentSerializer
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    filterset_class = EnrolmentFilterSet

    def get_queryset(self):
        return Enrolment.objects.visible_to(self.request.user).select_related(
            "programme", "household", "recipient", "run", "decree"
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return EnrolmentDetailSerializer
        return EnrolmentSerializer
