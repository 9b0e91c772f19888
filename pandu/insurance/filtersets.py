"""One FilterSet per Askesos list: the web lists, their exports and the API read the same
filters. The provider and scheme choices are those the reader sees."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import clock
from .choices import ClaimStatus, EventType, MemberStatus, PaymentMethod
from .models import Claim, Member, PremiumImport, PremiumPayment, Provider, Scheme


def _area(field: str = "area_code") -> df.CharFilter:
    return df.CharFilter(
        label=_("Kode wilayah"), field_name=field, lookup_expr="prefix", max_length=13
    )


def _providers(request):
    if request is None:
        return Provider.objects.none()
    return Provider.objects.visible_to(request.user).select_related("organisation")


def _schemes(request):
    if request is None:
        return Scheme.objects.none()
    return Scheme.objects.visible_to(request.user).select_related("provider")


def _provider(field: str = "provider") -> df.ModelChoiceFilter:
    return df.ModelChoiceFilter(
        label=_("Penyelenggara"), field_name=field, queryset=_providers, to_field_name="code"
    )


class ProviderFilterSet(df.FilterSet):
    q = df.CharFilter(label=_("Nama atau kode"), method="filter_q", max_length=60)
    area = _area()
    accredited = df.BooleanFilter(label=_("Terakreditasi hari ini"), method="filter_accredited")
    active = df.BooleanFilter(label=_("Aktif"))

    class Meta:
        model = Provider
        fields = ["q", "area", "accredited", "active"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__iexact=value) | Q(organisation__name__icontains=value))

    def filter_accredited(self, queryset, name, value):
        if value is None:
            return queryset
        ids = queryset.accredited_on(clock.today()).values("pk")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)


class MemberFilterSet(df.FilterSet):
    number = df.CharFilter(
        label=_("Nomor peserta"), field_name="number", lookup_expr="icontains", max_length=30
    )
    provider = _provider()
    scheme = df.ModelChoiceFilter(label=_("Skema"), queryset=_schemes, to_field_name="uid")
    status = df.ChoiceFilter(label=_("Status"), choices=MemberStatus.choices)
    area = _area()
    months_unpaid = df.NumberFilter(
        label=_("Menunggak paling sedikit (bulan)"),
        field_name="months_unpaid",
        lookup_expr="gte",
        min_value=0,
    )

    class Meta:
        model = Member
        fields = ["number", "provider", "scheme", "status", "area", "months_unpaid"]


class ReminderFilterSet(df.FilterSet):
    provider = _provider()
    area = _area()
    months_unpaid = df.NumberFilter(
        label=_("Menunggak paling sedikit (bulan)"),
        field_name="months_unpaid",
        lookup_expr="gte",
        min_value=1,
    )

    class Meta:
        model = Member
        fields = ["provider", "area", "months_unpaid"]


class PaymentFilterSet(df.FilterSet):
    number = df.CharFilter(
        label=_("Nomor peserta"),
        field_name="membership__number",
        lookup_expr="icontains",
        max_length=30,
    )
    provider = _provider()
    method = df.ChoiceFilter(label=_("Cara bayar"), choices=PaymentMethod.choices)
    paid_from = df.DateFilter(label=_("Dari tanggal"), field_name="paid_on", lookup_expr="gte")
    paid_to = df.DateFilter(label=_("Sampai tanggal"), field_name="paid_on", lookup_expr="lte")
    area = _area()

    class Meta:
        model = PremiumPayment
        fields = ["number", "provider", "method", "paid_from", "paid_to", "area"]


class ClaimFilterSet(df.FilterSet):
    number = df.CharFilter(
        label=_("Nomor klaim"), field_name="number", lookup_expr="icontains", max_length=30
    )
    provider = _provider()
    status = df.ChoiceFilter(label=_("Status"), choices=ClaimStatus.choices)
    event_type = df.ChoiceFilter(label=_("Peristiwa"), choices=EventType.choices)
    filed_from = df.DateFilter(label=_("Diajukan dari"), field_name="filed_on", lookup_expr="gte")
    filed_to = df.DateFilter(label=_("Diajukan sampai"), field_name="filed_on", lookup_expr="lte")
    area = _area()

    class Meta:
        model = Claim
        fields = ["number", "provider", "status", "event_type", "filed_from", "filed_to", "area"]


class ImportFilterSet(df.FilterSet):
    provider = _provider()

    class Meta:
        model = PremiumImport
        fields = ["provider"]
