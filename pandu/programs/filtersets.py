"""One FilterSet per list: the web lists and the API read the same filters."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pandu.organisations.models import Organisation, OrganisationKind

from . import choices as c
from .models import Enrolment, IntegratedProgramme, Programme
from .models.enrolment import ApprovalStep, EnrolmentStatus


class ProgrammeFilterSet(df.FilterSet):
    q = df.CharFilter(label=_("Kode atau nama"), method="filter_q", max_length=60)
    benefit_type = df.ChoiceFilter(label=_("Jenis bantuan"), choices=c.BenefitType.choices)
    level = df.ChoiceFilter(label=_("Tingkat"), choices=c.ProgrammeLevel.choices)
    status = df.ChoiceFilter(label=_("Status"), choices=c.ProgrammeStatus.choices)

    class Meta:
        model = Programme
        fields = ["q", "benefit_type", "level", "status"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class IntegratedProgrammeFilterSet(df.FilterSet):
    q = df.CharFilter(label=_("Nama"), field_name="title", lookup_expr="icontains", max_length=60)
    status = df.ChoiceFilter(label=_("Status"), choices=c.IntegratedStatus.choices)

    class Meta:
        model = IntegratedProgramme
        fields = ["q", "status"]


class OrganisationFilterSet(df.FilterSet):
    q = df.CharFilter(label=_("Nama"), method="filter_q", max_length=60)
    kind = df.ChoiceFilter(label=_("Jenis lembaga"), choices=OrganisationKind.choices)

    class Meta:
        model = Organisation
        fields = ["q", "kind"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class EnrolmentFilterSet(df.FilterSet):
    """Candidates and KPM: by programme code, status, approval step and area (a code prefix)."""

    programme = df.CharFilter(
        label=_("Kode program"), field_name="programme__code", lookup_expr="iexact", max_length=30
    )
    status = df.ChoiceFilter(label=_("Status"), choices=EnrolmentStatus.choices)
    step = df.ChoiceFilter(label=_("Tahap"), choices=ApprovalStep.choices)
    area = df.CharFilter(
        label=_("Kode wilayah"), field_name="area_code", lookup_expr="startswith", max_length=13
    )

    class Meta:
        model = Enrolment
        fields = ["programme", "status", "step", "area"]
