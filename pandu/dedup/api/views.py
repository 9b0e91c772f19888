"""Review queue over the API: list and read pairs, confirm (merge) or dismiss, undo a merge.

Pairs are visible when both people are inside the caller's area and the caller's role reviews
duplicates; anything else is a 404 written to the access log (never a 403 that confirms it).
The pair list is narrowed by the review page's FilterSet (``dedup/filtersets.py``); a filter value
it cannot read is a 400.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from pandu.core.api import UID_REGEX, KeysetPagination, ScopedObjectMixin

from .. import actions
from ..filtersets import PairFilterSet
from ..models import DuplicatePair, Merge
from . import serializers as s

NOT_FOUND = OpenApiResponse(description="Not found, or outside the caller's area or role.")
BAD_INPUT = OpenApiResponse(description="Field errors: `{field: [message, ...]}`.")


class _Base(ScopedObjectMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    pagination_class = KeysetPagination
    http_method_names = ["get", "post", "head", "options"]


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None


@extend_schema_view(
    list=extend_schema(
        summary="Candidate duplicate pairs in the caller's area",
        description="Most probable first. Open pairs whose two records are still active unless "
        "`status` says otherwise (`status=` empty: every status). `area` narrows to an area code "
        "prefix, `min_probability` (0 to 1) to pairs at least that probable.",
    ),
    retrieve=extend_schema(
        summary="One pair with both records and the evidence",
        responses={200: s.PairSerializer, 404: NOT_FOUND},
    ),
)
class PairViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    serializer_class = s.PairSerializer
    filterset_class = PairFilterSet

    class Pagination(KeysetPagination):
        ordering = ("-probability", "id")  # type: ignore[assignment]

    pagination_class = Pagination

    def get_queryset(self):
        if self.is_schema_request():
            return DuplicatePair.objects.none()
        return DuplicatePair.objects.visible_to(self.request.user).select_related(
            "person_a", "person_b", "decided_by", "run"
        )

    @extend_schema(
        summary="Confirm: the two are one person; merge them",
        request=s.ConfirmSerializer,
        responses={201: s.MergeSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, uid=None):
        pair = self.get_object()
        ser = s.ConfirmSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        survivor = None
        if ser.validated_data.get("survivor"):
            survivor = next(
                (
                    p
                    for p in (pair.person_a, pair.person_b)
                    if p.uid == ser.validated_data["survivor"]
                ),
                None,
            )
            if survivor is None:
                raise ValidationError({"survivor": ["Must be person_a or person_b of this pair."]})
        merge = _call(
            actions.confirm_pair,
            request.user,
            pair,
            reason=ser.validated_data["reason"],
            survivor=survivor,
        )
        return Response(s.MergeSerializer(merge).data, status=201)

    @extend_schema(
        summary="Dismiss: two different people",
        request=s.ReasonSerializer,
        responses={200: s.PairSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request, uid=None):
        pair = self.get_object()
        ser = s.ReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        pair = _call(actions.dismiss_pair, request.user, pair, reason=ser.validated_data["reason"])
        return Response(s.PairSerializer(pair).data)


@extend_schema_view(
    list=extend_schema(summary="Merges of people in the caller's area, newest first"),
    retrieve=extend_schema(
        summary="One merge: what moved", responses={200: s.MergeSerializer, 404: NOT_FOUND}
    ),
)
class MergeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    serializer_class = s.MergeSerializer

    def get_queryset(self):
        if self.is_schema_request():
            return Merge.objects.none()
        return Merge.objects.visible_to(self.request.user).select_related(
            "survivor", "merged", "merged_by", "undone_by", "pair"
        )

    @extend_schema(
        summary="Undo a merge: links move back, the merged record is active again",
        request=s.ReasonSerializer,
        responses={200: s.MergeSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def undo(self, request, uid=None):
        merge = self.get_object()
        ser = s.ReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        merge = _call(actions.undo_merge, request.user, merge, reason=ser.validated_data["reason"])
        return Response(s.MergeSerializer(merge).data)
