"""Import and export over the API.

``POST imports/`` takes a file (multipart), recognises the columns (or uses a saved mapping, or
``columns``) and queues the import job; ``GET imports/{uid}/`` reports its status and counts
(``uid`` is the import's or its job's). ``GET exports/persons/`` and ``exports/households/``
stream CSV with the list endpoints' filters; ``POST exports/`` runs a (large or XLSX) export in
the background.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import Throttled
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from pandu.core.access import deny, get_for_user_or_404
from pandu.core.jobs import TooManyJobs, enqueue
from pandu.core.models import Job
from pandu.registry.filtersets import HouseholdFilterSet, PersonFilterSet

from .. import actions
from ..exporter import filtered_people
from ..layout import normalise_header
from ..models import ImportBatch
from ..permissions import can_export, can_import
from ..queries import imports_visible_to, mappings_for
from ..views import stream_csv
from . import serializers as s

NOT_FOUND = OpenApiResponse(description="Not found, or outside the caller's area or role.")


def _filter_parameters(filterset) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(name, OpenApiTypes.STR, description=str(f.label or name))
        for name, f in filterset.base_filters.items()
    ]


class ImportListView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser]
    upload_max_bytes = "PANDU_IMPORT_MAX_BYTES"  # see pandu.core.uploads.UploadLimitMiddleware

    @extend_schema(
        operation_id="exchange_import_create",
        summary="Upload a CSV/XLSX file of people and start importing it",
        description=(
            "One row per person in the layout of docs/import-format.md (other header names are "
            "recognised, or give `mapping` / `columns`). Rows are upserted by NIK in the "
            "background; follow the job, then `GET imports/{uid}/`. For admins (inside their "
            "area) and village operators (their village only). A workbook is checked for the "
            "size its sheets declare (a 400 when too big) and read by a background job, never "
            "in the request: `job` is then that reading job, the import's status is `reading` "
            "until the import is queued, and columns that turn out missing fail the import "
            "with the reason in `message`."
        ),
        request={"multipart/form-data": s.ImportUploadSerializer},
        responses={
            202: s.ImportStartedSerializer,
            400: OpenApiResponse(
                description="The file cannot be read, or required columns are missing."
            ),
            404: OpenApiResponse(description="The caller's role may not import."),
        },
    )
    def post(self, request, *args, **kwargs):
        user = request.user
        if not can_import(user):
            deny(request, "exchange: api import")
        ser = s.ImportUploadSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        mapping = None
        if data.get("mapping"):
            mapping = mappings_for(user).filter(name=data["mapping"]).first()
            if mapping is None:
                raise ApiValidationError({"mapping": ["No saved mapping with this name."]})
        upload = data["file"]
        with tempfile.TemporaryDirectory() as folder:
            local = Path(folder) / "upload"
            with local.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                batch = actions.create_import(
                    user,
                    source=local,
                    file_name=upload.name,
                    copy=True,
                    sheet=data.get("sheet") or "",
                    mapping=mapping,
                    background=True,
                    columns=data.get("columns") or {},
                )
            except PermissionDenied:
                deny(request, "exchange: api import refused")
            except TooManyJobs as exc:
                raise Throttled(detail=exc.messages[0]) from None
        if batch.status == ImportBatch.Status.FAILED:
            raise ApiValidationError({"file": [batch.message], "import_uid": str(batch.uid)})
        if batch.status == ImportBatch.Status.READING:
            assert batch.job is not None
            return _started(batch.job, batch)
        columns = dict(batch.mapping)
        for name, value in (data.get("columns") or {}).items():
            columns[name] = _column_index(batch, value)
        try:
            job = actions.start_import(user, batch, columns)
        except TooManyJobs as exc:
            raise Throttled(detail=exc.messages[0]) from None
        except ValidationError as exc:
            raise ApiValidationError(
                {"columns": exc.messages, "headers": batch.headers, "import_uid": str(batch.uid)}
            ) from None
        return _started(job, batch)


def _started(job: Job, batch: ImportBatch) -> Response:
    return Response(
        {
            "job": str(job.uid),
            "import_uid": str(batch.uid),
            "status_url": reverse("exchange-api:import-detail", kwargs={"uid": batch.uid}),
        },
        status=status.HTTP_202_ACCEPTED,
    )


def _column_index(batch: ImportBatch, value) -> int | None:
    if isinstance(value, int):
        return value
    wanted = normalise_header(value)
    for i, header in enumerate(batch.headers):
        if normalise_header(header) == wanted:
            return i
    raise ApiValidationError({"columns": [f"No column named {value!r} in the file."]})


class ImportDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="exchange_import_retrieve",
        summary="Status and counts of an import (by the import's uid or its job's uid)",
        responses={200: s.ImportSerializer, 404: NOT_FOUND},
    )
    def get(self, request, uid, *args, **kwargs):
        kinds = (actions.IMPORT_JOB, actions.READ_JOB)
        job = Job.objects.filter(uid=uid, kind__in=kinds).only("params").first()
        key = Q(uid=uid)
        if job is not None and job.params.get("batch"):
            key |= Q(uid=job.params["batch"])
        batch = get_for_user_or_404(request, imports_visible_to(request.user), key)
        batch.sync_with_job()
        return Response(s.ImportSerializer(batch).data)


class _ExportView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    kind = "persons"

    def get(self, request, *args, **kwargs):
        user = request.user
        if not can_export(user):
            deny(request, "exchange: api export")
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        people, fs = filtered_people(user, self.kind, params)
        if not fs.is_valid():
            raise ApiValidationError(fs.errors)
        return stream_csv(request, user, self.kind, params, people)


_PERSONS_SCHEMA = extend_schema(
    operation_id="exchange_export_persons",
    summary="People as CSV in the import layout (streamed), filtered like /persons/",
    parameters=_filter_parameters(PersonFilterSet),
    responses={
        (200, "text/csv"): OpenApiTypes.BINARY,
        400: OpenApiResponse(description="Bad filter."),
    },
)


class PersonExportView(_ExportView):
    kind = "persons"

    @_PERSONS_SCHEMA
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


_HOUSEHOLDS_SCHEMA = extend_schema(
    operation_id="exchange_export_households",
    summary="Active members of the filtered households as CSV in the import layout (streamed)",
    parameters=_filter_parameters(HouseholdFilterSet),
    responses={
        (200, "text/csv"): OpenApiTypes.BINARY,
        400: OpenApiResponse(description="Bad filter."),
    },
)


class HouseholdExportView(_ExportView):
    kind = "households"

    @_HOUSEHOLDS_SCHEMA
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ExportJobView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="exchange_export_create",
        summary="Export in the background (XLSX or very large CSV); download from the job",
        request=s.ExportRequestSerializer,
        responses={202: s.ExportStartedSerializer, 400: OpenApiResponse(description="Bad filter.")},
    )
    def post(self, request, *args, **kwargs):
        user = request.user
        if not can_export(user):
            deny(request, "exchange: api export")
        ser = s.ExportRequestSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        filters = data.get("filters") or {}
        _people, fs = filtered_people(user, data["kind"], filters)
        if not fs.is_valid():
            raise ApiValidationError({"filters": fs.errors})
        try:
            job = enqueue(
                actions.EXPORT_JOB,
                user=user,
                params={"kind": data["kind"], "format": data["format"], "filters": filters},
                area_code=user.scope_code or "",
                title=f"Ekspor {data['kind']} ({data['format']})",
            )
        except TooManyJobs as exc:
            raise Throttled(detail=exc.messages[0]) from None
        return Response(
            {"job": str(job.uid), "job_url": reverse("core:job_detail", kwargs={"uid": job.uid})},
            status=status.HTTP_202_ACCEPTED,
        )
