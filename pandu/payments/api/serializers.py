"""What the payments API reads and writes."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import ApprovalStep
from ..models import Cycle, Entitlement, Payment, ReconciliationImport


class CycleSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.code", read_only=True)
    area = serializers.CharField(source="area_id", read_only=True)
    figures = serializers.JSONField(read_only=True)
    dinas_by = serializers.CharField(source="dinas_by.username", default=None, read_only=True)
    head_by = serializers.CharField(source="head_by.username", default=None, read_only=True)

    class Meta:
        model = Cycle
        fields = [
            "uid",
            "programme",
            "name",
            "area",
            "period_start",
            "period_end",
            "status",
            "figures",
            "computed_at",
            "dinas_at",
            "dinas_by",
            "head_at",
            "head_by",
            "closed_at",
        ]


class ApproveSerializer(serializers.Serializer):
    step = serializers.ChoiceField(
        choices=ApprovalStep.choices, help_text="dinas (the first step) or kepala (the head's)."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["status", "amount", "paid_on", "reference", "reason", "recorded_at"]


class EntitlementSerializer(serializers.ModelSerializer):
    cycle = serializers.UUIDField(source="cycle.uid", read_only=True)
    kk_number = serializers.CharField(
        source="household.kk_number", default=None, read_only=True, allow_null=True
    )
    group = serializers.UUIDField(
        source="organisation.uid", default=None, read_only=True, allow_null=True
    )
    retry_in = serializers.UUIDField(
        source="retry_in.uid", default=None, read_only=True, allow_null=True
    )
    components = serializers.JSONField(
        read_only=True, help_text="Members counted and their amount, per component code."
    )

    class Meta:
        model = Entitlement
        fields = [
            "uid",
            "cycle",
            "kk_number",
            "group",
            "area_code",
            "channel",
            "amount",
            "components",
            "capped",
            "status",
            "retry_in",
        ]


class EntitlementDetailSerializer(EntitlementSerializer):
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta(EntitlementSerializer.Meta):
        fields = [*EntitlementSerializer.Meta.fields, "note", "payments"]


class ReconciliationSerializer(serializers.ModelSerializer):
    job = serializers.UUIDField(source="job.uid", default=None, read_only=True, allow_null=True)

    class Meta:
        model = ReconciliationImport
        fields = [
            "uid",
            "file_name",
            "status",
            "rows_read",
            "recorded",
            "unchanged",
            "rejected",
            "outcomes",
            "message",
            "created_at",
            "finished_at",
            "job",
        ]


class RejectedRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    reason = serializers.CharField()


class ReconciliationDetailSerializer(ReconciliationSerializer):
    rejected_rows = serializers.SerializerMethodField(
        help_text="The first 1,000 rejected rows: row number and reason."
    )

    class Meta(ReconciliationSerializer.Meta):
        fields = [*ReconciliationSerializer.Meta.fields, "rejected_rows"]

    def get_rejected_rows(self, obj) -> list[dict]:
        import csv

        if not obj.report_path:
            return []
        try:
            with open(obj.report_path, encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                next(reader, None)
                return [
                    {"row": int(row[0]), "reason": row[1]}
                    for _i, row in zip(range(1000), reader, strict=False)
                ]
        except (OSError, ValueError, IndexError):
            return []


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The reconciliation file (CSV or XLSX).")
