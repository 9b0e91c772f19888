"""Targeting over the API: runs (list, create as a background job, detail, commit) and one
family's eligibility with its explanation. Outside the caller's area or role: a logged 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from pandu.core.access import deny, get_for_user_or_404, require
from pandu.core.api import UID_REGEX, KeysetPagination, ScopedObjectMixin
from pandu.registry.models import Household

from .. import actions, explain, queries
from ..capabilities import TCap
from ..models import TargetingRun
from . import serializers as s

NOT_FOUND = OpenApiResponse(description="Not found, or outside the caller's area or role.")
BAD_INPUT = OpenApiResponse(description="Field errors: `{field: [message, ...]}`.")


def _errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"non_field_errors": exc.messages}


@extend_schema_view(
    list=extend_schema(summary="Targeting runs in the caller's area, newest first"),
    retrieve=extend_schema(
        summary="One run: counts per area and desil, cost, warnings, comparison with the "
        "previous committed run",
        responses={200: s.RunSerializer, 404: NOT_FOUND},
    ),
)
class RunViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.RunSerializer
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    pagination_class = KeysetPagination
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if self.is_schema_request():
            return TargetingRun.objects.none()
        return TargetingRun.objects.visible_to(self.request.user).select_related(
            "programme", "ruleset", "pmt_model", "job"
        )

    @extend_schema(
        summary="Start a run (a dry run, computed by a background job)",
        description="Saves the rule (a new version when it changed) and the PMT model file, then "
        "queues the computation; poll the run (or its job) until `status` is `dry`. An area "
        "outside the caller's scope is a 404.",
        request=s.RunCreateSerializer,
        responses={202: s.RunSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def create(self, request):
        from pandu.programs.models import Programme

        require(request, TCap.RUN)
        ser = s.RunCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        if not request.user.in_scope(data["area"]):
            deny(request, f"targeting run outside scope: {data['area']}")
        programme = (
            Programme.objects.visible_to(request.user).filter(code=data["programme"]).first()
        )
        if programme is None:
            raise ValidationError({"programme": [f"Program {data['programme']} tidak dikenal."]})
        try:
            ruleset = actions.save_ruleset(request.user, name=data["rule_name"], rule=data["rules"])
            model = None
            if data.get("pmt") is not None:
                model = actions.save_pmt_model(request.user, data["pmt"])
            run = actions.start_run(
                request.user,
                ruleset=ruleset,
                pmt_model=model,
                area=data["area"],
                amount=data.get("amount", 0),
                as_of=data.get("as_of"),
                programme=programme,
            )
        except DjangoValidationError as exc:
            raise ValidationError(_errors(exc)) from None
        except DjangoPermissionDenied:
            deny(request, "targeting run refused")
        return Response(s.RunSerializer(run).data, status=202)

    @extend_schema(
        summary="Commit a dry run: it becomes the programme's result for the area",
        request=None,
        responses={200: s.RunSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def commit(self, request, uid=None):
        require(request, TCap.COMMIT)
        run = self.get_object()
        try:
            run = actions.commit_run(request.user, run)
        except DjangoValidationError as exc:
            raise ValidationError(_errors(exc)) from None
        except DjangoPermissionDenied:
            deny(request, "targeting commit refused", run)
        return Response(s.RunSerializer(run).data)


class EligibilityView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="A family's eligibility for a programme, explained",
        description="The newest committed run of the programme that counted the family (else "
        "the newest dry run): each rule part passed or failed with the family's values, the PMT "
        "components that moved its score most, and its desil history.",
        parameters=[OpenApiParameter("programme", str, required=True, description="Code")],
        responses={200: s.EligibilitySerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    def get(self, request, uid):
        require(request, TCap.VIEW)
        household = get_for_user_or_404(
            request, Household.objects.visible_to(request.user), uid=uid
        )
        code = request.query_params.get("programme", "").strip()
        if not code:
            raise ValidationError({"programme": ["Sebutkan kode program: ?programme=PKH"]})
        result = queries.latest_result(request.user, household, code)
        if result is None:
            deny(request, f"no targeting result for {code}", household)
        from pandu.accounts.roles import Cap

        found = explain.explain(
            result.run, household, sensitive_ok=request.user.can(Cap.VIEW_SENSITIVE)
        )
        assert found is not None
        body = found.as_dict()
        body.update(
            household=str(household.uid),
            programme=code,
            run_status=result.run.status,
            ruleset=str(result.run.ruleset),
            history=[
                {
                    "run": str(r.run.uid),
                    "programme": r.run.programme.code,
                    "status": r.run.status,
                    "date": r.run.committed_at,
                    "score": r.score,
                    "desil": r.desil,
                    "eligible": r.eligible,
                }
                for r in queries.desil_history(request.user, household)
            ],
        )
        return Response(s.EligibilitySerializer(body).data)
