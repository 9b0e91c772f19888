"""PPKS conditions and PSKS (people and organisations) over the API."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from pandu.core.access import record_access
from pandu.core.api import (
    IF_MATCH,
    PRECONDITION_FAILED,
    PRECONDITION_REQUIRED,
    seen_from_if_match,
    with_etag,
)
from pandu.core.models import AccessLog

from ... import actions
from ...filtersets import PPKSAssignmentFilterSet, PSKSOrganisationFilterSet, PSKSPersonFilterSet
from ...models import PPKSAssignment, PSKSOrganisation, PSKSPerson
from .. import serializers as s
from ._common import BAD_INPUT, FORBIDDEN, NOT_FOUND, RegistryViewSet


@extend_schema_view(
    list=extend_schema(
        summary="List PPKS records in the caller's area",
        description="Need-to-know categories appear only for roles allowed to see them.",
    ),
    create=extend_schema(
        summary="Record a PPKS condition for a person or a household",
        request=s.PPKSAssignmentCreateSerializer,
        responses={201: s.PPKSAssignmentSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    ),
)
class PPKSAssignmentViewSet(mixins.ListModelMixin, RegistryViewSet):
    """PPKS: a person or household recorded as needing welfare services in one category."""

    serializer_class = s.PPKSAssignmentSerializer
    filterset_class = PPKSAssignmentFilterSet

    def get_queryset(self):
        if self.is_schema_request():
            return PPKSAssignment.objects.none()
        return PPKSAssignment.objects.visible_to(self.request.user).select_related(
            "category", "person", "household", "verified_by"
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        sensitive = sum(1 for a in page if a.category.sensitive)
        if sensitive:
            detail = f"ppks list: {sensitive} sensitive record(s)"
            record_access(request, AccessLog.Kind.VIEW_SENSITIVE, None, detail=detail)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, *args, **kwargs):
        ser = s.PPKSAssignmentCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        ser.is_valid(raise_exception=True)
        assignment = actions.assign_ppks(request.user, **ser.validated_data)
        fresh = self.get_queryset().get(pk=assignment.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="List PSKS organisations in the caller's area"),
    retrieve=extend_schema(
        summary="One PSKS organisation",
        responses={200: s.PSKSOrganisationSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Register a PSKS organisation",
        responses={201: s.PSKSOrganisationSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Change a PSKS organisation",
        description="Send the `ETag` of the organisation as read in `If-Match` (docs/api.md).",
        parameters=[IF_MATCH],
        responses={
            200: s.PSKSOrganisationSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    ),
)
class PSKSOrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    RegistryViewSet,
):
    """PSKS organisations: LKS, Karang Taruna, LK3, WKSBM and businesses doing welfare work."""

    serializer_class = s.PSKSOrganisationSerializer
    filterset_class = PSKSOrganisationFilterSet

    def get_queryset(self):
        if self.is_schema_request():
            return PSKSOrganisation.objects.none()
        return PSKSOrganisation.objects.visible_to(self.request.user).select_related("psks_type")

    def retrieve(self, request, *args, **kwargs):
        org = self.get_object()
        return with_etag(Response(self.get_serializer(org).data), org)

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        org = actions.register_psks_organisation(
            request.user,
            psks_type=data.pop("psks_type"),
            area=data.pop("area"),
            reason=data.pop("reason", ""),
            **data,
        )
        fresh = self.get_queryset().get(pk=org.pk)
        response = Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
        return with_etag(response, fresh)

    def partial_update(self, request, *args, **kwargs):
        org = self.get_object()
        seen = seen_from_if_match(request)
        ser = self.get_serializer(org, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        changes = dict(ser.validated_data)
        reason = changes.pop("reason", "")
        actions.update_psks_organisation(request.user, org, changes, reason=reason, seen=seen)
        fresh = self.get_queryset().get(pk=org.pk)
        return with_etag(Response(self.get_serializer(fresh).data), fresh)


@extend_schema_view(
    list=extend_schema(summary="List PSKS people (TKSK, PSM, Tagana, ...) in the caller's area"),
    create=extend_schema(
        summary="Register a person as PSKS",
        responses={201: s.PSKSPersonSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    ),
)
class PSKSPersonViewSet(mixins.ListModelMixin, RegistryViewSet):
    """PSKS people: TKSK, PSM, Tagana, social workers and other people serving as resources."""

    serializer_class = s.PSKSPersonSerializer
    filterset_class = PSKSPersonFilterSet

    def get_queryset(self):
        if self.is_schema_request():
            return PSKSPerson.objects.none()
        return PSKSPerson.objects.visible_to(self.request.user).select_related(
            "psks_type", "person"
        )

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        obj = actions.register_psks_person(
            request.user,
            psks_type=data.pop("psks_type"),
            person=data.pop("person"),
            area=data.pop("area"),
            reason=data.pop("reason", ""),
            **data,
        )
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
