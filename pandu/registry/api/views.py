"""Registry over the API: households, people, PPKS, PSKS and the NIK check.

Every queryset starts from ``visible_to(request.user)``; single records are fetched through
``get_for_user_or_404`` (outside the scope: 404 and an access-log row). Writes only parse the body
and call ``registry.actions``, whose ValidationError becomes a 400 and PermissionDenied a 403.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from pandu.accounts.roles import Cap
from pandu.core.access import record_access
from pandu.core.api import UID_REGEX, CanChangeRegistry, ScopedObjectMixin
from pandu.core.models import AccessLog
from pandu.core.ratelimit import ScopedThrottle
from pandu.regions.queries import district_exists

from .. import actions
from ..filtersets import (
    HouseholdFilterSet,
    PersonFilterSet,
    PPKSAssignmentFilterSet,
    PSKSOrganisationFilterSet,
    PSKSPersonFilterSet,
)
from ..history import history_records
from ..models import (
    Household,
    Person,
    PPKSAssignment,
    PPKSCategory,
    PSKSOrganisation,
    PSKSPerson,
    PSKSType,
)
from ..nik import check_kk, check_nik
from ..queries import ppks_categories_for
from . import serializers as s

# The shared FilterSets' ``ppks`` filter takes a PPKS category number; say so in the schema.
for _filterset in (PersonFilterSet, HouseholdFilterSet):
    set_override(
        _filterset.base_filters["ppks"],
        "field",
        {"type": "integer", "description": "PPKS category number (1-26), active records only."},
    )

NOT_FOUND = OpenApiResponse(description="Not found, or outside the caller's area or role.")
FORBIDDEN = OpenApiResponse(description="The caller's role may not change the registry here.")
BAD_INPUT = OpenApiResponse(description="Field errors: `{field: [message, ...]}`.")


def visible_ppks(user, lookup: str = "ppks") -> Prefetch:
    """Only the PPKS the user may see (sensitive categories need to know)."""
    qs = (
        PPKSAssignment.objects.visible_to(user)
        .select_related("category")
        .order_by("category__number", "id")
    )
    return Prefetch(lookup, queryset=qs, to_attr="visible_ppks")


def _has_sensitive(*objs) -> bool:
    return any(a.category.sensitive for o in objs for a in getattr(o, "visible_ppks", ()))


def _log_sensitive_list(request, rows, model_name: str) -> None:
    """One access-log row per list page that shows need-to-know PPKS (never per record)."""
    count = sum(1 for r in rows if _has_sensitive(r))
    if count:
        detail = f"{model_name} list: {count} record(s) with sensitive PPKS"
        record_access(request, AccessLog.Kind.VIEW_SENSITIVE, None, detail=detail)


def _member_errors_as_list(errors, data) -> dict:
    """Members' type errors in the same shape as the action's: ``member_errors`` is a list in the
    order of ``members``, ``{}`` for a member without errors."""
    errors = dict(errors)
    per_member = errors.get("members")
    members = data.get("members") if isinstance(data, dict) else None
    if isinstance(per_member, dict) and isinstance(members, list):
        errors["member_errors"] = [
            per_member.get(i, per_member.get(str(i), {})) for i in range(len(members))
        ]
        errors["members"] = [_("Periksa isian anggota keluarga yang ditandai.")]
    elif isinstance(per_member, list) and per_member and isinstance(per_member[0], dict):
        errors["member_errors"] = per_member
        errors["members"] = [_("Periksa isian anggota keluarga yang ditandai.")]
    return errors


class HistoryMixin:
    # ``GET <record>/history/``: the record's change log, for roles allowed to read history.

    @extend_schema(
        summary="Change history of the record, newest first",
        description=(
            "Who (username), when, type (`+` created, `~` changed), the reason given and each "
            "changed field with its old and new value. Needs the right to read history."
        ),
        responses={
            200: s.HistoryRecordSerializer(many=True),
            403: OpenApiResponse(description="The caller's role may not read history."),
            404: NOT_FOUND,
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        obj = self.get_object()
        if not request.user.can(Cap.VIEW_HISTORY):
            raise PermissionDenied(_("Anda tidak berwenang melihat riwayat perubahan."))
        return Response(s.HistoryRecordSerializer(history_records(obj), many=True).data)


class RegistryViewSet(ScopedObjectMixin, viewsets.GenericViewSet):
    permission_classes = [CanChangeRegistry]
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    http_method_names = ["get", "post", "patch", "head", "options"]


# --- Households -----------------------------------------------------------------------------


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
        request=s.HouseholdUpdateSerializer,
        responses={
            200: s.HouseholdDetailSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
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
        return Response(self.get_serializer(household).data)

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
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        household = self.get_object()
        ser = s.HouseholdUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        ser.is_valid(raise_exception=True)
        changes = dict(ser.validated_data)
        reason = changes.pop("reason", "")
        actions.update_household(request.user, household, changes, reason=reason)
        fresh = self.get_queryset().get(pk=household.pk)
        return Response(self.get_serializer(fresh).data)


# --- People ---------------------------------------------------------------------------------


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
        request=s.PersonUpdateSerializer,
        responses={200: s.PersonDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
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
        return Response(self.get_serializer(person).data)

    def _fresh(self, person):
        return self.get_queryset().get(pk=person.pk)

    def create(self, request, *args, **kwargs):
        ser = s.PersonCreateSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        household = data.pop("household")
        reason = data.pop("reason", "")
        person = actions.add_member(request.user, household, data, reason=reason)
        return Response(
            self.get_serializer(self._fresh(person)).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        person = self.get_object()
        ser = s.PersonUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        ser.is_valid(raise_exception=True)
        changes = dict(ser.validated_data)
        reason = changes.pop("reason", "")
        person = actions.update_person(request.user, person, changes, reason=reason)
        return Response(self.get_serializer(self._fresh(person)).data)

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
        return Response(self.get_serializer(self._fresh(person)).data)

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


# --- PPKS and PSKS --------------------------------------------------------------------------


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
        responses={
            200: s.PSKSOrganisationSerializer,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
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
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        org = self.get_object()
        ser = self.get_serializer(org, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        changes = dict(ser.validated_data)
        reason = changes.pop("reason", "")
        actions.update_psks_organisation(request.user, org, changes, reason=reason)
        fresh = self.get_queryset().get(pk=org.pk)
        return Response(self.get_serializer(fresh).data)


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


# --- Reference data -------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="The 26 PPKS categories (Permensos 8/2012)",
        description="Need-to-know categories are listed only for roles allowed to see them.",
    ),
    retrieve=extend_schema(summary="One PPKS category by number"),
)
class PPKSCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Reference: the PPKS categories with the age and sex rules field workers apply."""

    serializer_class = s.PPKSCategorySerializer
    pagination_class = None
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if self.is_schema_request():
            return PPKSCategory.objects.none()
        return ppks_categories_for(self.request.user)

    def is_schema_request(self) -> bool:
        return getattr(self, "swagger_fake_view", False)


@extend_schema_view(
    list=extend_schema(summary="The 12 PSKS types"),
    retrieve=extend_schema(summary="One PSKS type by number"),
)
class PSKSTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """Reference: the PSKS types; ``kind`` says whether a type is a person or an organisation."""

    queryset = PSKSType.objects.all()
    serializer_class = s.PSKSTypeSerializer
    pagination_class = None
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"


# --- NIK check ------------------------------------------------------------------------------

NIK_CHECK_EXAMPLES = [
    OpenApiExample(
        "Valid NIK of a woman",
        request_only=True,
        value={"nik": "7309134505900001", "birth_date": "1990-05-05", "sex": "P"},
    ),
    OpenApiExample(
        "Valid",
        response_only=True,
        value={
            "valid": True,
            "errors": [],
            "warnings": [],
            "sex": "P",
            "district_code": "73.09.13",
        },
    ),
    OpenApiExample(
        "Spreadsheet damage",
        response_only=True,
        value={
            "valid": False,
            "errors": [
                "NIK tertulis dalam notasi ilmiah (seperti 3,57301E+15): spreadsheet seperti "
                "Excel mengubah NIK menjadi angka dan digit-digit terakhirnya hilang. Format "
                "kolom NIK sebagai Teks, lalu ketik ulang NIK dari KTP atau KK."
            ],
            "warnings": [],
            "sex": None,
            "district_code": None,
        },
    ),
    OpenApiExample(
        "Unknown region prefix and recorded sex differs",
        response_only=True,
        value={
            "valid": True,
            "errors": [],
            "warnings": [
                "Kode wilayah 95.01.01 pada NIK tidak ada dalam daftar wilayah saat ini "
                "(mungkin wilayah baru atau hasil pemekaran). Periksa kembali; NIK tetap dapat "
                "disimpan.",
                "NIK menunjukkan perempuan (tanggal lahir ditambah 40), tetapi jenis kelamin "
                "yang tercatat laki-laki.",
            ],
            "sex": "P",
            "district_code": "95.01.01",
        },
    ),
]


class NikCheckView(APIView):
    """Check one NIK without saving anything: what is wrong with it, and what it says."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "nik_check"

    @extend_schema(
        operation_id="nik_check",
        summary="Check a NIK (and compare it with a recorded birth date and sex)",
        description=(
            "Messages follow `Accept-Language` (`id` or `en`). `errors` make the NIK invalid; "
            "`warnings` (unknown region prefix, birth date or sex that disagree with the NIK) do "
            "not. The NIK is never stored or logged. Also answers at `nik/check/`."
        ),
        request=s.NikCheckSerializer,
        responses={
            200: s.NikCheckResultSerializer,
            400: OpenApiResponse(
                description="Malformed body, e.g. `nik` sent as a number, a list, or missing."
            ),
        },
        parameters=[
            OpenApiParameter(
                "Accept-Language",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="`id` (default) or `en`.",
                enum=["id", "en"],
            )
        ],
        examples=NIK_CHECK_EXAMPLES,
    )
    def post(self, request, *args, **kwargs):
        ser = s.NikCheckSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        result = check_nik(
            data["nik"],
            birth_date=data.get("birth_date"),
            sex=data.get("sex") or None,
            known_district=district_exists,
        )
        return Response(
            {
                "valid": result.valid,
                "errors": [i.message for i in result.errors],
                "warnings": [i.message for i in (*result.warnings, *result.flags)],
                "sex": result.sex,
                "district_code": result.district_code,
            }
        )


@extend_schema(exclude=True)
class NikCheckSlashView(NikCheckView):
    """The same check at ``nik/check/``, left out of the schema to keep one operation."""
