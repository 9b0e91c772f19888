"""Filters of the run list (web and API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import TargetingRun


class RunFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=TargetingRun.Status.choices, label=_("Status"), empty_label=_("Semua")
    )
    programme = django_filters.CharFilter(
        field_name="programme__code", lookup_expr="iexact", label=_("Kode program")
    )

    class Meta:
        model = TargetingRun
        fields = ["status", "programme"]
