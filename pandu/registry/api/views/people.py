"""People over the API: list, read, change, status."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
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
from ...filtersets import PersonFilterSet
from ...models import Person
from ...nik import check_kk, check_nik
from .. import serializers as s
from ._common import (
    BAD_INPUT,
    FORBIDDEN,
    NOT_FOUND,
    HistoryMixin,
    RegistryViewSet,
    _has_sensitive,
    _log_sensitive_list,
    visible_ppks,
)


@extend_schema_view(
    list=extend_schema(
        summary="List people in the caller's area",
        description=(
            "Newest first, keyset pages. `?nik=` is an exact, indexed lookup; prefer "
            "`POST persons/search/` to keep NIKs out of URLs and proxy logs."
        ),
    ),
    retrieve=extend_schema(
        summary="One person", responses={200: s.PersonDetailSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="Add a person to an existing household",
        request=s.PersonCreateSerializer,
        responses={201: s.PersonDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Correct a person's data (the reason is kept in the history)",
        description="Send the `ETag` of the person as read in `If-Match` (see docs/api.md).",
        request=s.PersonUpdateSerializer,
        parameters=[IF_MATCH],
        responses={
            200: s.PersonDetailSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    ),
)
class PersonViewSet(
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    RegistryViewSet,
):
    """People (penduduk), keyed by NIK, each in at most one current household."""

    filterset_class = PersonFilterSet
    # change_person_status names its fields after the model; the API body says date/reason.
    error_field_names = {"status_date": "date", "status_reason": "reason"}

    def get_queryset(self):
        if self.is_schema_request():
            return Person.objects.none()
        user = self.request.user
        qs = Person.objects.visible_to(user)
        if self.action != "history":
            qs = qs.select_related("household__village").prefetch_related(visible_ppks(user))
        return qs

    def get_serializer_class(self):
        if self.action in ("list", "search"):
            return s.PersonListSerializer
        return s.PersonDetailSerializer

    def list(self, request, *args, **kwargs):
        return self._page(self.filter_queryset(self.get_queryset()))

    def _page(self, qs):
        page = self.paginate_queryset(qs)
        _log_sensitive_list(self.request, page, "person")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        if _has_sensitive(person):
            record_access(request, AccessLog.Kind.VIEW_SENSITIVE, person)
        return with_etag(Response(self.get_serializer(person).data), person)

    def _fresh(self, person):
        return self.get_queryset().get(pk=person.pk)

    def create(self, request, *args, **kwargs):
        ser = s.PersonCreateSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        household = data.pop("household")
        reason = data.pop("reason", "")
        person = self._fresh(actions.add_member(request.user, household, data, reason=reason))
        response = Response(self.get_serializer(person).data, status=status.HTTP_201_CREATED)
        return with_etag(response, person)

    def partial_update(self, request, *args, **kwargs):
        person = self.get_object()
        seen = seen_from_if_match(request)
        ser = s.PersonUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        ser.is_valid(raise_exception=True)
        changes = dict(ser.validated_data)
        reason = changes.pop("reason", "")
        person = actions.update_person(request.user, person, changes, reason=reason, seen=seen)
        person = self._fresh(person)
        return with_etag(Response(self.get_serializer(person).data), person)

    @extend_schema(
        summary="Change a person's status: active, moved or deceased (with date and reason)",
        description="People are never deleted; a record ends with a status change.",
        request=s.PersonStatusSerializer,
        responses={200: s.PersonDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="status", filter_backends=[])
    def change_status(self, request, *args, **kwargs):
        person = self.get_object()
        ser = s.PersonStatusSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        person = actions.change_person_status(
            request.user, person, status=data["status"], on=data["date"], reason=data["reason"]
        )
        person = self._fresh(person)
        return with_etag(Response(self.get_serializer(person).data), person)

    @extend_schema(
        summary="Find people by NIK or KK number sent in the body",
        description=(
            'Same answer as the list, without the number in the URL. `{"nik": ...}` finds one '
            'person, `{"kk": ...}` every member of that family card. A malformed number is a '
            "400 that says what is wrong. For a next page, POST the same body to the `next` URL."
        ),
        request=s.PersonSearchSerializer,
        responses={200: s.PersonListSerializer(many=True), 400: BAD_INPUT},
        filters=False,
    )
    @action(detail=False, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def search(self, request, *args, **kwargs):
        ser = s.PersonSearchSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        field, checker = ("nik", check_nik) if ser.validated_data.get("nik") else ("kk", check_kk)
        result = checker(ser.validated_data[field])
        if not result.valid:
            raise ApiValidationError({field: [i.message for i in result.errors]})
        qs = PersonFilterSet(
            data={field: result.value}, queryset=self.get_queryset(), request=request
        ).qs
        return self._page(qs)
