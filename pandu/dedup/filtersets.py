"""One filter definition for the review queue (web list and API)."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from .models import DuplicatePair, PairStatus


class PairFilterSet(df.FilterSet):
    """Open pairs unless ``status`` says otherwise (an empty ``status`` is every status)."""

    status = df.ChoiceFilter(
        label=_("Status"),
        choices=PairStatus.choices,
        empty_label=_("Semua"),
        method="filter_status",
    )
    area = df.CharFilter(label=_("Kode wilayah"), method="filter_area", max_length=13)
    min_probability = df.NumberFilter(
        label=_("Probabilitas paling kecil"),
        field_name="probability",
        lookup_expr="gte",
        min_value=0,
        max_value=1,
    )

    class Meta:
        model = DuplicatePair
        fields = ["status", "area", "min_probability"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = PairStatus.OPEN
        super().__init__(data, *args, **kwargs)
        if data is None:
            self.form.initial.setdefault("status", PairStatus.OPEN)

    @property
    def qs(self):
        qs = super().qs
        if not self.is_bound:
            return qs.reviewable()
        return qs

    def filter_status(self, qs, name, value):
        if value == PairStatus.OPEN:
            return qs.reviewable()
        return qs.filter(status=value) if value else qs

    def filter_area(self, qs, name, value):
        value = (value or "").strip()
        return qs.filter(person_a__area_code__prefix=value) if value else qs
