"""The targeting-accuracy report over the API, read only: ``/api/v1/programmes/accuracy/`` gives
the findings of a programme's KPM for an area and a period (each area one level down too), and
``/api/v1/programmes/accuracy/{finding}/`` the families of one finding with their reasons, in
keyset pages. Same parameters, scope and role as the page (``ENROLMENT_VIEW``; an area outside
the caller's is a 404)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from pandu.core.access import deny

from .. import accuracy
from ..forms import accuracy_subject
from ..models import Enrolment
from .enrolment import CanReadEnrolments

NOT_FOUND = OpenApiResponse(description="Not found, or outside the caller's area or role.")
BAD_INPUT = OpenApiResponse(description="Field errors: `{field: [message, ...]}`.")
PARAMETERS = [
    OpenApiParameter("programme", OpenApiTypes.STR, required=True, description="Programme code"),
    OpenApiParameter(
        "area",
        OpenApiTypes.STR,
        description="Area code of any level inside the caller's area (default: the caller's)",
    ),
    OpenApiParameter(
        "start", OpenApiTypes.DATE, description="First day of the period (default: the quarter's)"
    ),
    OpenApiParameter(
        "end", OpenApiTypes.DATE, description="Last day of the period (default: the quarter's)"
    ),
    OpenApiParameter(
        "cycle",
        OpenApiTypes.UUID,
        description="A payment cycle instead of programme and period: its programme, area and "
        "period, and its families as the KPM",
    ),
]
FINDING = OpenApiParameter(
    "finding",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=[f.key for f in accuracy.FIGURES],
    description="The finding: " + ", ".join(f.key for f in accuracy.FIGURES),
)


def subject_of(request) -> accuracy.Subject:
    form, subject = accuracy_subject(request, request.query_params)
    if subject is None:
        errors = form.errors or {"programme": [_("Pilih program.")]}
        raise ValidationError({k: [str(e) for e in v] for k, v in errors.items()})
    return subject


class AccuracyFindingSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    definition = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="Percent of the KPM (of eligible)")


class AccuracyAreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kpm = serializers.IntegerField()
    flagged = serializers.IntegerField(help_text="KPM with at least one finding")
    eligible = serializers.IntegerField(help_text="Families eligible in the deciding runs")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="By finding")


class AccuracyReportSerializer(AccuracyAreaSerializer):
    programme = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    findings = AccuracyFindingSerializer(many=True)
    areas = AccuracyAreaSerializer(many=True, help_text="The areas one level down")
    runs = serializers.ListField(child=serializers.UUIDField(), help_text="Deciding runs")


class AccuracyFamilySerializer(serializers.Serializer):
    household = serializers.UUIDField(source="household_uid")
    kk_number = serializers.CharField()
    head = serializers.CharField()
    village = serializers.CharField()
    village_name = serializers.CharField()
    recipient = serializers.CharField()
    enrolment = serializers.UUIDField(source="enrolment_uid", allow_null=True)
    since = serializers.DateField(allow_null=True, help_text="KPM since")
    reason = serializers.CharField()


def _counts(row: accuracy.Row) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "kpm": row.kpm,
        "flagged": row.flagged,
        "eligible": row.eligible,
        "counts": dict(row.counts),
    }


class AccuracyReportView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanReadEnrolments]

    @extend_schema(
        summary="Targeting accuracy of a programme in an area and period",
        description="Each finding counted for the area and each area one level down; "
        "docs/targeting.md defines them.",
        parameters=PARAMETERS,
        responses={200: AccuracyReportSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def get(self, request):
        subject = subject_of(request)
        report = accuracy.compute(subject)
        body = _counts(report.total)
        body.update(
            programme=subject.programme.code,
            start=subject.start,
            end=subject.end,
            findings=[
                {
                    "key": f.key,
                    "label": str(f.label),
                    "definition": str(f.definition),
                    "count": n,
                    "share": share,
                }
                for f, n, share in report.figures
            ],
            areas=[_counts(row) for row in report.rows],
            runs=[run.uid for run in report.runs],
        )
        return Response(AccuracyReportSerializer(body).data)


class AccuracyFamiliesView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated, CanReadEnrolments]
    serializer_class = AccuracyFamilySerializer
    keyset_ordering = "-id"

    def _finding(self) -> accuracy.Figure:
        found = accuracy.BY_KEY.get(self.kwargs["finding"])
        if found is None:
            deny(self.request, "accuracy: unknown finding")
        return found

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, without a request
            return Enrolment.objects.none()
        self.subject = subject_of(self.request)
        return accuracy.families_with(self.subject, self._finding().key)

    @extend_schema(
        summary="The families of one finding of the targeting-accuracy report",
        parameters=[FINDING, *PARAMETERS],
        responses={200: AccuracyFamilySerializer(many=True), 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        with accuracy.no_jit():
            page = self.paginate_queryset(queryset)
            assert page is not None
            rows = accuracy.lines(self.subject, self._finding().key, page)
        return self.get_paginated_response(AccuracyFamilySerializer(rows, many=True).data)
