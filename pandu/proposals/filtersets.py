"""One filter definition per model of the proposals, shared by the web lists and the API."""

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import (
    BatchStatus,
    Handover,
    HandoverStatus,
    ItemKind,
    ItemStatus,
    ProposalBatch,
    ProposalItem,
)


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


class HandoverFilterSet(df.FilterSet):
    """Handovers by status, or by an area at either end (where the household comes from or
    goes to)."""

    status = df.ChoiceFilter(
        label=_("Status"), choices=HandoverStatus.choices, empty_label=_("Semua")
    )
    area = df.CharFilter(label=_("Kode wilayah"), method="filter_area", max_length=13)

    class Meta:
        model = Handover
        fields = ["status", "area"]

    def filter_area(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(Q(from_code__prefix=value) | Q(to_code__prefix=value))


#: What the web pages offer (the other filters are for the API).
WEB_FILTERS = ("status", "kind")
#: What the verification visits page offers: its items are all waiting for a visit.
QUEUE_FILTERS = ("area", "kind")


def web_filters(filterset, keep: tuple[str, ...] = WEB_FILTERS):
    for name in list(filterset.form.fields):
        if name not in keep:
            filterset.form.fields.pop(name)
    return filterset


def queue_filters(filterset):
    web_filters(filterset, QUEUE_FILTERS)
    filterset.form.fields["area"].label = _("Kode wilayah")
    return filterset
