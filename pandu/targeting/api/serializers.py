"""Targeting over the API: runs with their figures, and one family's explanation. UUIDs only."""

from __future__ import annotations

from rest_framework import serializers

from ..models import TargetingRun


class RunSerializer(serializers.ModelSerializer):
    programme: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    ruleset = serializers.SerializerMethodField()
    pmt_model = serializers.SerializerMethodField()
    job: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="uid", read_only=True
    )

    class Meta:
        model = TargetingRun
        fields = [
            "uid", "programme", "area_code", "ruleset", "pmt_model", "status", "as_of", "amount",
            "population", "eligible", "unscored", "summary", "warnings", "seconds", "job",
            "created_at", "committed_at",
        ]  # fmt: skip

    def get_ruleset(self, run) -> dict:
        return {"name": run.ruleset.name, "version": run.ruleset.version}

    def get_pmt_model(self, run) -> dict | None:
        if run.pmt_model is None:
            return None
        return {"name": run.pmt_model.name, "version": run.pmt_model.version}


class RunCreateSerializer(serializers.Serializer):
    programme = serializers.CharField(max_length=30, help_text="Programme code, e.g. PKH")
    area = serializers.CharField(max_length=13, help_text="Dotted area code, e.g. 73.09.13")
    rule_name = serializers.CharField(max_length=120, help_text="The rule's name (versioned)")
    rules = serializers.JSONField(help_text="The rule tree (see docs/targeting.md)")
    pmt = serializers.JSONField(
        required=False, allow_null=True, help_text="A PMT model file (see docs/targeting.md)"
    )
    amount = serializers.IntegerField(
        required=False, min_value=0, default=0, help_text="Yearly benefit per family (Rp)"
    )
    as_of = serializers.DateField(required=False, help_text="Date ages are counted on")


class CheckSerializer(serializers.Serializer):
    rule = serializers.CharField()
    actual = serializers.CharField()
    passed = serializers.BooleanField()


class ClauseSerializer(serializers.Serializer):
    rule = serializers.CharField()
    passed = serializers.BooleanField()
    checks = CheckSerializer(many=True)


class ComponentSerializer(serializers.Serializer):
    variable = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    weight = serializers.FloatField()
    contribution = serializers.FloatField(allow_null=True)
    effect = serializers.FloatField(
        allow_null=True, help_text="weight × (value − population average): what moved the score"
    )


class HistorySerializer(serializers.Serializer):
    run = serializers.UUIDField()
    programme = serializers.CharField()
    status = serializers.CharField()
    date = serializers.DateTimeField()
    score = serializers.FloatField(allow_null=True)
    desil = serializers.IntegerField(allow_null=True)
    eligible = serializers.BooleanField()


class EligibilitySerializer(serializers.Serializer):
    household = serializers.UUIDField()
    programme = serializers.CharField()
    run = serializers.UUIDField()
    run_status = serializers.CharField()
    ruleset = serializers.CharField()
    eligible = serializers.BooleanField()
    score = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    desil = serializers.IntegerField(allow_null=True)
    population = serializers.IntegerField()
    rules = ClauseSerializer(many=True)
    score_components = ComponentSerializer(many=True)
    missing_variables = serializers.ListField(child=serializers.CharField())
    history = HistorySerializer(many=True)
