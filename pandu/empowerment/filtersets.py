"""One FilterSet per list: the web lists and the API read the same filters."""

from __future__ import annotations

from datetime import timedelta

import django_filters as df
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pandu.programs.models import Enrolment
from pandu.programs.models.enrolment import EnrolmentStatus

from .choices import FollowUpState, GroupStatus, PlanStatus
from .models import FollowUp, GraduationPlan, KubeGroup, UepGrant, UseVisit

#: How far ahead a follow-up counts as due.
DUE_AHEAD = timedelta(days=30)


def _area(field: str = "area_code") -> df.CharFilter:
    return df.CharFilter(
        label=_("Kode wilayah"), field_name=field, lookup_expr="prefix", max_length=13
    )


def _programme(field: str) -> df.CharFilter:
    return df.CharFilter(
        label=_("Kode program"), field_name=field, lookup_expr="iexact", max_length=30
    )


class KpmFilterSet(df.FilterSet):
    """The KPM a TKSK or facilitator accompanies: by programme, status, area, and those not
    visited for three months."""

    programme = _programme("programme__code")
    status = df.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED)],
    )
    area = _area()
    unvisited = df.BooleanFilter(label=_("Belum dikunjungi 3 bulan"), method="filter_unvisited")

    class Meta:
        model = Enrolment
        fields = ["programme", "status", "area", "unvisited"]

    def filter_unvisited(self, queryset, name, value):
        if value is None:
            return queryset
        since = timezone.localdate() - timedelta(days=90)
        recent = Q(last_visit__gte=since)
        return queryset.exclude(recent) if value else queryset.filter(recent)


class VisitFilterSet(df.FilterSet):
    programme = _programme("enrolment__programme__code")
    area = _area()
    visited_from = df.DateFilter(
        label=_("Dari tanggal"), field_name="visited_on", lookup_expr="gte"
    )
    visited_to = df.DateFilter(
        label=_("Sampai tanggal"), field_name="visited_on", lookup_expr="lte"
    )
    problem = df.BooleanFilter(label=_("Ada masalah"), method="filter_problem")
    follow_up_needed = df.BooleanFilter(label=_("Perlu tindak lanjut"))

    class Meta:
        model = UseVisit
        fields = ["programme", "area", "visited_from", "visited_to", "problem", "follow_up_needed"]

    def filter_problem(self, queryset, name, value):
        if value is None:
            return queryset
        any_problem = (
            Q(problem_programme=True)
            | Q(problem_card=True)
            | Q(problem_pin=True)
            | Q(problem_ewarong=True)
        )
        return queryset.filter(any_problem) if value else queryset.exclude(any_problem)


class PlanFilterSet(df.FilterSet):
    programme = _programme("enrolment__programme__code")
    status = df.ChoiceFilter(label=_("Status"), choices=PlanStatus.choices)
    area = _area()

    class Meta:
        model = GraduationPlan
        fields = ["programme", "status", "area"]


class FollowUpFilterSet(df.FilterSet):
    state = df.ChoiceFilter(
        label=_("Keadaan"), choices=FollowUpState.choices, method="filter_state"
    )
    area = _area("plan__area_code")

    class Meta:
        model = FollowUp
        fields = ["state", "area"]

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        open_ = queryset.filter(done_on__isnull=True)
        if value == FollowUpState.OVERDUE:
            return open_.filter(due_on__lt=today)
        if value == FollowUpState.DUE:
            return open_.filter(due_on__gte=today, due_on__lte=today + DUE_AHEAD)
        if value == FollowUpState.LATER:
            return open_.filter(due_on__gt=today + DUE_AHEAD)
        if value == FollowUpState.DONE:
            return queryset.filter(done_on__isnull=False)
        return queryset


class GroupFilterSet(df.FilterSet):
    q = df.CharFilter(label=_("Nama"), field_name="name", lookup_expr="icontains", max_length=60)
    status = df.ChoiceFilter(label=_("Status"), choices=GroupStatus.choices)
    area = _area("village")

    class Meta:
        model = KubeGroup
        fields = ["q", "status", "area"]


class GrantFilterSet(df.FilterSet):
    area = _area()
    granted_from = df.DateFilter(
        label=_("Dari tanggal"), field_name="granted_on", lookup_expr="gte"
    )
    granted_to = df.DateFilter(
        label=_("Sampai tanggal"), field_name="granted_on", lookup_expr="lte"
    )

    class Meta:
        model = UepGrant
        fields = ["area", "granted_from", "granted_to"]
