"""One FilterSet per list: the web lists and the API read the same filters."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import choices as c
from .models import Breach, ConsentRecord, RetentionReview, RetentionRule, SubjectRequest

YES_NO = df.BooleanFilter  # a "Ya/Tidak/Semua" select


class RequestFilterSet(df.FilterSet):
    status = df.ChoiceFilter(
        label=_("Status"), choices=c.RequestStatus.choices, empty_label=_("Semua")
    )
    kind = df.ChoiceFilter(label=_("Jenis"), choices=c.RequestKind.choices, empty_label=_("Semua"))
    open = YES_NO(label=_("Masih berjalan"), method="filter_open")
    overdue = YES_NO(label=_("Lewat batas waktu"), method="filter_overdue")
    mine = YES_NO(label=_("Tugas saya"), method="filter_mine")
    number = df.CharFilter(label=_("Nomor"), lookup_expr="icontains", max_length=20)

    class Meta:
        model = SubjectRequest
        fields = ["status", "kind", "open", "overdue", "mine", "number"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        cond = Q(status__in=c.OPEN_REQUEST)
        return queryset.filter(cond) if value else queryset.exclude(cond)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = queryset.model.objects.overdue(timezone.now()).values("pk")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(assignee=user) if value else queryset.exclude(assignee=user)


class ConsentFilterSet(df.FilterSet):
    purpose = df.ChoiceFilter(label=_("Tujuan"), choices=c.Purpose.choices, empty_label=_("Semua"))
    in_force = YES_NO(label=_("Masih berlaku"), method="filter_in_force")
    person = df.UUIDFilter(label=_("Penduduk (UUID)"), field_name="person__uid")

    class Meta:
        model = ConsentRecord
        fields = ["purpose", "in_force", "person"]

    def filter_in_force(self, queryset, name, value):
        if value is None:
            return queryset
        live = queryset.model.objects.in_force().values("pk")
        return queryset.filter(pk__in=live) if value else queryset.exclude(pk__in=live)


class ReviewFilterSet(df.FilterSet):
    status = df.ChoiceFilter(
        label=_("Status"), choices=c.ReviewStatus.choices, empty_label=_("Semua")
    )
    kind = df.ChoiceFilter(
        label=_("Jenis data"), choices=c.RecordKind.choices, empty_label=_("Semua")
    )

    class Meta:
        model = RetentionReview
        fields = ["status", "kind"]


class RuleFilterSet(df.FilterSet):
    kind = df.ChoiceFilter(
        label=_("Jenis data"), choices=c.RecordKind.choices, empty_label=_("Semua")
    )

    class Meta:
        model = RetentionRule
        fields = ["kind"]


class BreachFilterSet(df.FilterSet):
    status = df.ChoiceFilter(
        label=_("Status"), choices=c.BreachStatus.choices, empty_label=_("Semua")
    )
    overdue = YES_NO(label=_("Pemberitahuan terlambat"), method="filter_overdue")

    class Meta:
        model = Breach
        fields = ["status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = queryset.model.objects.notice_overdue(timezone.now()).values("pk")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)
