"""Serializers of reference data: PPKS categories and PSKS types."""

from rest_framework import serializers

from ...models import PPKSCategory, PSKSType


class PPKSCategorySerializer(serializers.ModelSerializer):
    age_rule = serializers.CharField(source="age_rule_text", read_only=True)

    class Meta:
        model = PPKSCategory
        fields = [
            "number",
            "slug",
            "name",
            "min_age",
            "min_age_exclusive",
            "max_age",
            "max_age_exclusive",
            "age_rule",
            "sex",
            "sensitive",
            "household_level",
            "description",
        ]


class PSKSTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PSKSType
        fields = ["number", "slug", "name", "short_name", "kind"]
