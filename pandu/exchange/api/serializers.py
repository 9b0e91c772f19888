"""Shapes of the import/export API."""

from __future__ import annotations

from rest_framework import serializers

from ..exporter import FORMATS, KINDS
from ..forms import IMPORT_UPLOAD
from ..models import ImportBatch


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=(
            "CSV (any of , ; tab |; UTF-8 or Windows-1252) or XLSX. Checked by content; a workbook "
            "whose sheets declare more rows, columns or cells than the limits is refused."
        ),
        validators=[IMPORT_UPLOAD],
    )
    mapping = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Name of a saved column mapping (yours or your office's).",
    )
    columns = serializers.JSONField(
        required=False,
        help_text=(
            'Column per layout field, by header text or 0-based index, e.g. {"nik": "NO NIK", '
            '"kk_number": 0}. Fields left out are recognised from the header names.'
        ),
    )
    sheet = serializers.CharField(required=False, allow_blank=True, max_length=100)


class ImportCountsSerializer(serializers.Serializer):
    rows_read = serializers.IntegerField()
    accepted = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    skipped_empty = serializers.IntegerField()
    households_created = serializers.IntegerField()
    households_updated = serializers.IntegerField()
    ppks_created = serializers.IntegerField()


class ImportSerializer(serializers.ModelSerializer):
    uid = serializers.UUIDField(read_only=True)
    job = serializers.SerializerMethodField()
    user = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = [
            "uid",
            "job",
            "status",
            "message",
            "file_name",
            "sha256",
            "file_size",
            "user",
            "created_at",
            "started_at",
            "finished_at",
            "rows_total",
            "last_row",
            "counts",
            "report_url",
        ]
        read_only_fields = fields

    def get_job(self, obj) -> str | None:
        return str(obj.job.uid) if obj.job_id else None

    def get_user(self, obj) -> str | None:
        return obj.user.get_username() if obj.user_id else None

    def get_counts(self, obj) -> ImportCountsSerializer:
        return obj.counts()

    def get_report_url(self, obj) -> str | None:
        from django.urls import reverse

        if not obj.report_path:
            return None
        return reverse("exchange:import_report", kwargs={"uid": obj.uid})


class ImportStartedSerializer(serializers.Serializer):
    job = serializers.UUIDField(help_text="The background job; follow it at /tugas/<uid>/.")
    import_uid = serializers.UUIDField(help_text="The import batch.")
    status_url = serializers.CharField()


class ExportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(KINDS))
    format = serializers.ChoiceField(choices=list(FORMATS))
    filters = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="The same filters as the list endpoints (persons or households).",
    )


class ExportStartedSerializer(serializers.Serializer):
    job = serializers.UUIDField()
    job_url = serializers.CharField()
