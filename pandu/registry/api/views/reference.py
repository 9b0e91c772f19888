"""Reference data over the API: PPKS categories and PSKS types."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from ...models import PPKSCategory, PSKSType
from ...queries import ppks_categories_for
from .. import serializers as s


@extend_schema_view(
    list=extend_schema(
        summary="The 26 PPKS categories (Permensos 8/2012)",
        description="Need-to-know categories are listed only for roles allowed to see them.",
    ),
    retrieve=extend_schema(summary="One PPKS category by number"),
)
class PPKSCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Reference: the PPKS categories with the age and sex rules field workers apply."""

    serializer_class = s.PPKSCategorySerializer
    pagination_class = None
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        if self.is_schema_request():
            return PPKSCategory.objects.none()
        return ppks_categories_for(self.request.user)

    def is_schema_request(self) -> bool:
        return getattr(self, "swagger_fake_view", False)


@extend_schema_view(
    list=extend_schema(summary="The 12 PSKS types"),
    retrieve=extend_schema(summary="One PSKS type by number"),
)
class PSKSTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """Reference: the PSKS types; ``kind`` says whether a type is a person or an organisation."""

    queryset = PSKSType.objects.all()
    serializer_class = s.PSKSTypeSerializer
    pagination_class = None
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"
