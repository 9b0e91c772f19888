"""Areas over the API: public reference data for every signed-in user.

Paged by the project's default pagination (``REST_FRAMEWORK``), in the order of the area code.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from ..filtersets import AreaFilterSet
from ..models import Area
from .serializers import AreaSerializer

AREA_CODE_REGEX = r"[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4})?)?)?"


@extend_schema_view(
    list=extend_schema(
        summary="List administrative areas",
        description=(
            "The official area tree (Kepmendagri): provinces, regencies/cities, districts and "
            "villages, ordered by code. Filter by `level`, by `parent` code or with `q`."
        ),
    ),
    retrieve=extend_schema(summary="One area by its dotted code (e.g. 73.09.13.2001)"),
)
class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Area.objects.all()
    serializer_class = AreaSerializer
    filterset_class = AreaFilterSet
    keyset_ordering = "code"
    lookup_field = "code"
    lookup_value_regex = AREA_CODE_REGEX
