"""Empowerment over the API, mounted under ``/api/v1/empowerment/`` (``pandu/api_urls.py``):
the aid-use visits (read, and recorded from a field device), the graduation plans with their
criteria checked, steps and follow-ups, and the KUBE groups with their members (by registry
UUID). Lists page by cursor; outside the caller's area or role a record is the logged 404."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response

from pandu.accounts.roles import user_can
from pandu.core.access import get_for_user_or_404
from pandu.core.api import UID_REGEX, ScopedObjectMixin

from .. import actions
from ..capabilities import ECap
from ..filtersets import GroupFilterSet, PlanFilterSet, VisitFilterSet
from ..models import GraduationPlan, KubeGroup, KubeMember, UseVisit
from ..views._common import kpm
from . import serializers as s

NOT_FOUND = OpenApiResponse(description="Not found, or outside the caller's area or role.")
BAD_INPUT = OpenApiResponse(description="Refused input: the field names and what is wrong.")


class CanRead(permissions.BasePermission):
    """Reading needs ``empowerment.view``; recording a visit ``empowerment.visit``."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return user_can(request.user, ECap.VIEW)
        return user_can(request.user, ECap.VISIT)


@extend_schema_view(
    list=extend_schema(
        summary="Aid-use visits the caller sees",
        description="Filters: `programme` (code), `area` (a code prefix), `visited_from`, "
        "`visited_to`, `problem` (any problem recorded), `follow_up_needed`.",
    ),
    retrieve=extend_schema(
        summary="One aid-use visit", responses={200: s.UseVisitSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="Record an aid-use visit to a KPM",
        description="For TKSK and facilitators, to a KPM of their area that is active or "
        "suspended. At least one of `uses` when `aid_received`; a problem's note when it is "
        "ticked; the location as the phone gave it (both coordinates and the time, or none). "
        "One visit per visitor, family and day.",
        request=s.UseVisitCreateSerializer,
        responses={201: s.UseVisitSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    ),
)
class VisitViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated, CanRead]
    serializer_class = s.UseVisitSerializer
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    filterset_class = VisitFilterSet

    def get_queryset(self):
        return UseVisit.objects.visible_to(self.request.user).select_related(
            "enrolment__programme", "enrolment__household", "visitor"
        )

    def create(self, request, *args, **kwargs):
        ser = s.UseVisitCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        enrolment = get_for_user_or_404(
            request, kpm(request.user, ECap.VISIT), uid=data.pop("enrolment")
        )
        uses = set(data.pop("uses", []))
        location = actions.VisitLocation(
            latitude=data.pop("latitude", None),
            longitude=data.pop("longitude", None),
            accuracy=data.pop("accuracy", None),
            taken_at=data.pop("located_at", None),
        )
        answers = {f"use_{key}": key in uses for key in s.USE_KEYS}
        visit = actions.record_visit(request.user, enrolment, location=location, **answers, **data)
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(s.UseVisitSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Graduation plans the caller sees",
        description="Filters: `programme` (code), `status` (berjalan, lulus, batal), `area`.",
    ),
    retrieve=extend_schema(
        summary="One graduation plan, with its criteria checked against the family, its steps "
        "and its follow-up visits",
        responses={200: s.GraduationPlanDetailSerializer, 404: NOT_FOUND},
    ),
)
class PlanViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated, CanRead]
    serializer_class = s.GraduationPlanSerializer
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    filterset_class = PlanFilterSet

    def get_queryset(self):
        qs = GraduationPlan.objects.visible_to(self.request.user).select_related(
            "enrolment__programme", "enrolment__household", "facilitator"
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related("steps", "follow_ups__visited_by")
        return qs

    def get_serializer_class(self):
        return (
            s.GraduationPlanDetailSerializer
            if self.action == "retrieve"
            else s.GraduationPlanSerializer
        )


@extend_schema_view(
    list=extend_schema(
        summary="KUBE groups the caller sees",
        description="Filters: `q` (name), `status` (aktif, bubar), `area` (a code prefix). "
        "`member_count` counts the current members.",
    ),
    retrieve=extend_schema(
        summary="One KUBE group with its members (registry people by UUID)",
        responses={200: s.KubeGroupDetailSerializer, 404: NOT_FOUND},
    ),
)
class GroupViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated, CanRead]
    serializer_class = s.KubeGroupSerializer
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    filterset_class = GroupFilterSet

    def get_queryset(self):
        qs = (
            KubeGroup.objects.visible_to(self.request.user)
            .select_related("organisation")
            .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch(
                    "members",
                    queryset=KubeMember.objects.select_related("person").order_by(
                        "joined_on", "id"
                    ),
                )
            )
        return qs

    def get_serializer_class(self):
        return s.KubeGroupDetailSerializer if self.action == "retrieve" else s.KubeGroupSerializer
