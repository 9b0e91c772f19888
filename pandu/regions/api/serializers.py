from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Area


class AreaSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(
        source="parent_id", read_only=True, allow_null=True, help_text="Kode wilayah induk."
    )
    kind = serializers.SerializerMethodField(
        help_text="Provinsi, Kabupaten, Kota, Kecamatan, Desa or Kelurahan (translated)."
    )

    class Meta:
        model = Area
        fields = ["code", "name", "level", "kind", "parent"]

    @extend_schema_field(serializers.CharField())
    def get_kind(self, obj: Area) -> str:
        return obj.kind_label
