"""Households over the API: list, read, create, change, members."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
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
from ...filtersets import HouseholdFilterSet
from ...models import Household, Person
from .. import serializers as s
from ._common import (
    BAD_INPUT,
    FORBIDDEN,
    NOT_FOUND,
    HistoryMixin,
    RegistryViewSet,
    _has_sensitive,
    _member_errors_as_list,
    visible_ppks,
)


@extend_schema_view(
    list=extend_schema(
        summary="List households in the caller's area",
        description="Newest first, keyset pages. `?kk=` and `?nik=` find one family.",
    ),
    retrieve=extend_schema(
        summary="One household with its members and PPKS",
        responses={200: s.HouseholdDetailSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Register a household (family card) with its members",
        description=(
            "Exactly one member must be the head (relationship 1). Errors per member are in "
            "`member_errors`, a list in the order of `members` (`{}` for a member without errors)."
        ),
        request=s.HouseholdCreateSerializer,
        responses={201: s.HouseholdDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Change household fields (the reason is kept in the history)",
        description="Send the `ETag` of the household as read in `If-Match` (see docs/api.md).",
        request=s.HouseholdUpdateSerializer,
        parameters=[IF_MATCH],
        responses={
            200: s.HouseholdDetailSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    ),
)
class HouseholdViewSet(
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    RegistryViewSet,
):
    """Households (keluarga): the people on one family card (KK), at one address."""

    filterset_class = HouseholdFilterSet

    def get_queryset(self):
        if self.is_schema_request():
            return Household.objects.none()
        user = self.request.user
        qs = Household.objects.visible_to(user).select_related("village")
        if self.action in ("retrieve", "partial_update", "create"):
            members = (
                Person.objects.visible_to(user)
                .order_by("relationship", "id")
                .prefetch_related(visible_ppks(user))
            )
            qs = qs.prefetch_related(
                Prefetch("members", queryset=members, to_attr="visible_members"),
                visible_ppks(user),
            )
        return qs

    def get_serializer_class(self):
        if self.action == "list":
            return s.HouseholdListSerializer
        return s.HouseholdDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        household = self.get_object()
        if _has_sensitive(household, *household.visible_members):
            record_access(request, AccessLog.Kind.VIEW_SENSITIVE, household)
        return with_etag(Response(self.get_serializer(household).data), household)

    def create(self, request, *args, **kwargs):
        ser = s.HouseholdCreateSerializer(data=request.data, context=self.get_serializer_context())
        if not ser.is_valid():
            raise ApiValidationError(_member_errors_as_list(ser.errors, request.data))
        data = dict(ser.validated_data)
        members = [dict(m) for m in data.pop("members")]
        reason = data.pop("reason", "")
        household = actions.register_household(
            request.user, household=data, members=members, reason=reason
        )
        fresh = self.get_queryset().get(pk=household.pk)
        response = Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
        return with_etag(response, fresh)

    def partial_update(self, request, *args, **kwargs):
        household = self.get_object()
        seen = seen_from_if_match(request)
        ser = s.HouseholdUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        ser.is_valid(raise_exception=True)
        changes = dict(ser.validated_data)
        reason = changes.pop("reason", "")
        actions.update_household(request.user, household, changes, reason=reason, seen=seen)
        fresh = self.get_queryset().get(pk=household.pk)
        return with_etag(Response(self.get_serializer(fresh).data), fresh)
