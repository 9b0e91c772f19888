"""One FilterSet per list: the web lists and the API read the same filters."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from pandu.registry.filtersets import NamesOnlyAware

from .choices import Channel, CycleStatus, EntitlementStatus
from .models import Cycle, Entitlement, ReconciliationImport


class CycleFilterSet(df.FilterSet):
    programme = df.CharFilter(
        label=_("Kode program"), field_name="programme__code", lookup_expr="iexact", max_length=30
    )
    status = df.ChoiceFilter(label=_("Status"), choices=CycleStatus.choices)
    year = df.NumberFilter(
        label=_("Tahun"),
        field_name="period_start",
        lookup_expr="year",
        min_value=2000,
        max_value=2100,
    )

    class Meta:
        model = Cycle
        fields = ["programme", "status", "year"]


class EntitlementFilterSet(NamesOnlyAware):
    """A cycle's entitlements: by status, channel, area (a code prefix) and KK number. The KK
    number is for the API: the web lists filter by GET, so they drop it (``names_only``)."""

    cycle = df.UUIDFilter(label=_("ID siklus"), field_name="cycle__uid")
    status = df.ChoiceFilter(label=_("Status"), choices=EntitlementStatus.choices)
    channel = df.ChoiceFilter(label=_("Saluran"), choices=Channel.choices)
    area = df.CharFilter(
        label=_("Kode wilayah"), field_name="area_code", lookup_expr="startswith", max_length=13
    )
    kk = df.CharFilter(
        label=_("Nomor KK"), field_name="household__kk_number", lookup_expr="exact", max_length=16
    )

    class Meta:
        model = Entitlement
        fields = ["cycle", "status", "channel", "area", "kk"]


class ImportFilterSet(df.FilterSet):
    file_name = df.CharFilter(label=_("Nama berkas"), lookup_expr="icontains", max_length=100)

    class Meta:
        model = ReconciliationImport
        fields = ["file_name"]
