"""Askesos over the API, mounted under ``/api/v1/insurance/`` (``pandu/api_urls.py``): providers
with their accreditation in force, schemes with every version of their terms, members with their
premium ledger (enrolled by NIK in the body), premium payments and claims with their automatic
check, decision and payout.

Lists are the caller's ``visible_to`` rows (the Dinas's staff: their area; a provider's staff:
their provider's, wherever its members live), paged by cursor. Writes fetch the record among
those the caller may ``work`` on and call the actions; a record outside, or an action that
refuses the caller, is the logged 404; an action's field errors are a 400 naming the fields.
Reading a claim in full (its description is health data) is written to the access log."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.formats import date_format
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
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from pandu.core.access import deny, get_for_user_or_404, record_access
from pandu.core.api import UID_REGEX, KeysetPagination, ScopedObjectMixin
from pandu.core.models import AccessLog

from .. import actions, clock
from ..choices import AccreditationStatus
from ..models import (
    Accreditation,
    AccreditationItem,
    Claim,
    ClaimDocument,
    Member,
    PremiumPayment,
    Provider,
    Scheme,
)
from ..rules import rupiah
from . import serializers as s
from .filters import (
    ClaimFilterSet,
    MemberFilterSet,
    PaymentFilterSet,
    ProviderFilterSet,
    SchemeFilterSet,
)

NOT_FOUND = OpenApiResponse(
    description="Not found, outside the caller's area or provider, or the caller's role may "
    "not do this (a 404 either way, written to the access log)."
)
BAD_INPUT = OpenApiResponse(description="Field errors: `{field: [message, ...]}`.")


def _uid(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "uid", OpenApiTypes.UUID, OpenApiParameter.PATH, description=f"The {what}'s public id."
    )


#: The actions' argument names that the API body calls otherwise.
BODY_NAMES = {"membership": "member"}


def _errors(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return {BODY_NAMES.get(k, k): v for k, v in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}


def _refused(request, obj, what: str) -> NoReturn:
    deny(request, f"insurance api: {what} refused", obj)


def _run(request, obj, what: str, run, *args, **kwargs):
    """An action called for the API: field errors are a 400, a refusal the logged 404."""
    try:
        return run(*args, **kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(_errors(exc)) from None
    except DjangoPermissionDenied:
        _refused(request, obj, what)


def ledger_message(member: Member) -> str:
    """What a payment left on the member's ledger, in the words of the desk's receipt."""
    if member.credit:
        months = member.months_in_credit()
        return _(
            "Pembayaran dicatat. Kelebihan %(credit)s disimpan untuk iuran bulan berikutnya "
            "(%(months)s bulan)."
        ) % {"credit": rupiah(member.credit), "months": months}
    if member.arrears:
        return _("Pembayaran dicatat. Sisa tunggakan %(arrears)s (%(months)s bulan).") % {
            "arrears": rupiah(member.arrears),
            "months": member.months_unpaid,
        }
    return _("Pembayaran dicatat. Iuran lunas sampai %(month)s.") % {
        "month": date_format(member.paid_through, "F Y") if member.paid_through else "-"
    }


class InsuranceViewSet(ScopedObjectMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    pagination_class = KeysetPagination

    def workable(self, restricted, uid):
        """The record ``uid`` among ``restricted`` (those the caller may work on), else the
        logged 404."""
        return get_for_user_or_404(self.request, restricted, uid=uid)


# --- Providers ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Askesos providers the caller sees, with the accreditation in force today",
        description="The Dinas's staff see the providers of their area; a provider's staff "
        "their own. Filters: `q` (code or name), `area` (a code prefix), `accredited` (an "
        "accreditation in force today), `active`.",
    ),
    retrieve=extend_schema(
        parameters=[_uid("provider")],
        summary="One provider: its accreditations (newest first, each with its checklist "
        "and findings), the one in force and its validity, and its schemes",
        responses={200: s.InsuranceProviderDetailSerializer, 404: NOT_FOUND},
    ),
)
class ProviderViewSet(InsuranceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.InsuranceProviderSerializer
    filterset_class = ProviderFilterSet

    def get_queryset(self):
        if self.is_schema_request():
            return Provider.objects.none()
        today = clock.today()
        in_force = Prefetch(
            "accreditations",
            Accreditation.objects.filter(
                status=AccreditationStatus.ACCREDITED,
                valid_from__lte=today,
                valid_until__gte=today,
            ).order_by("-valid_until", "-id"),
            to_attr="in_force",
        )
        qs = (
            Provider.objects.visible_to(self.request.user)
            .select_related("organisation")
            .prefetch_related(in_force)
        )
        if self.action == "retrieve":
            history = Prefetch(
                "accreditations",
                Accreditation.objects.order_by("-applied_on", "-id").prefetch_related(
                    Prefetch("items", AccreditationItem.objects.order_by("id"))
                ),
            )
            qs = qs.prefetch_related(history, Prefetch("schemes", Scheme.objects.all()))
        return qs

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.InsuranceProviderDetailSerializer
        return s.InsuranceProviderSerializer


# --- Schemes --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Askesos schemes the caller sees, each with the terms in force today",
        description="Filters: `provider` (code), `active` (accepting new members).",
    ),
    retrieve=extend_schema(
        parameters=[_uid("scheme")],
        summary="One scheme with every version of its terms (premium, benefits, waiting "
        "periods, grace, lapse, reinstatement, review rules, who may join)",
        responses={200: s.InsuranceSchemeDetailSerializer, 404: NOT_FOUND},
    ),
)
class SchemeViewSet(InsuranceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.InsuranceSchemeSerializer
    filterset_class = SchemeFilterSet

    def get_queryset(self):
        if self.is_schema_request():
            return Scheme.objects.none()
        return (
            Scheme.objects.visible_to(self.request.user)
            .select_related("provider")
            .prefetch_related("terms")
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.InsuranceSchemeDetailSerializer
        return s.InsuranceSchemeSerializer


# --- Members --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Askesos members the caller sees, with their ledger figures",
        description="Filters: `number` (member number, part of it; never a NIK), `provider` "
        "(code), `scheme` (UUID), `status` (aktif, gugur, berakhir), `area` (a code prefix), "
        "`months_unpaid` (at least so many months unpaid). The NIK is masked unless the "
        "caller's role holds `registry.nik`.",
    ),
    retrieve=extend_schema(
        parameters=[_uid("member")],
        summary="One member: ledger figures, cover periods, the latest dues and payments",
        responses={200: s.InsuranceMemberDetailSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Enrol a registry person in a scheme, by NIK",
        description="For the scheme's provider staff and the Dinas's administrator. The NIK "
        "travels in the body only. Refused with the reasons: the provider not accredited on "
        "`enrolled_on`, the scheme not accepting members, a NIK not found among the registry's "
        "people, each eligibility rule the person fails, a membership already open.",
        request=s.InsuranceEnrolSerializer,
        responses={201: s.InsuranceMemberDetailSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    ),
)
class MemberViewSet(
    InsuranceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    serializer_class = s.InsuranceMemberSerializer
    filterset_class = MemberFilterSet

    def get_queryset(self):
        if self.is_schema_request():
            return Member.objects.none()
        qs = Member.objects.visible_to(self.request.user).select_related(
            "provider", "scheme", "person", "household"
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related("periods")
        return qs

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.InsuranceMemberDetailSerializer
        return s.InsuranceMemberSerializer

    def create(self, request, *args, **kwargs):
        body = s.InsuranceEnrolSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        scheme = self.workable(Scheme.objects.restrict(request.user, "work"), data.pop("scheme"))
        member = _run(request, scheme, "enrol", actions.enrol_member, request.user, scheme, **data)
        fresh = self.get_queryset().prefetch_related("periods").get(pk=member.pk)
        answer = s.InsuranceMemberDetailSerializer(fresh, context=self.get_serializer_context())
        return Response(answer.data, status=status.HTTP_201_CREATED)


# --- Payments -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Premium payments the caller sees, newest first",
        description="Filters: `member` (UUID), `number` (member number, part of it), "
        "`provider` (code), `method` (tunai, transfer), `paid_from`, `paid_to` (dates), "
        "`area` (a code prefix), `batch` (an import's UUID).",
    ),
    create=extend_schema(
        summary="Record a premium payment and give its receipt number",
        description="For the member's provider staff and the Dinas's administrator. Money "
        "beyond the arrears is kept as credit for the months to come (`message` says so); an "
        "ended membership, a date in the future or a reference already recorded is refused.",
        request=s.InsurancePaymentCreateSerializer,
        responses={201: s.InsurancePaymentRecordedSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    ),
)
class PaymentViewSet(InsuranceViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    serializer_class = s.InsurancePaymentSerializer
    filterset_class = PaymentFilterSet

    def get_queryset(self):
        if self.is_schema_request():
            return PremiumPayment.objects.none()
        return PremiumPayment.objects.visible_to(self.request.user).select_related(
            "membership", "provider", "batch", "recorded_by"
        )

    def create(self, request, *args, **kwargs):
        body = s.InsurancePaymentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        member = self.workable(Member.objects.restrict(request.user, "work"), data.pop("member"))
        payment = _run(
            request, member, "payment", actions.record_payment, request.user, member, **data
        )
        fresh = self.get_queryset().get(pk=payment.pk)
        fresh.message = ledger_message(fresh.membership)
        answer = s.InsurancePaymentRecordedSerializer(fresh, context=self.get_serializer_context())
        return Response(answer.data, status=status.HTTP_201_CREATED)


# --- Claims ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Askesos claims the caller sees, newest first, with the automatic check",
        description="Without the event's description (read one claim for it). Filters: "
        "`status` (ditinjau, disetujui, ditolak, dibayar), `event_type` (sakit, kecelakaan, "
        "meninggal), `number` (claim number, part of it), `provider` (code), `member` (UUID), "
        "`filed_from`, `filed_to` (dates), `area` (a code prefix).",
    ),
    retrieve=extend_schema(
        parameters=[_uid("claim")],
        summary="One claim in full: description, findings, documents, decision, payout",
        description="The description names an illness or an accident: every read is written "
        "to the access log (`view_sensitive`).",
        responses={200: s.InsuranceClaimDetailSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="File a claim (the automatic check runs at once)",
        description="As JSON, or as multipart with the documents (`documents` files and "
        "`document_kinds`, repeated in the same order). A claim that the rules refuse (event "
        "before enrolment, in the waiting period, while lapsed, not covered) is saved as "
        "`ditolak` with its findings; one selected for review (above the scheme's threshold, "
        "drawn at random, documents missing) is `ditinjau`; the rest `disetujui`. The same "
        "event claimed twice is a 400.",
        request={
            "application/json": s.InsuranceClaimCreateSerializer,
            "multipart/form-data": s.InsuranceClaimCreateSerializer,
        },
        responses={201: s.InsuranceClaimRecordSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    ),
)
class ClaimViewSet(
    InsuranceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    serializer_class = s.InsuranceClaimSerializer
    filterset_class = ClaimFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if self.is_schema_request():
            return Claim.objects.none()
        qs = Claim.objects.visible_to(self.request.user).select_related("membership", "provider")
        if self.action != "list":
            qs = qs.select_related("filed_by", "decided_by", "paid_by", "intake").prefetch_related(
                Prefetch("documents", ClaimDocument.objects.select_related("uploaded_by"))
            )
        return qs

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.InsuranceClaimDetailSerializer
        return s.InsuranceClaimSerializer

    def retrieve(self, request, *args, **kwargs):
        claim = self.get_object()
        record_access(request, AccessLog.Kind.VIEW_SENSITIVE, claim, detail="askesos claim")
        answer = s.InsuranceClaimDetailSerializer(claim, context=self.get_serializer_context())
        return Response(answer.data)

    def _answer(self, claim: Claim, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=claim.pk)
        data = s.InsuranceClaimRecordSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def _workable_claim(self) -> Claim:
        return self.workable(Claim.objects.restrict(self.request.user, "work"), self.kwargs["uid"])

    def create(self, request, *args, **kwargs):
        body = s.InsuranceClaimCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        member = self.workable(Member.objects.restrict(request.user, "work"), data.pop("member"))
        documents = list(zip(data.pop("document_kinds"), data.pop("documents"), strict=True))
        claim = _run(
            request,
            member,
            "claim",
            actions.file_claim,
            request.user,
            member,
            documents=documents,
            **data,
        )
        return self._answer(claim, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[_uid("claim")],
        summary="Add a document to a claim (doctor's letter, police report, death certificate)",
        request={"multipart/form-data": s.InsuranceClaimDocumentCreateSerializer},
        responses={201: s.InsuranceClaimRecordSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, uid=None):
        claim = self._workable_claim()
        body = s.InsuranceClaimDocumentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _run(
            request,
            claim,
            "document",
            actions.add_claim_document,
            request.user,
            claim,
            **body.validated_data,
        )
        return self._answer(claim, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[_uid("claim")],
        summary="Approve or reject a claim under review",
        description="Not by the person who filed it. Approval needs the documents the event "
        "requires; a rejection needs its reason.",
        request=s.InsuranceDecisionSerializer,
        responses={200: s.InsuranceClaimRecordSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def decision(self, request, uid=None):
        claim = self._workable_claim()
        body = s.InsuranceDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        claim = _run(
            request,
            claim,
            "decision",
            actions.decide_claim,
            request.user,
            claim,
            **body.validated_data,
        )
        return self._answer(claim)

    @extend_schema(
        parameters=[_uid("claim")],
        summary="Record the payout of an approved claim (and its receipt number)",
        description="A death claim paid ends the membership.",
        request=s.InsuranceClaimPaymentSerializer,
        responses={200: s.InsuranceClaimRecordSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def payment(self, request, uid=None):
        claim = self._workable_claim()
        body = s.InsuranceClaimPaymentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        claim = _run(
            request, claim, "payout", actions.pay_claim, request.user, claim, **body.validated_data
        )
        return self._answer(claim)
