"""The personal-data API at ``/api/v1/privacy/``: consents (list, and the consent check other
systems ask before sharing), data subjects' requests and breaches, read only. Lists page by
cursor; a record outside the caller's area or role is the logged 404."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from pandu.accounts.roles import user_can
from pandu.core.access import get_for_user_or_404, require
from pandu.core.api import UID_REGEX, KeysetPagination, ScopedObjectMixin
from pandu.registry.models import Person

from .. import queries
from ..capabilities import PCap
from ..filtersets import BreachFilterSet, ConsentFilterSet, RequestFilterSet
from ..models import Breach, ConsentRecord, SubjectRequest
from . import serializers as s

NOT_FOUND = OpenApiResponse(description="Not found, or outside the caller's area or role.")


class _ReadOnly(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    pagination_class = KeysetPagination


@extend_schema_view(
    list=extend_schema(
        summary="Consents of the people the caller sees",
        description="Filters: `purpose`, `in_force` (true/false), `person` (a person's UUID).",
    ),
    retrieve=extend_schema(
        summary="One consent", responses={200: s.ConsentSerializer, 404: NOT_FOUND}
    ),
)
class ConsentViewSet(_ReadOnly):
    serializer_class = s.ConsentSerializer
    filterset_class = ConsentFilterSet

    def get_queryset(self):
        return ConsentRecord.objects.visible_to(self.request.user).select_related(
            "person", "programme", "organisation"
        )


@extend_schema_view(
    list=extend_schema(
        summary="Data subjects' requests in the caller's area",
        description="Filters: `status`, `kind`, `open`, `overdue`, `mine`, `number`.",
    ),
    retrieve=extend_schema(
        summary="One request", responses={200: s.RequestSerializer, 404: NOT_FOUND}
    ),
)
class RequestViewSet(_ReadOnly):
    serializer_class = s.RequestSerializer
    filterset_class = RequestFilterSet

    def get_queryset(self):
        return SubjectRequest.objects.visible_to(self.request.user).select_related(
            "person", "assignee"
        )


@extend_schema_view(
    list=extend_schema(
        summary="The breach register of the caller's area",
        description="Filters: `status`, `overdue` (notice not sent within 3×24 hours).",
    ),
    retrieve=extend_schema(
        summary="One breach with its notices", responses={200: s.BreachSerializer, 404: NOT_FOUND}
    ),
)
class BreachViewSet(_ReadOnly):
    serializer_class = s.BreachSerializer
    filterset_class = BreachFilterSet

    def get_queryset(self):
        return Breach.objects.visible_to(self.request.user).prefetch_related("notices")


class ConsentCheckView(APIView):
    """``GET /api/v1/privacy/consent-check/?person=<uuid>&purpose=programme&programme=PKH``."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Whether a person's data may be processed for a purpose on consent today",
        description="`consent` is true when a consent for the purpose (and the programme, when "
        "given by its code) is in force and processing is not restricted. A person the caller "
        "does not see is a 404.",
        parameters=[s.ConsentCheckSerializer],
        responses={200: s.ConsentCheckSerializer, 404: NOT_FOUND},
    )
    def get(self, request):
        from pandu.programs.models import Programme

        require(request, user_can(request.user, PCap.VIEW), "role lacks privacy.view")
        ser = s.ConsentCheckSerializer(data=request.query_params)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        person = get_for_user_or_404(
            request, Person.objects.visible_to(request.user), uid=data["person"]
        )
        programme = None
        if data.get("programme"):
            programme = get_for_user_or_404(
                request, Programme.objects.visible_to(request.user), code__iexact=data["programme"]
            )
        return Response(
            {
                "person": person.uid,
                "purpose": data["purpose"],
                "programme": data.get("programme", ""),
                "consent": queries.has_consent(person, data["purpose"], programme=programme),
                "restricted": queries.is_restricted(person),
            }
        )
