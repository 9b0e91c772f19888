"""The one-stop service over the API. Output serializers show what the caller may see; input
serializers check shapes only: the rules live in ``services.actions``."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pandu.core.api import StrictCharField
from pandu.registry.choices import Sex

from .. import choices as c
from ..models import Case, CaseEvent, Intake, Referral

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


@extend_schema_field(OpenApiTypes.STR)
class CodeField(serializers.ChoiceField):
    """A coded value shown in the schema as text with its codes listed in the description.

    Generic names (``status``, ``kind``, ``sex``) of several choice sets would otherwise collide
    as schema enums with the registry's.
    """

    def __init__(self, choices, **kwargs):
        codes = ", ".join(f"`{k}` {v}" for k, v in choices if k)
        kwargs.setdefault("help_text", codes)
        super().__init__(choices=choices, **kwargs)


class IntakeSerializer(serializers.ModelSerializer):
    """A complaint/request. For a sensitive one the name and description are left out of lists."""

    kind = CodeField(c.IntakeKind.choices, read_only=True)
    status = CodeField(c.IntakeStatus.choices, read_only=True)
    service_point = serializers.UUIDField(source="service_point.uid", read_only=True)
    reference = serializers.CharField(
        source="public_reference",
        read_only=True,
        help_text=_(
            "Nomor tiket lengkap untuk warga (dengan bagian acak di belakangnya): hanya nomor "
            "ini, bersama tanggal lahir, yang membuka halaman cek status."
        ),
    )
    person = serializers.SerializerMethodField()
    needs = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()

    class Meta:
        model = Intake
        fields = [
            "uid",
            "ticket_number",
            "reference",
            "received_at",
            "service_point",
            "kind",
            "channel",
            "urgency",
            "status",
            "sensitive",
            "person",
            "name",
            "propose_to_registry",
            "needs",
            "description",
            "since",
            "case",
        ]
        read_only_fields = fields

    def get_person(self, obj) -> str | None:
        return str(obj.person.uid) if obj.person_id else None

    def get_needs(self, obj) -> list[str]:
        return [n.area for n in obj.needs.all()]

    def get_case(self, obj) -> str | None:
        case = getattr(obj, "case", None)
        return str(case.uid) if case is not None else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.sensitive and not self.context.get("reveal"):
            data["name"] = None
            data["description"] = None
        return data


class IntakeCreateSerializer(serializers.Serializer):
    service_point = serializers.UUIDField(help_text=_("UID titik layanan."))
    kind = CodeField(c.IntakeKind.choices)
    channel = serializers.ChoiceField(choices=c.Channel.choices)
    person = serializers.UUIDField(
        required=False, allow_null=True, help_text=_("UID penduduk di registri, bila terdaftar.")
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    nik = StrictCharField(required=False, allow_blank=True, max_length=25)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True, input_formats=DATE_FORMATS)
    village = serializers.CharField(
        required=False, allow_blank=True, max_length=13, help_text=_("Kode desa/kelurahan.")
    )
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    propose_to_registry = serializers.BooleanField(required=False, default=False)
    needs = serializers.ListField(child=CodeField(c.NeedArea.choices), allow_empty=False)
    description = serializers.CharField()
    since = serializers.DateField(required=False, allow_null=True, input_formats=DATE_FORMATS)
    urgency = serializers.ChoiceField(choices=c.Urgency.choices, default=c.Urgency.NORMAL)
    sensitive_topic = serializers.ChoiceField(
        choices=c.SensitiveTopic.choices, required=False, allow_blank=True, default=""
    )
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Buat juga walau ada pengaduan terbuka untuk orang dan kebutuhan yang sama."),
    )


class DuplicateSerializer(serializers.Serializer):
    detail = serializers.CharField()
    duplicates = serializers.ListField(child=serializers.CharField())


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)
    kind = CodeField(c.EventKind.choices, read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["at", "actor", "kind", "status", "detail"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    ticket_number = serializers.CharField(source="intake.ticket_number", read_only=True)
    intake = serializers.UUIDField(source="intake.uid", read_only=True)
    assigned_to = serializers.CharField(source="assigned_to.username", default=None, read_only=True)
    status = CodeField(c.CaseStatus.choices, read_only=True)

    class Meta:
        model = Case
        fields = [
            "uid",
            "ticket_number",
            "intake",
            "status",
            "sensitive",
            "assigned_to",
            "assigned_at",
            "plan_status",
            "outcome",
            "closed_at",
            "reopened_count",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    name = serializers.CharField(source="intake.name", read_only=True)
    description = serializers.CharField(source="intake.description", read_only=True)
    needs = serializers.SerializerMethodField()
    referrals = serializers.SerializerMethodField()
    events = CaseEventSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "name",
            "description",
            "needs",
            "plan_summary",
            "closure_summary",
            "referrals",
            "events",
        ]
        read_only_fields = fields

    def get_needs(self, obj) -> list[str]:
        return [n.area for n in obj.intake.needs.all()]

    def get_referrals(self, obj) -> list[str]:
        return [str(r.uid) for r in obj.referrals.all()]


class ReferralStaffSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case.uid", read_only=True)
    agency = serializers.CharField(source="agency.name", read_only=True)
    service = serializers.CharField(source="service.name", read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    status = CodeField(c.ReferralStatus.choices, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "uid",
            "number",
            "case",
            "agency",
            "service",
            "status",
            "need_area",
            "request",
            "consent_given",
            "sent_at",
            "respond_due",
            "complete_due",
            "overdue",
            "result",
            "decline_reason",
            "return_reason",
        ]
        read_only_fields = fields


# A withdrawn referral: the consent to share no longer holds, so the partner keeps only these.
STUB_FIELDS = frozenset({"uid", "number", "status"})


class ReferralInboxSerializer(serializers.ModelSerializer):
    """What a partner sees: the letter's content, as shared with consent. No registry record.

    A withdrawn referral (status `withdrawn`) is a stub: only `uid`, `number` and `status`;
    every other field is null."""

    service = serializers.CharField(source="service.name", read_only=True, allow_null=True)
    overdue = serializers.BooleanField(read_only=True, allow_null=True)
    status = CodeField(c.ReferralStatus.choices, read_only=True)
    name = serializers.CharField(source="subject_name", read_only=True, allow_null=True)
    age = serializers.IntegerField(source="subject_age", read_only=True, allow_null=True)
    sex = serializers.CharField(source="subject_sex", read_only=True, allow_null=True)
    nik = serializers.SerializerMethodField(help_text=_("Hanya bila persetujuan mengizinkan."))
    phone = serializers.CharField(source="subject_phone", read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = [
            "uid",
            "number",
            "service",
            "status",
            "sent_at",
            "respond_due",
            "complete_due",
            "overdue",
            "name",
            "age",
            "sex",
            "nik",
            "phone",
            "guardian_name",
            "guardian_relationship",
            "need_area",
            "need",
            "done_so_far",
            "request",
            "result",
            "decline_reason",
            "return_reason",
            "partner_note",
        ]
        read_only_fields = fields
        extra_kwargs = {
            name: {"allow_null": True}
            for name in (
                "guardian_name",
                "guardian_relationship",
                "need_area",
                "need",
                "done_so_far",
                "request",
                "result",
                "decline_reason",
                "return_reason",
                "partner_note",
            )
        }

    def get_nik(self, obj) -> str | None:
        return obj.subject_nik or None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.status == c.ReferralStatus.WITHDRAWN:
            return {k: (v if k in STUB_FIELDS else None) for k, v in data.items()}
        return data


class PartnerMoveSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_(
            "Alasan (menolak, mengembalikan), hasil layanan (menyelesaikan) atau perkembangan."
        ),
    )
