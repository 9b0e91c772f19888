"""What the Askesos API returns and takes. Records by UUID, providers also by code; a member's
person by registry UUID, and the NIK only as the reader may see it (``registry.masking``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pandu.core.api import StrictCharField
from pandu.registry.choices import WorkStatus
from pandu.registry.masking import nik_for

from .. import clock
from ..choices import DocumentKind, EventType, PaymentMethod
from ..models import (
    Accreditation,
    AccreditationItem,
    Claim,
    ClaimDocument,
    CoverPeriod,
    Member,
    PremiumDue,
    PremiumPayment,
    Provider,
    Scheme,
    SchemeTerms,
)
from ..models.schemes import RULE_FIELDS

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


def rupiah(**options: Any) -> serializers.DecimalField:
    """Whole rupiah, as JSON number or text."""
    return serializers.DecimalField(max_digits=16, decimal_places=0, **options)


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _today(serializer):
    return serializer.context.get("today") or clock.today()


# --- Providers ------------------------------------------------------------------------------


class InsuranceAccreditationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Accreditation
        fields = [
            "uid",
            "status",
            "applied_on",
            "decision_number",
            "decided_on",
            "valid_from",
            "valid_until",
        ]


class InsuranceAccreditationItemSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = AccreditationItem
        fields = ["criterion", "evidence", "has_file", "finding", "reviewer_note", "reviewed_at"]

    def get_has_file(self, obj) -> bool:
        return bool(obj.evidence_file)


class InsuranceAccreditationSerializer(InsuranceAccreditationBriefSerializer):
    items = InsuranceAccreditationItemSerializer(many=True, read_only=True)

    class Meta(InsuranceAccreditationBriefSerializer.Meta):
        fields = [*InsuranceAccreditationBriefSerializer.Meta.fields, "decision_note", "items"]


class InsuranceProviderSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)
    organisation = serializers.UUIDField(source="organisation.uid", read_only=True)
    accreditation = serializers.SerializerMethodField(
        help_text="The accreditation decision in force today (null: none, and the provider "
        "cannot enrol members)."
    )
    accredited = serializers.SerializerMethodField(
        help_text="Whether an accreditation is in force today."
    )
    days_left = serializers.SerializerMethodField(
        help_text="Days until the accreditation in force ends (null without one)."
    )

    class Meta:
        model = Provider
        fields = [
            "uid",
            "code",
            "name",
            "organisation",
            "area_code",
            "established_on",
            "legal_basis",
            "active",
            "accredited",
            "accreditation",
            "days_left",
        ]

    def _in_force(self, obj) -> Accreditation | None:
        """From ``in_force`` (prefetched by the view, the newest end first), else a query."""
        rows = getattr(obj, "in_force", None)
        if rows is None:
            return obj.accreditation_on(_today(self))
        return rows[0] if rows else None

    @extend_schema_field(InsuranceAccreditationBriefSerializer(allow_null=True))
    def get_accreditation(self, obj):
        found = self._in_force(obj)
        return InsuranceAccreditationBriefSerializer(found).data if found else None

    def get_accredited(self, obj) -> bool:
        return self._in_force(obj) is not None

    def get_days_left(self, obj) -> int | None:
        found = self._in_force(obj)
        if found is None or found.valid_until is None:
            return None
        return (found.valid_until - _today(self)).days


class InsuranceSchemeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scheme
        fields = ["uid", "name", "active"]


class InsuranceProviderDetailSerializer(InsuranceProviderSerializer):
    address = serializers.CharField(source="organisation.address", read_only=True)
    phone = serializers.CharField(source="organisation.phone", read_only=True)
    email = serializers.CharField(source="organisation.email", read_only=True)
    accreditations = InsuranceAccreditationSerializer(many=True, read_only=True)
    schemes = InsuranceSchemeBriefSerializer(many=True, read_only=True)

    class Meta(InsuranceProviderSerializer.Meta):
        fields = [
            *InsuranceProviderSerializer.Meta.fields,
            "address",
            "phone",
            "email",
            "opening_reserve",
            "note",
            "accreditations",
            "schemes",
        ]


# --- Schemes --------------------------------------------------------------------------------


class InsuranceSchemeTermsSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchemeTerms
        fields = ["valid_from", "withdrawn", *RULE_FIELDS, "note", "created_at"]


def terms_in_force(scheme: Scheme, day) -> SchemeTerms | None:
    """The version in force on ``day`` among the prefetched ``terms`` (no query)."""
    versions = [t for t in scheme.terms.all() if not t.withdrawn and t.valid_from <= day]
    return max(versions, key=lambda t: t.valid_from, default=None)


class InsuranceSchemeSerializer(serializers.ModelSerializer):
    provider = serializers.UUIDField(source="provider.uid", read_only=True)
    provider_code = serializers.CharField(source="provider.code", read_only=True)
    terms_in_force = serializers.SerializerMethodField(
        help_text="The terms in force today (null: none has started yet)."
    )

    class Meta:
        model = Scheme
        fields = ["uid", "provider", "provider_code", "name", "active", "terms_in_force"]

    @extend_schema_field(InsuranceSchemeTermsSerializer(allow_null=True))
    def get_terms_in_force(self, obj):
        found = terms_in_force(obj, _today(self))
        return InsuranceSchemeTermsSerializer(found).data if found else None


class InsuranceSchemeDetailSerializer(InsuranceSchemeSerializer):
    terms = serializers.SerializerMethodField(
        help_text="Every version of the terms, the latest start first (withdrawn ones too)."
    )

    class Meta(InsuranceSchemeSerializer.Meta):
        fields = [*InsuranceSchemeSerializer.Meta.fields, "note", "terms"]

    @extend_schema_field(InsuranceSchemeTermsSerializer(many=True))
    def get_terms(self, obj):
        versions = sorted(obj.terms.all(), key=lambda t: (t.valid_from, t.pk), reverse=True)
        return InsuranceSchemeTermsSerializer(versions, many=True).data


# --- Members --------------------------------------------------------------------------------


class InsuranceMemberSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.code", read_only=True)
    scheme = serializers.UUIDField(source="scheme.uid", read_only=True)
    person = serializers.UUIDField(source="person.uid", read_only=True)
    full_name = serializers.CharField(source="person.full_name", read_only=True)
    nik = serializers.SerializerMethodField(
        help_text="In full for roles that hold `registry.nik`, else masked (7309********0001)."
    )
    household = serializers.UUIDField(
        source="household.uid", read_only=True, allow_null=True, default=None
    )
    arrears = serializers.IntegerField(read_only=True, help_text="Premiums due and not paid.")
    credit = serializers.IntegerField(
        read_only=True, help_text="Paid ahead: kept for the months to come."
    )

    class Meta:
        model = Member
        fields = [
            "uid",
            "number",
            "provider",
            "scheme",
            "person",
            "full_name",
            "nik",
            "household",
            "area_code",
            "enrolled_on",
            "status",
            "status_on",
            "total_due",
            "total_paid",
            "arrears",
            "credit",
            "paid_through",
            "months_unpaid",
            "unpaid_from",
            "lapse_on",
            "dues_through",
        ]

    def get_nik(self, obj) -> str:
        return nik_for(_user(self), obj.person.nik)


class InsuranceCoverPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoverPeriod
        fields = ["start", "end", "waiting_from", "reinstated"]


class InsuranceDueSerializer(serializers.ModelSerializer):
    class Meta:
        model = PremiumDue
        fields = ["month", "amount", "due_on"]


class InsurancePaymentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PremiumPayment
        fields = ["uid", "receipt_number", "amount", "paid_on", "method", "reference"]


#: How many of a member's latest dues and payments the detail carries (the rest: the lists).
LEDGER_ROWS = 24


class InsuranceMemberDetailSerializer(InsuranceMemberSerializer):
    periods = InsuranceCoverPeriodSerializer(many=True, read_only=True)
    dues = serializers.SerializerMethodField(
        help_text="The latest 24 months' dues, the newest first."
    )
    payments = serializers.SerializerMethodField(
        help_text="The latest 24 payments, the newest first (all: /insurance/payments/?member=)."
    )

    class Meta(InsuranceMemberSerializer.Meta):
        fields = [
            *InsuranceMemberSerializer.Meta.fields,
            "occupation",
            "work_status",
            "monthly_income",
            "breadwinner",
            "end_reason",
            "end_note",
            "periods",
            "dues",
            "payments",
        ]

    @extend_schema_field(InsuranceDueSerializer(many=True))
    def get_dues(self, obj):
        rows = obj.dues.order_by("-month")[:LEDGER_ROWS]
        return InsuranceDueSerializer(rows, many=True).data

    @extend_schema_field(InsurancePaymentBriefSerializer(many=True))
    def get_payments(self, obj):
        rows = obj.payments.order_by("-paid_on", "-id")[:LEDGER_ROWS]
        return InsurancePaymentBriefSerializer(rows, many=True).data


class InsuranceEnrolSerializer(serializers.Serializer):
    """A breadwinner enrolled by NIK: the NIK travels in the body only, never in a URL."""

    scheme = serializers.UUIDField(help_text="The scheme (UUID) the member joins.")
    nik = StrictCharField(
        min_length=16,
        max_length=16,
        help_text="The person's NIK (16 digits, as JSON text). Must be in the registry.",
    )
    enrolled_on = serializers.DateField(input_formats=DATE_FORMATS)
    occupation = serializers.CharField(max_length=150)
    monthly_income = rupiah(min_value=0)
    work_status = serializers.ChoiceField(
        choices=WorkStatus.choices, required=False, allow_null=True, default=None
    )
    breadwinner = serializers.BooleanField(default=True)


# --- Payments -------------------------------------------------------------------------------


class InsurancePaymentSerializer(serializers.ModelSerializer):
    member = serializers.UUIDField(source="membership.uid", read_only=True)
    member_number = serializers.CharField(source="membership.number", read_only=True)
    provider = serializers.CharField(source="provider.code", read_only=True)
    batch = serializers.UUIDField(source="batch.uid", read_only=True, allow_null=True, default=None)
    recorded_by = serializers.CharField(
        source="recorded_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = PremiumPayment
        fields = [
            "uid",
            "receipt_number",
            "member",
            "member_number",
            "provider",
            "area_code",
            "amount",
            "paid_on",
            "method",
            "reference",
            "note",
            "batch",
            "recorded_by",
            "created_at",
        ]


class InsurancePaymentCreateSerializer(serializers.Serializer):
    member = serializers.UUIDField(help_text="The membership (UUID) the money is for.")
    amount = rupiah(help_text="Whole rupiah.")
    paid_on = serializers.DateField(input_formats=DATE_FORMATS)
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60,
        help_text="A transfer's or receipt book's reference; recorded once per provider.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class InsurancePaymentRecordedSerializer(InsurancePaymentSerializer):
    """A payment just recorded, with the member's ledger after it."""

    member_status = serializers.CharField(source="membership.status", read_only=True)
    member_arrears = serializers.IntegerField(source="membership.arrears", read_only=True)
    member_credit = serializers.IntegerField(
        source="membership.credit", read_only=True, help_text="Paid ahead, for the coming months."
    )
    member_paid_through = serializers.DateField(
        source="membership.paid_through", read_only=True, allow_null=True
    )
    member_months_unpaid = serializers.IntegerField(
        source="membership.months_unpaid", read_only=True
    )
    message = serializers.CharField(
        read_only=True, help_text="What the payment did to the member's ledger."
    )

    class Meta(InsurancePaymentSerializer.Meta):
        fields = [
            *InsurancePaymentSerializer.Meta.fields,
            "member_status",
            "member_arrears",
            "member_credit",
            "member_paid_through",
            "member_months_unpaid",
            "message",
        ]


# --- Claims ---------------------------------------------------------------------------------


class InsuranceFindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    passed = serializers.BooleanField()
    message = serializers.CharField()


class InsuranceClaimSerializer(serializers.ModelSerializer):
    member = serializers.UUIDField(source="membership.uid", read_only=True)
    member_number = serializers.CharField(source="membership.number", read_only=True)
    provider = serializers.CharField(source="provider.code", read_only=True)
    findings = InsuranceFindingSerializer(
        many=True, read_only=True, help_text="The automatic check, in the order it ran."
    )
    review_reasons = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Why the claim was selected for review (empty: it was not).",
    )

    class Meta:
        model = Claim
        fields = [
            "uid",
            "number",
            "member",
            "member_number",
            "provider",
            "area_code",
            "event_type",
            "event_date",
            "filed_on",
            "amount_claimed",
            "benefit",
            "amount_approved",
            "status",
            "findings",
            "review_reasons",
            "decided_at",
            "paid_on",
        ]


class InsuranceClaimDocumentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(
        source="uploaded_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ClaimDocument
        fields = ["uid", "kind", "file_name", "uploaded_by", "created_at"]


class InsuranceClaimRecordSerializer(InsuranceClaimSerializer):
    """A claim with its documents, decision and payout, without the event's description."""

    documents = InsuranceClaimDocumentSerializer(many=True, read_only=True)
    filed_by = serializers.CharField(
        source="filed_by.username", read_only=True, allow_null=True, default=None
    )
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True, default=None
    )
    paid_by = serializers.CharField(
        source="paid_by.username", read_only=True, allow_null=True, default=None
    )
    intake = serializers.UUIDField(
        source="intake.uid", read_only=True, allow_null=True, default=None
    )

    class Meta(InsuranceClaimSerializer.Meta):
        fields = [
            *InsuranceClaimSerializer.Meta.fields,
            "filed_by",
            "decided_by",
            "decision_reason",
            "paid_by",
            "payment_method",
            "payment_reference",
            "receipt_number",
            "paid_to",
            "intake",
            "documents",
        ]


class InsuranceClaimDetailSerializer(InsuranceClaimRecordSerializer):
    """The whole claim: its description names an illness or an accident (health data), so
    reading it is written to the access log."""

    class Meta(InsuranceClaimRecordSerializer.Meta):
        fields = [*InsuranceClaimRecordSerializer.Meta.fields, "description"]


class InsuranceClaimCreateSerializer(serializers.Serializer):
    """A claim, as JSON, or as multipart with its documents (``documents`` and
    ``document_kinds`` repeated, in the same order)."""

    member = serializers.UUIDField(help_text="The membership (UUID) the claim is for.")
    event_type = serializers.ChoiceField(choices=EventType.choices)
    event_date = serializers.DateField(input_formats=DATE_FORMATS)
    amount_claimed = rupiah(
        required=False,
        allow_null=True,
        default=None,
        help_text="Whole rupiah; empty: the scheme's benefit for the event.",
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    documents = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="Multipart only."
    )
    document_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=DocumentKind.choices),
        required=False,
        default=list,
        help_text="The kind of each of `documents`, in the same order.",
    )

    def validate(self, attrs):
        if len(attrs["documents"]) != len(attrs["document_kinds"]):
            raise serializers.ValidationError(
                {"document_kinds": [_("Sebutkan jenis setiap dokumen, sesuai urutan berkasnya.")]}
            )
        return attrs


class InsuranceClaimDocumentCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(help_text="PDF, JPG or PNG.")


class InsuranceDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true approves, false rejects.")
    amount = rupiah(
        required=False,
        allow_null=True,
        default=None,
        help_text="The amount approved (whole rupiah); empty: the benefit, up to what was claimed.",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="Required to reject."
    )


class InsuranceClaimPaymentSerializer(serializers.Serializer):
    paid_on = serializers.DateField(input_formats=DATE_FORMATS)
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=60)
    paid_to = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=150,
        help_text="Who received the money (the member, or the heir of a death claim).",
    )
