"""Programmes over the API, read only: the catalogue (``/api/v1/programmes/``, by code) and the
integrated programmes the caller sees (``/api/v1/programmes/integrated/``, by UUID); a focal
point sees its own implementer's part only. Outside the scope: the logged 404."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, Sum
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.response import Response

from pandu.accounts.roles import user_can
from pandu.core.api import UID_REGEX, ScopedObjectMixin

from .. import progress
from ..capabilities import PCap
from ..filtersets import IntegratedProgrammeFilterSet, ProgrammeFilterSet
from ..models import (
    Activity,
    FundingLine,
    Implementer,
    IntegratedProgramme,
    MonitoringPlan,
    Programme,
    ProgrammeAmount,
)
from . import serializers as s

NOT_FOUND = OpenApiResponse(description="Not found, or outside the caller's area or role.")


class _Can(permissions.BasePermission):
    caps: tuple[str, ...] = ()

    def has_permission(self, request, view):
        return any(user_can(request.user, cap) for cap in self.caps)


class CanReadCatalogue(_Can):
    caps = (PCap.CATALOGUE_VIEW,)


class CanReadIntegrated(_Can):
    caps = (PCap.INTEGRATED_VIEW, PCap.FOCAL_POINT)


@extend_schema_view(
    list=extend_schema(
        summary="The programme catalogue",
        description="National programmes and the local ones of the caller's area, with their "
        "amounts (each with its validity dates; `unconfirmed` marks figures not confirmed by "
        "an official source). Filters: `q` (code or name), `benefit_type`, `level`, `status`.",
    ),
    retrieve=extend_schema(
        summary="One programme, by its code", responses={200: s.ProgrammeSerializer, 404: NOT_FOUND}
    ),
)
class ProgrammeViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated, CanReadCatalogue]
    serializer_class = s.ProgrammeSerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Z0-9][A-Z0-9-]*"
    filterset_class = ProgrammeFilterSet

    def get_queryset(self):
        return (
            Programme.objects.visible_to(self.request.user)
            .select_related("owner")
            .prefetch_related(
                Prefetch(
                    "amounts", queryset=ProgrammeAmount.objects.order_by("component", "valid_from")
                )
            )
        )


@extend_schema_view(
    list=extend_schema(
        summary="Integrated programmes the caller sees",
        description="The coordinator and the head of office: every programme of their area; an "
        "implementer's focal point: the programmes it implements. Filters: `q`, `status`.",
        responses={200: s.IntegratedListSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="One integrated programme",
        description="With the implementers and activities, funding lines (with date warnings) and "
        "targets against realisation that the caller may see: a focal point gets its own part "
        "only.",
        responses={200: s.IntegratedDetailSerializer, 404: NOT_FOUND},
    ),
)
class IntegratedProgrammeViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated, CanReadIntegrated]
    serializer_class = s.IntegratedListSerializer
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    filterset_class = IntegratedProgrammeFilterSet

    def get_queryset(self):
        return IntegratedProgramme.objects.visible_to(self.request.user).select_related(
            "coordinator"
        )

    def retrieve(self, request, *args, **kwargs):
        programme = self.get_object()
        user = request.user
        activities = Activity.objects.visible_to(user).filter(implementer__programme=programme)
        counted = activities.annotate(
            n_participants=Count("participants"),
            n_present=Count("participants", filter=Q(participants__attendance="hadir")),
        )
        implementers = (
            Implementer.objects.visible_to(user)
            .filter(programme=programme)
            .select_related("organisation", "catalogue_programme")
            .prefetch_related(Prefetch("activities", queryset=counted))
        )
        lines = FundingLine.objects.visible_to(user).filter(programme=programme)
        warned: dict[int, list[str]] = {}
        for w in progress.funding_warnings(lines):
            warned.setdefault(w.line.pk, []).append(w.message)
        context = {
            "implementers": implementers,
            "lines": lines.select_related("implementer", "activity").annotate(
                realised_total=Sum("realisations__amount")
            ),
            "warned": warned,
            "plan": MonitoringPlan.objects.visible_to(user).filter(programme=programme),
            "by_implementer": progress.by_implementer(implementers, activities, lines),
            "by_area": progress.by_area(activities),
        }
        return Response(s.IntegratedDetailSerializer(programme, context=context).data)
