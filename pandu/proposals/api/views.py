"""Proposals over the API: batches, items, verification, decisions and handovers.

Every queryset starts from ``visible_to(request.user)``; single records are fetched through
``get_for_user_or_404`` (outside the scope: 404 and an access-log row). Writes only parse the body
and call ``proposals.actions``: a ValidationError becomes a 400, PermissionDenied a 403.
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePosixPath

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from pandu.accounts.roles import Cap
from pandu.core.access import get_for_user_or_404
from pandu.core.api import UID_REGEX, ScopedObjectMixin
from pandu.core.files import private_file_response
from pandu.registry.models import Household, Person, PPKSCategory

from .. import actions
from ..filtersets import BatchFilterSet, ItemFilterSet
from ..models import (
    Handover,
    ItemKind,
    ProposalBatch,
    ProposalItem,
)
from . import serializers as s

NOT_FOUND = OpenApiResponse(description="Not found, or outside the caller's area or role.")
FORBIDDEN = OpenApiResponse(description="The caller's role may not take this step here.")
BAD_INPUT = OpenApiResponse(description="Field errors: `{field: [message, ...]}`.")


class ProposalViewSet(ScopedObjectMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    http_method_names = ["get", "post", "head", "options"]


def _items_qs(user):
    return (
        ProposalItem.objects.visible_to(user)
        .select_related(
            "batch",
            "household",
            "person",
            "created_by",
            "verified_by",
            "decided_by",
            "result_household",
            "result_person",
        )
        .prefetch_related("conflicts_with")
    )


@extend_schema_view(
    list=extend_schema(summary="List proposal batches in the caller's area"),
    retrieve=extend_schema(
        summary="One batch with its items",
        responses={200: s.BatchDetailSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Create a batch for one village meeting (minutes as multipart upload)",
        request={
            "multipart/form-data": s.BatchCreateSerializer,
            "application/json": s.BatchCreateSerializer,
        },
        responses={201: s.BatchDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    ),
)
class BatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProposalViewSet):
    """Usulan: what one village meeting proposed, with its minutes (berita acara)."""

    filterset_class = BatchFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if self.is_schema_request():
            return ProposalBatch.objects.none()
        user = self.request.user
        qs = (
            ProposalBatch.objects.visible_to(user)
            .select_related("village", "created_by")
            .annotate(n_items=Count("items"))
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("items", queryset=_items_qs(user).order_by("id"), to_attr="visible_items")
            )
        return qs

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.BatchDetailSerializer
        return s.BatchSerializer

    def _fresh(self, batch):
        user = self.request.user
        fresh = (
            ProposalBatch.objects.visible_to(user)
            .select_related("village", "created_by")
            .prefetch_related(
                Prefetch("items", queryset=_items_qs(user).order_by("id"), to_attr="visible_items")
            )
            .get(pk=batch.pk)
        )
        return s.BatchDetailSerializer(fresh, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        ser = s.BatchCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        batch = actions.create_batch(
            request.user,
            village=data["village"],
            meeting_date=data["meeting_date"],
            minutes=data.get("minutes"),
            note=data.get("note", ""),
        )
        return Response(self._fresh(batch), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Submit the batch for field verification",
        description="Needs the minutes and at least one item; the batch can no longer change.",
        request=None,
        responses={200: s.BatchDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request, *args, **kwargs):
        batch = actions.submit_batch(request.user, self.get_object())
        return Response(self._fresh(batch))

    @extend_schema(
        summary="Add an item to a draft batch",
        description=(
            "The registry's own rules check the data now (a wrong NIK is a 400 at once). "
            "An item on a person or family with another open item is accepted and flagged in "
            "`warnings` and `conflicts_with`."
        ),
        request=s.ItemCreateSerializer,
        responses={201: s.ItemSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="items", filter_backends=[])
    def add_item(self, request, *args, **kwargs):
        batch = self.get_object()
        ser = s.ItemCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        item = _add_item(request, batch, ser.validated_data)
        fresh = _items_qs(request.user).get(pk=item.pk)
        return Response(
            s.ItemSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Download the minutes (berita acara)",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The uploaded file (PDF, JPG or PNG)."
            ),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def minutes(self, request, *args, **kwargs):
        batch = self.get_object()
        if not batch.minutes:
            raise Http404
        try:
            handle = batch.minutes.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        name = batch.minutes_name or PurePosixPath(batch.minutes.name).name
        return private_file_response(
            handle, filename=name, content_type=batch.minutes_type or "application/octet-stream"
        )


def _subject(request, model, uid):
    if uid is None:
        return None
    return get_for_user_or_404(request, model.objects.visible_to(request.user), uid=uid)


def _date(value, field: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ApiValidationError({field: [_("Tanggal harus berformat YYYY-MM-DD.")]}) from None


def _add_item(request, batch, v) -> ProposalItem:
    user, kind, data, reason = request.user, v["kind"], dict(v["data"]), v.get("reason", "")
    household = _subject(request, Household, v.get("household"))
    person = _subject(request, Person, v.get("person"))
    if kind == ItemKind.HOUSEHOLD_NEW:
        return actions.add_household_item(
            user, batch, household=data["household"], members=data["members"], reason=reason
        )
    if kind == ItemKind.MEMBER_NEW:
        return actions.add_member_item(user, batch, household, data, reason)
    if kind == ItemKind.PERSON_CHANGE:
        return actions.add_person_change_item(user, batch, person, data, reason)
    if kind == ItemKind.HOUSEHOLD_CHANGE:
        return actions.add_household_change_item(user, batch, household, data, reason)
    if kind == ItemKind.DEATH:
        return actions.add_death_item(
            user, batch, person, on=_date(data.get("date"), "data.date"), reason=reason
        )
    if kind == ItemKind.MOVE:
        return actions.add_move_item(
            user,
            batch,
            household,
            village=data.get("village") or "",
            rt=data.get("rt"),  # type: ignore[arg-type]
            rw=data.get("rw"),  # type: ignore[arg-type]
            address=data.get("address", ""),
            reason=reason,
        )
    number = data.get("category")
    category = (
        PPKSCategory.objects.filter(number=number).first() if isinstance(number, int) else None
    )
    if category is None:
        raise ApiValidationError({"data.category": [_("Nomor PPKS tidak dikenal (1-26).")]})
    return actions.add_ppks_item(
        user,
        batch,
        category=category,
        person=person,
        household=household,
        identified_on=_date(data.get("identified_on"), "data.identified_on"),
        note=data.get("note", ""),
        reason=reason,
    )


@extend_schema_view(
    list=extend_schema(summary="List proposal items in the caller's area"),
    retrieve=extend_schema(
        summary="One proposal item", responses={200: s.ItemSerializer, 404: NOT_FOUND}
    ),
)
class ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProposalViewSet):
    """Butir usulan: one proposed change, with its verification and decision."""

    filterset_class = ItemFilterSet
    serializer_class = s.ItemSerializer

    def get_queryset(self):
        if self.is_schema_request():
            return ProposalItem.objects.none()
        return _items_qs(self.request.user)

    def _answer(self, item):
        fresh = _items_qs(self.request.user).get(pk=item.pk)
        return Response(s.ItemSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Record the field verification of an item",
        description=(
            "A result per person (confirmed, not_confirmed, duplicate, deceased, no_documents) "
            "with an optional note and, optionally, where the verifier's phone was (latitude, "
            "longitude, accuracy and the time it was taken; a new verification without them "
            "keeps the position recorded before). A visit photo can be added on the web page."
        ),
        request=s.VerifySerializer,
        responses={200: s.ItemSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def verify(self, request, *args, **kwargs):
        item = self.get_object()
        ser = s.VerifySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        v = ser.validated_data
        item = actions.verify_item(
            request.user,
            item,
            results={k: dict(r) for k, r in v["results"].items()},
            note=v.get("note", ""),
            visited=v.get("visited", True),
            resolutions=v.get("resolutions") or None,
            location=actions.VisitLocation(
                latitude=v.get("latitude"),
                longitude=v.get("longitude"),
                accuracy=v.get("accuracy"),
                taken_at=v.get("located_at"),
            ),
        )
        return self._answer(item)

    @extend_schema(
        summary="Approve (and apply) or reject one item",
        description=(
            "An approved item is applied to the registry at once. If that fails (the data "
            "changed since the proposal, a NIK was registered meanwhile...) the item stays "
            "`approved` with `apply_error` (and `stale` for changed fields) and nothing is "
            "written. A household moving to another regency waits for the destination's "
            "acceptance (see handovers)."
        ),
        request=s.DecideSerializer,
        responses={200: s.ItemSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def decide(self, request, *args, **kwargs):
        item = self.get_object()
        ser = s.DecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        v = ser.validated_data
        item = actions.decide_item(
            request.user,
            item,
            approve=v["decision"] == "approve",
            reason=v.get("reason", ""),
            resolutions=v.get("resolutions") or None,
        )
        return self._answer(item)

    @extend_schema(
        summary="Choose the value to keep where the record changed after the proposal",
        description="An approved item is applied right after (by a decider).",
        request=s.ResolveSerializer,
        responses={200: s.ItemSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def resolve(self, request, *args, **kwargs):
        item = self.get_object()
        ser = s.ResolveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        item = actions.resolve_conflict(request.user, item, ser.validated_data["resolutions"])
        return self._answer(item)

    @extend_schema(
        operation_id="proposals_items_decide_bulk",
        summary="Approve or reject many items at once",
        description=(
            "Each item is decided in its own transaction; items that cannot be decided are "
            "listed in `skipped` with the reason. Unknown or invisible uids are skipped too."
        ),
        request=s.BulkDecideSerializer,
        responses={200: s.BulkResultSerializer, 400: BAD_INPUT},
    )
    @action(detail=False, methods=["post"], url_path="decide", filter_backends=[])
    def decide_bulk(self, request, *args, **kwargs):
        # Like the single-item decision and the web desk: a role that may not decide is refused
        # (403), not answered 200 with every item "skipped".
        if not request.user.can(Cap.DECIDE):
            raise PermissionDenied(_("Anda tidak berwenang melakukan ini di wilayah tersebut."))
        ser = s.BulkDecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        v = ser.validated_data
        wanted = [str(u) for u in v["items"]]
        found = {str(i.uid): i for i in self.get_queryset().filter(uid__in=wanted)}
        approve = v["decision"] == "approve"
        result = actions.decide_items(
            request.user,
            [found[u] for u in wanted if u in found],
            approve=approve,
            reason=v.get("reason", ""),
        )
        skipped = [{"item": str(i.uid), "error": why} for i, why in result.skipped]
        skipped += [
            {"item": u, "error": _("Tidak ditemukan di wilayah Anda.")}
            for u in wanted
            if u not in found
        ]
        return Response(
            {
                "applied": [str(i.uid) for i in result.applied],
                "not_applied": [str(i.uid) for i in result.not_applied],
                "rejected": [str(i.uid) for i in result.decided if not approve],
                "skipped": skipped,
            }
        )


@extend_schema_view(
    list=extend_schema(
        summary="Households moving between regencies: outgoing, and incoming for deciders"
    ),
    retrieve=extend_schema(
        summary="One handover", responses={200: s.HandoverSerializer, 404: NOT_FOUND}
    ),
)
class HandoverViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProposalViewSet):
    """Serah terima: released by the origin regency, accepted (or refused) by the destination."""

    serializer_class = s.HandoverSerializer

    def get_queryset(self):
        if self.is_schema_request():
            return Handover.objects.none()
        return Handover.objects.visible_to(self.request.user).select_related(
            "item", "household", "released_by", "answered_by"
        )

    @extend_schema(
        summary="Accept the household into the destination regency",
        description="The same household row (same KK, same history) gets the new village.",
        request=s.HandoverAnswerSerializer,
        responses={200: s.HandoverSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def accept(self, request, *args, **kwargs):
        ser = s.HandoverAnswerSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        handover = actions.accept_handover(
            request.user, self.get_object(), ser.validated_data.get("note", "")
        )
        return Response(s.HandoverSerializer(self.get_queryset().get(pk=handover.pk)).data)

    @extend_schema(
        summary="Refuse the household (a reason is required)",
        request=s.HandoverAnswerSerializer,
        responses={200: s.HandoverSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def refuse(self, request, *args, **kwargs):
        ser = s.HandoverAnswerSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        handover = actions.refuse_handover(
            request.user, self.get_object(), ser.validated_data.get("note", "")
        )
        return Response(s.HandoverSerializer(self.get_queryset().get(pk=handover.pk)).data)
