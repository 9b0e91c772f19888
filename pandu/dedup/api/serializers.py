"""Deduplication over the API: pairs with their evidence, decisions and merges. UUIDs only."""

from __future__ import annotations

from rest_framework import serializers

from pandu.registry.models import Person

from ..models import DuplicatePair, Merge


class PersonBriefSerializer(serializers.ModelSerializer):
    """One side of a pair: what a reviewer compares (the NIK is shown, never put in a URL)."""

    class Meta:
        model = Person
        fields = [
            "uid", "nik", "full_name", "sex", "birth_place", "birth_date", "relationship",
            "area_code", "status",
        ]  # fmt: skip


class EvidenceSerializer(serializers.Serializer):
    comparison = serializers.CharField(help_text="name, birth_date, sex, birth_place, area, ...")
    level = serializers.CharField(help_text="The comparison level reached (see docs/dedup.md).")
    weight = serializers.FloatField(help_text="log2 likelihood ratio; > 0 for the same person.")


class PairSerializer(serializers.ModelSerializer):
    person_a = PersonBriefSerializer(read_only=True)
    person_b = PersonBriefSerializer(read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    decided_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    run: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="uid", read_only=True
    )

    class Meta:
        model = DuplicatePair
        fields = [
            "uid", "person_a", "person_b", "probability", "match_weight", "evidence", "status",
            "run", "decided_by", "decided_at", "reason", "created_at",
        ]  # fmt: skip


class ConfirmSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    survivor = serializers.UUIDField(
        required=False,
        help_text="uid of the record to keep (person_a or person_b); default: the one with a "
        "valid NIK, then the more complete one.",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class MovedSerializer(serializers.Serializer):
    model = serializers.CharField()
    field = serializers.CharField()
    count = serializers.SerializerMethodField()

    def get_count(self, obj) -> int:
        return len(obj.get("ids", []))


class MergeSerializer(serializers.ModelSerializer):
    survivor: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="uid", read_only=True
    )
    merged: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="uid", read_only=True
    )
    pair: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="uid", read_only=True
    )
    merged_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    undone_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    moved = MovedSerializer(many=True, read_only=True)

    class Meta:
        model = Merge
        fields = [
            "uid", "pair", "survivor", "merged", "merged_by", "reason", "moved", "created_at",
            "undone_at", "undone_by", "undo_reason",
        ]  # fmt: skip
