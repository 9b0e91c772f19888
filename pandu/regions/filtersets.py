"""One filter definition for areas, shared by the pickers and the API."""

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Area, Level


class AreaFilterSet(df.FilterSet):
    level = df.TypedChoiceFilter(
        label=_("Tingkat (1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan)"),
        choices=Level.choices,
        coerce=int,
    )
    parent = df.CharFilter(
        label=_("Kode wilayah induk: hanya wilayah tepat satu tingkat di bawahnya"),
        field_name="parent_id",
    )
    q = df.CharFilter(
        label=_("Awal kode (73.09) atau awal nama (Monc) wilayah"),
        method="filter_q",
    )

    class Meta:
        model = Area
        fields = ["level", "parent", "q"]

    def filter_q(self, qs, name, value):
        term = (value or "").strip()
        if not term:
            return qs
        if term[:1].isdigit():
            return qs.filter(code__prefix=term)
        # A word of a longer name counts too: "Lappara" finds "Moncongloe Lappara".
        return qs.filter(Q(name__istartswith=term) | Q(name__icontains=f" {term}"))
