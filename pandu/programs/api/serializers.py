"""What the programme API returns. Integer keys stay internal: programmes by code, the rest by
UUID; participants are counted, never listed (names and NIKs stay on the pages that log)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    Activity,
    FundingLine,
    Implementer,
    IntegratedProgramme,
    MonitoringPlan,
    Programme,
    ProgrammeAmount,
)


class OrganisationRefSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()


class AmountSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeAmount
        fields = [
            "component",
            "label",
            "amount",
            "per",
            "max_count",
            "valid_from",
            "valid_to",
            "unconfirmed",
            "note",
        ]


class ProgrammeSerializer(serializers.ModelSerializer):
    owner = OrganisationRefSerializer(allow_null=True)
    area = serializers.CharField(source="area_id", allow_null=True)
    amounts = AmountSerializer(many=True)

    class Meta:
        model = Programme
        fields = [
            "code",
            "name",
            "owner",
            "level",
            "area",
            "description",
            "legal_basis",
            "target_group",
            "benefit_type",
            "period",
            "starts_on",
            "ends_on",
            "status",
            "amounts",
        ]


class ActivitySerializer(serializers.ModelSerializer):
    location = serializers.CharField(source="location_id", allow_null=True)
    participants = serializers.IntegerField(source="n_participants", read_only=True)
    present = serializers.IntegerField(source="n_present", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "uid",
            "name",
            "description",
            "target_groups",
            "target_quantity",
            "target_unit",
            "achieved_quantity",
            "starts_on",
            "ends_on",
            "location",
            "status",
            "outputs",
            "participants",
            "present",
        ]


class ImplementerSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer()
    catalogue_programme = serializers.CharField(
        source="catalogue_programme.code", allow_null=True, default=None
    )
    activities = ActivitySerializer(many=True)

    class Meta:
        model = Implementer
        fields = [
            "uid",
            "organisation",
            "sub_programme",
            "catalogue_programme",
            "me_team",
            "activities",
        ]


class FundingLineSerializer(serializers.ModelSerializer):
    implementer = serializers.UUIDField(source="implementer.uid", allow_null=True, default=None)
    activity = serializers.UUIDField(source="activity.uid", allow_null=True, default=None)
    realised = serializers.DecimalField(
        max_digits=16, decimal_places=0, source="realised_total", read_only=True
    )
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = FundingLine
        fields = [
            "uid",
            "implementer",
            "activity",
            "source",
            "document_number",
            "document_date",
            "description",
            "planned_amount",
            "realised",
            "warnings",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, line) -> list[str]:
        return self.context.get("warned", {}).get(line.pk, [])


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = MonitoringPlan
        fields = ["kind", "team", "description"]


class ProgressRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    activities = serializers.IntegerField()
    done = serializers.IntegerField()
    targets = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Per unit: [target, achieved].",
    )
    planned = serializers.DecimalField(max_digits=18, decimal_places=0, required=False)
    realised = serializers.DecimalField(max_digits=18, decimal_places=0, required=False)


class IntegratedListSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_id")

    class Meta:
        model = IntegratedProgramme
        fields = [
            "uid",
            "title",
            "area",
            "designated_by",
            "decision_date",
            "starts_on",
            "ends_on",
            "status",
        ]


class IntegratedDetailSerializer(IntegratedListSerializer):
    coordinator = OrganisationRefSerializer(allow_null=True)
    implementers = serializers.SerializerMethodField()
    funding_lines = serializers.SerializerMethodField()
    monitoring_plan = serializers.SerializerMethodField()
    progress_by_implementer = serializers.SerializerMethodField()
    progress_by_area = serializers.SerializerMethodField()

    class Meta(IntegratedListSerializer.Meta):
        fields = [
            *IntegratedListSerializer.Meta.fields,
            "coordinator",
            "decision_number",
            "reasons",
            "figures",
            "objectives",
            "expected_results",
            "legal_basis",
            "implementers",
            "funding_lines",
            "monitoring_plan",
            "progress_by_implementer",
            "progress_by_area",
        ]

    @extend_schema_field(ImplementerSerializer(many=True))
    def get_implementers(self, obj):
        return ImplementerSerializer(self.context["implementers"], many=True).data

    @extend_schema_field(FundingLineSerializer(many=True))
    def get_funding_lines(self, obj):
        return FundingLineSerializer(self.context["lines"], many=True, context=self.context).data

    @extend_schema_field(PlanSerializer(many=True))
    def get_monitoring_plan(self, obj):
        return PlanSerializer(self.context["plan"], many=True).data

    @extend_schema_field(ProgressRowSerializer(many=True))
    def get_progress_by_implementer(self, obj):
        return ProgressRowSerializer(self.context["by_implementer"], many=True).data

    @extend_schema_field(ProgressRowSerializer(many=True))
    def get_progress_by_area(self, obj):
        return ProgressRowSerializer(self.context["by_area"], many=True).data
