"""One filter definition per model of the proposals, shared by the web lists and the API."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from .models import BatchStatus, ItemKind, ItemStatus, ProposalBatch, ProposalItem


def _area_filter(qs, name, value):
    value = (value or "").strip()
    return qs.in_area(value)


class BatchFilterSet(df.FilterSet):
    status = df.ChoiceFilter(choices=BatchStatus.choices, empty_label=_("Semua"))
    area = df.CharFilter(method=_area_filter, label="Area code prefix (village, district...).")

    class Meta:
        model = ProposalBatch
        fields = ["status", "area"]


class ItemFilterSet(df.FilterSet):
    status = df.ChoiceFilter(choices=ItemStatus.choices, empty_label=_("Semua"))
    kind = df.ChoiceFilter(choices=ItemKind.choices, empty_label=_("Semua"))
    batch = df.UUIDFilter(field_name="batch__uid", label="Batch uid.")
    area = df.CharFilter(method=_area_filter, label="Area code prefix (village, district...).")
    mine = df.BooleanFilter(method="filter_mine", label="Only items the caller proposed.")

    class Meta:
        model = ProposalItem
        fields = ["status", "kind", "batch", "area", "mine"]

    def filter_mine(self, qs, name, value):
        return qs.filter(created_by=self.request.user) if value else qs


#: What the web pages offer (the other filters are for the API).
WEB_FILTERS = ("status", "kind")


def web_filters(filterset):
    for name in list(filterset.form.fields):
        if name not in WEB_FILTERS:
            filterset.form.fields.pop(name)
    return filterset
