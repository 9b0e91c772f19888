"""The lists of accounts and of their history: one FilterSet each."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import User, UserChange
from .roles import Role


class UserFilterSet(df.FilterSet):
    q = df.CharFilter(label=_("Nama atau nama pengguna"), method="filter_q", max_length=60)
    role = df.ChoiceFilter(label=_("Peran"), choices=Role.choices)
    area = df.CharFilter(
        label=_("Kode wilayah"), field_name="area", lookup_expr="prefix", max_length=13
    )
    is_active = df.BooleanFilter(label=_("Aktif"))

    class Meta:
        model = User
        fields = ["q", "role", "area", "is_active"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
        )


class UserChangeFilterSet(df.FilterSet):
    user = df.CharFilter(
        label=_("Nama pengguna"), field_name="user__username", lookup_expr="iexact", max_length=150
    )
    actor = df.CharFilter(
        label=_("Diubah oleh"), field_name="actor__username", lookup_expr="iexact", max_length=150
    )
    kind = df.ChoiceFilter(label=_("Jenis"), choices=UserChange.Kind.choices)
    since = df.DateFilter(label=_("Sejak"), field_name="at", lookup_expr="date__gte")
    until = df.DateFilter(label=_("Sampai"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = UserChange
        fields = ["user", "actor", "kind", "since", "until"]
