"""The one-stop service over the API: intakes, cases, and referrals (the partner inbox).

Querysets start from ``visible_to(user)`` (partners: ``inbox_for(user)``); one record is fetched
through ``get_for_user_or_404`` (outside: 404, logged). A sensitive intake or case opens only with
``?reason=...``, which is written to the access log. Lists are narrowed by the same FilterSets as
the web lists (``services/filtersets.py``); a filter value they cannot read is a 400.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pandu.accounts.roles import user_can
from pandu.core.access import record_access
from pandu.core.api import UID_REGEX, ScopedObjectMixin
from pandu.core.models import AccessLog
from pandu.regions.models import Area
from pandu.registry.models import Person

from .. import actions
from ..capabilities import SCap
from ..filtersets import CaseApiFilterSet, InboxFilterSet, IntakeFilterSet
from ..models import Case, Intake, Referral, ServicePoint
from . import serializers as s

NOT_FOUND = OpenApiResponse(
    description="Not found, or outside the caller's area, role or need-to-know."
)
FORBIDDEN = OpenApiResponse(description="The caller's role may not do this.")
BAD_INPUT = OpenApiResponse(description="Field errors: `{field: [message, ...]}`.")
REASON = OpenApiParameter(
    "reason",
    OpenApiTypes.STR,
    description=(
        "Required to open a sensitive intake or case (child protection, violence, trafficking, "
        "sensitive PPKS): why you open it. Written to the access log with your name."
    ),
)


def _reveal(request, *objs) -> None:
    reason = (request.query_params.get("reason") or "").strip()
    if len(reason) < 5:
        raise ApiValidationError(
            {"reason": [_("Tuliskan alasan membuka data sensitif ini (parameter reason).")]}
        )
    for obj in objs:
        record_access(request, AccessLog.Kind.VIEW_SENSITIVE, obj, detail=reason[:250])


class ServiceViewSet(ScopedObjectMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX


@extend_schema_view(
    list=extend_schema(
        summary="Complaints and requests (intakes) in the caller's area",
        description="Newest first. Sensitive intakes the caller may see are listed without name "
        "and description. `q` finds a ticket number or a name (part of it), `status` narrows by "
        "status.",
    ),
    retrieve=extend_schema(
        summary="One intake",
        parameters=[REASON],
        responses={200: s.IntakeSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Receive a complaint or request and give it a ticket number",
        description=(
            "Either `person` (a registry person's uid) or the unregistered person's `name`, "
            "`birth_date` and `village`. An open intake for the same person and need answers 409 "
            "with its ticket numbers unless `confirm_duplicate` is true."
        ),
        request=s.IntakeCreateSerializer,
        responses={
            201: s.IntakeSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            409: s.DuplicateSerializer,
        },
    ),
)
class IntakeViewSet(ServiceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.IntakeSerializer
    filterset_class = IntakeFilterSet

    def get_queryset(self):
        return (
            Intake.objects.visible_to(self.request.user)
            .select_related("service_point", "person", "case")
            .prefetch_related("needs")
        )

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        if obj.sensitive:
            _reveal(request, obj)
        return Response(s.IntakeSerializer(obj, context={"reveal": True}).data)

    def create(self, request, *args, **kwargs):
        if not request.user.can(SCap.INTAKE):
            return Response(
                {"detail": _("Anda tidak berwenang menerima pengaduan.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        body = s.IntakeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        user = request.user
        point = ServicePoint.objects.visible_to(user).filter(uid=d["service_point"]).first()
        if point is None:
            raise ApiValidationError({"service_point": [_("Titik layanan tidak dikenal.")]})
        person = None
        if d.get("person"):
            person = Person.objects.visible_to(user).filter(uid=d["person"]).first()
            if person is None:
                raise ApiValidationError(
                    {"person": [_("Penduduk tidak ditemukan di wilayah Anda.")]}
                )
        village = Area.objects.filter(code=d.get("village") or "").first()
        subject = actions.Subject(
            person=person,
            name=d.get("name", ""),
            nik=d.get("nik", ""),
            sex=d.get("sex", ""),
            birth_date=d.get("birth_date"),
            village=village,
            address=d.get("address", ""),
            phone=d.get("phone", ""),
            propose_to_registry=d.get("propose_to_registry", False),
        )
        try:
            intake = actions.create_intake(
                user,
                service_point=point,
                kind=d["kind"],
                channel=d["channel"],
                subject=subject,
                needs=[(n, "") for n in d["needs"]],
                description=d["description"],
                since=d.get("since"),
                urgency=d["urgency"],
                sensitive_topic=d.get("sensitive_topic") or "",
                confirm_duplicate=d["confirm_duplicate"],
            )
        except actions.DuplicateIntake as exc:
            return Response(
                {
                    "detail": exc.messages[0],
                    "duplicates": [i.ticket_number for i in exc.duplicates],
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            s.IntakeSerializer(intake, context={"reveal": True}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(
        summary="Cases the caller may see",
        description="Every case the caller may see, in any status, unless a filter narrows it: "
        "`?mine=1` only the caller's own cases, `lingkup` (`saya`, `supervisi`, `semua`), `status` "
        "(`aktif`: not closed, a case status, or `semua`), `q` (ticket number or name). Sensitive "
        "cases appear only for the assigned worker, their supervisors and the administrator.",
    ),
    retrieve=extend_schema(
        summary="One case with its trail",
        parameters=[REASON],
        responses={200: s.CaseDetailSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    ),
)
class CaseViewSet(ServiceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.CaseSerializer
    filterset_class = CaseApiFilterSet

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user).select_related("intake", "assigned_to")

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        if obj.sensitive:
            _reveal(request, obj)
        return Response(s.CaseDetailSerializer(obj).data)


def _move_schema(move: str, summary: str, text: str):
    return extend_schema(
        summary=summary,
        description=text,
        request=s.PartnerMoveSerializer,
        responses={200: s.ReferralInboxSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )


@extend_schema_view(
    list=extend_schema(
        summary="Referrals: a partner's inbox, or the referrals of the cases a staff member sees",
        description=(
            "Partner users (role `partner`) get only the referrals sent to their own agency, with "
            "only what the letter shares (name, age, need, what is asked; NIK only with consent). "
            "A withdrawn referral is only a stub for them: `uid`, `number` and `status`, the "
            "rest null. Staff get the referrals of the cases they may see. `status` narrows by "
            "status (`terbuka`: not finished yet), `terlambat=1` to the overdue ones."
        ),
        responses={200: s.ReferralInboxSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="One referral",
        responses={200: s.ReferralInboxSerializer, 404: NOT_FOUND},
    ),
)
class ReferralViewSet(ServiceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    filterset_class = InboxFilterSet

    def _partner(self) -> bool:
        return user_can(self.request.user, SCap.PARTNER)

    def get_queryset(self):
        user = self.request.user
        if self.is_schema_request():
            return Referral.objects.none()
        if self._partner():
            return Referral.objects.inbox_for(user).select_related("service")
        return Referral.objects.visible_to(user).select_related("case", "agency", "service")

    def get_serializer_class(self):
        if self.is_schema_request() or self._partner():
            return s.ReferralInboxSerializer
        return s.ReferralStaffSerializer

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        if not self._partner() and obj.case.sensitive:
            _reveal(request, obj.case)
        return Response(self.get_serializer(obj).data)

    def _move(self, request, move: str):
        if not self._partner():
            return Response(
                {"detail": _("Hanya pengguna mitra yang menanggapi rujukan.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        referral = self.get_object()
        body = s.PartnerMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.partner_move(request.user, referral, move, body.validated_data.get("text", ""))
        referral.refresh_from_db()
        return Response(s.ReferralInboxSerializer(referral).data)

    @_move_schema("accept", "Accept a referral", "Sent or received → accepted.")
    @action(detail=True, methods=["post"])
    def accept(self, request, uid=None):
        return self._move(request, "accept")

    @_move_schema("decline", "Decline a referral", "Sent or received → declined; `text` = reason.")
    @action(detail=True, methods=["post"])
    def decline(self, request, uid=None):
        return self._move(request, "decline")

    @_move_schema("start", "Start the service", "Accepted → in service.")
    @action(detail=True, methods=["post"])
    def start(self, request, uid=None):
        return self._move(request, "start")

    @_move_schema("update", "Record progress", "`text` = the progress note.")
    @action(detail=True, methods=["post"], url_path="update", url_name="update")
    def update_progress(self, request, uid=None):
        return self._move(request, "update")

    @_move_schema("complete", "Complete a referral", "→ completed; `text` = the result.")
    @action(detail=True, methods=["post"])
    def complete(self, request, uid=None):
        return self._move(request, "complete")

    @_move_schema("return", "Return a referral", "→ returned to the sender; `text` = reason.")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request, uid=None):
        return self._move(request, "return")
