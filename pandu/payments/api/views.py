"""Payments over the API: cycles (list, detail, compute as a background job, approval by step),
entitlements (list, detail with payments), reconciliation imports (list, detail with the
rejected rows, upload). Outside the caller's area or role: a logged 404."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from pandu.core.access import deny, require
from pandu.core.api import UID_REGEX, KeysetPagination, ScopedObjectMixin
from pandu.core.jobs import TooManyJobs, enqueue

from .. import actions
from ..capabilities import PayCap
from ..choices import CycleStatus
from ..filtersets import CycleFilterSet, EntitlementFilterSet
from ..forms import RECONCILIATION_UPLOAD
from ..models import Cycle, Entitlement, ReconciliationImport
from . import serializers as s

NOT_FOUND = OpenApiResponse(description="Not found, or outside the caller's area or role.")
BAD_INPUT = OpenApiResponse(description="Field errors: `{field: [message, ...]}`.")


def _errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"non_field_errors": exc.messages}


@extend_schema_view(
    list=extend_schema(
        summary="Payment cycles the caller sees, newest first",
        description="Filters: `programme` (code), `status`, `year`.",
    ),
    retrieve=extend_schema(
        summary="One cycle with its figures (KPM, amount, paid, failed, returned)",
        responses={200: s.CycleSerializer, 404: NOT_FOUND},
    ),
)
class CycleViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.CycleSerializer
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    pagination_class = KeysetPagination
    filterset_class = CycleFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if self.is_schema_request():
            return Cycle.objects.none()
        return Cycle.objects.visible_to(self.request.user).select_related(
            "programme", "dinas_by", "head_by"
        )

    def _manageable(self, action_name: str) -> Cycle:
        """The cycle, if the caller may ``action_name`` it (else the logged 404)."""
        cycle = self.get_object()
        if not Cycle.objects.restrict(self.request.user, action_name).filter(pk=cycle.pk).exists():
            deny(self.request, f"payments api: {action_name} refused", cycle)
        return cycle

    @extend_schema(
        summary="Compute the cycle's entitlements (a background job)",
        description="Until the Dinas approves, as often as needed; poll the cycle (or the "
        "job) until `status` is `dihitung`.",
        request=None,
        responses={202: s.CycleSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def compute(self, request, uid=None):
        require(request, PayCap.MANAGE)
        cycle = self._manageable("manage")
        if cycle.frozen or cycle.status == CycleStatus.DINAS:
            raise ValidationError(
                {"non_field_errors": ["Siklus ini sudah disetujui; tidak dihitung ulang."]}
            )
        try:
            enqueue(
                "payments.compute",
                user=request.user,
                params={"cycle": cycle.pk},
                area_code=cycle.area_id,
                title=f"Hitung hak {cycle.name}",
            )
        except TooManyJobs as exc:
            raise Throttled(detail=exc.messages[0]) from None
        return Response(s.CycleSerializer(cycle).data, status=202)

    @extend_schema(
        summary="Approve the cycle: the Dinas's step, then the head's",
        description="`step` dinas needs the Dinas's right, kepala the head's. A cycle approved "
        "twice, or the head's step before the Dinas's, is a 400 saying why.",
        request=s.ApproveSerializer,
        responses={200: s.CycleSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, uid=None):
        if not (request.user.can(PayCap.APPROVE_DINAS) or request.user.can(PayCap.APPROVE_HEAD)):
            deny(request, "payments api: approve")
        ser = s.ApproveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        step = ser.validated_data["step"]
        name, cap, run = (
            ("approve_dinas", PayCap.APPROVE_DINAS, actions.approve_cycle_dinas)
            if step == "dinas"
            else ("approve_head", PayCap.APPROVE_HEAD, actions.approve_cycle_head)
        )
        require(request, cap)
        cycle = self._manageable(name)
        try:
            cycle = run(request.user, cycle, ser.validated_data.get("note", ""))
        except DjangoValidationError as exc:
            raise ValidationError(_errors(exc)) from None
        except DjangoPermissionDenied:
            deny(request, "payments api: approve refused", cycle)
        return Response(s.CycleSerializer(cycle).data)


@extend_schema_view(
    list=extend_schema(
        summary="Entitlements the caller sees",
        description="Filters: `cycle` (UUID), `status`, `channel`, `area` (a code prefix), `kk`.",
    ),
    retrieve=extend_schema(
        summary="One entitlement with its components and payments",
        responses={200: s.EntitlementDetailSerializer, 404: NOT_FOUND},
    ),
)
class EntitlementViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.EntitlementSerializer
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    pagination_class = KeysetPagination
    filterset_class = EntitlementFilterSet

    def get_queryset(self):
        if self.is_schema_request():
            return Entitlement.objects.none()
        rows = Entitlement.objects.visible_to(self.request.user).select_related(
            "cycle", "household", "organisation", "retry_in"
        )
        if self.action == "retrieve":
            rows = rows.prefetch_related("payments")
        return rows

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.EntitlementDetailSerializer
        return s.EntitlementSerializer


@extend_schema_view(
    list=extend_schema(summary="Reconciliation imports the caller sees, newest first"),
    retrieve=extend_schema(
        summary="One import: rows read, recorded, already recorded, rejected (with reasons)",
        responses={200: s.ReconciliationDetailSerializer, 404: NOT_FOUND},
    ),
)
class ReconciliationViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.ReconciliationSerializer
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    pagination_class = KeysetPagination
    parser_classes = [MultiPartParser]  # the upload; the rest are GETs
    upload_max_bytes = "PANDU_IMPORT_MAX_BYTES"  # see pandu.core.uploads.UploadLimitMiddleware

    def get_queryset(self):
        if self.is_schema_request():
            return ReconciliationImport.objects.none()
        return ReconciliationImport.objects.visible_to(self.request.user).select_related("job")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.ReconciliationDetailSerializer
        return s.ReconciliationSerializer

    @extend_schema(
        summary="Upload a reconciliation file (paid / failed / returned rows) and import it",
        description="The layout of docs/payments.md. Imported by a background job: follow the "
        "import (or its job) until `status` is `selesai`; `rejected_rows` then names each "
        "rejected row and why. Re-importing the same file records nothing new.",
        request={"multipart/form-data": s.UploadSerializer},
        responses={202: s.ReconciliationSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def create(self, request):
        require(request, PayCap.MANAGE)
        ser = s.UploadSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        upload = ser.validated_data["file"]
        try:
            RECONCILIATION_UPLOAD(upload)
        except DjangoValidationError as exc:
            raise ValidationError({"file": exc.messages}) from None
        with tempfile.TemporaryDirectory() as folder:
            local = Path(folder) / "upload"
            with local.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                batch = actions.start_reconciliation(
                    request.user, local, file_name=upload.name, background=True
                )
            except TooManyJobs as exc:
                raise Throttled(detail=exc.messages[0]) from None
            except DjangoPermissionDenied:
                deny(request, "payments api: reconciliation refused")
        return Response(s.ReconciliationSerializer(batch).data, status=202)
