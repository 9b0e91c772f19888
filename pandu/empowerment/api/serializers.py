"""What the empowerment API returns and takes. Integer keys stay internal: records by UUID,
programmes by code; people are named by their registry UUID, never by NIK."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import PROBLEMS, USES
from ..models import FollowUp, GraduationPlan, KubeGroup, KubeMember, PlanStep, UseVisit

USE_KEYS = [name.removeprefix("use_") for name, _label in USES]


class UseVisitSerializer(serializers.ModelSerializer):
    enrolment = serializers.UUIDField(source="enrolment.uid", read_only=True)
    programme = serializers.CharField(source="enrolment.programme.code", read_only=True)
    household = serializers.UUIDField(source="enrolment.household.uid", read_only=True)
    visitor = serializers.CharField(source="visitor.username", read_only=True)
    uses = serializers.SerializerMethodField()

    class Meta:
        model = UseVisit
        fields = [
            "uid",
            "enrolment",
            "programme",
            "household",
            "area_code",
            "visited_on",
            "visitor",
            "aid_received",
            "uses",
            "use_note",
            *(f for flag, note, _label in PROBLEMS for f in (flag, note)),
            "follow_up_needed",
            "follow_up_note",
            "note",
            "visit_latitude",
            "visit_longitude",
            "visit_accuracy",
            "visit_located_at",
            "created_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=USE_KEYS)))
    def get_uses(self, obj) -> list[str]:
        return [name.removeprefix("use_") for name, _label in USES if getattr(obj, name)]


class UseVisitCreateSerializer(serializers.Serializer):
    """A visit sent from a field device; the same checks as the page's form."""

    enrolment = serializers.UUIDField(help_text="The KPM (enrolment) visited, by its UUID.")
    visited_on = serializers.DateField()
    aid_received = serializers.BooleanField(default=True)
    uses = serializers.ListField(
        child=serializers.ChoiceField(choices=USE_KEYS),
        required=False,
        default=list,
        help_text="What the aid was used for; at least one when the aid was received.",
    )
    use_note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    problem_programme = serializers.BooleanField(default=False)
    problem_programme_note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    problem_card = serializers.BooleanField(default=False)
    problem_card_note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    problem_pin = serializers.BooleanField(default=False)
    problem_pin_note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    problem_ewarong = serializers.BooleanField(default=False)
    problem_ewarong_note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    follow_up_needed = serializers.BooleanField(default=False)
    follow_up_note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    accuracy = serializers.DecimalField(
        max_digits=8, decimal_places=1, required=False, allow_null=True
    )
    located_at = serializers.DateTimeField(required=False, allow_null=True)


class PlanStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanStep
        fields = ["uid", "title", "due_on", "done_on", "note"]


class FollowUpSerializer(serializers.ModelSerializer):
    visited_by = serializers.CharField(
        source="visited_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = FollowUp
        fields = [
            "uid",
            "months",
            "due_on",
            "done_on",
            "visited_by",
            "condition",
            "income_monthly",
            "business_running",
            "note",
        ]


class GraduationPlanSerializer(serializers.ModelSerializer):
    enrolment = serializers.UUIDField(source="enrolment.uid", read_only=True)
    programme = serializers.CharField(source="enrolment.programme.code", read_only=True)
    household = serializers.UUIDField(source="enrolment.household.uid", read_only=True)
    facilitator = serializers.CharField(source="facilitator.username", read_only=True)

    class Meta:
        model = GraduationPlan
        fields = [
            "uid",
            "enrolment",
            "programme",
            "household",
            "area_code",
            "status",
            "facilitator",
            "goals",
            "business_started_on",
            "self_declared_on",
            "graduated_on",
            "pathway",
            "created_at",
        ]


class CriterionCheckSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    required = serializers.BooleanField()
    met = serializers.BooleanField()
    value = serializers.CharField()


class GraduationPlanDetailSerializer(GraduationPlanSerializer):
    steps = PlanStepSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    criteria = serializers.SerializerMethodField()
    graduation_ready = serializers.SerializerMethodField()

    class Meta(GraduationPlanSerializer.Meta):
        fields = [
            *GraduationPlanSerializer.Meta.fields,
            "closing_reason",
            "criteria",
            "graduation_ready",
            "steps",
            "follow_ups",
        ]

    def _assessment(self, obj):
        from ..criteria import assess

        if not hasattr(obj, "_assessment"):
            obj._assessment = assess(obj)
        return obj._assessment

    @extend_schema_field(CriterionCheckSerializer(many=True))
    def get_criteria(self, obj):
        return [
            {"criterion": c.label, "required": c.required, "met": c.met, "value": c.value}
            for c in self._assessment(obj).checks
        ]

    def get_graduation_ready(self, obj) -> bool:
        return self._assessment(obj).passed


class KubeMemberSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.uid", read_only=True)

    class Meta:
        model = KubeMember
        fields = ["uid", "person", "role", "business", "joined_on", "left_on"]


class KubeGroupSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="village_id", read_only=True)
    organisation = serializers.UUIDField(source="organisation.uid", read_only=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = KubeGroup
        fields = [
            "uid",
            "name",
            "village",
            "business_type",
            "sector",
            "formed_on",
            "status",
            "organisation",
            "grant_amount",
            "grant_received_on",
            "member_count",
        ]


class KubeGroupDetailSerializer(KubeGroupSerializer):
    members = KubeMemberSerializer(many=True, read_only=True)

    class Meta(KubeGroupSerializer.Meta):
        fields = [*KubeGroupSerializer.Meta.fields, "grant_note", "members"]
