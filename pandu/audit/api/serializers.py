from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pandu.core.models import AccessLog


class AccessLogSerializer(serializers.ModelSerializer):
    user = serializers.CharField(
        source="user.username", read_only=True, allow_null=True, help_text="Username."
    )
    user_uid = serializers.UUIDField(source="user.uid", read_only=True, allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    record_type = serializers.CharField(source="object_type", read_only=True)
    record_uid = serializers.SerializerMethodField()

    class Meta:
        model = AccessLog
        fields = [
            "at",
            "user",
            "user_uid",
            "kind",
            "kind_label",
            "record_type",
            "record_uid",
            "area_code",
            "path",
            "detail",
            "address",
            "user_agent",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_record_uid(self, obj) -> str | None:
        return obj.object_uid or None
