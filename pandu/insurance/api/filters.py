"""The API's filters: the web lists' FilterSets (``insurance/filtersets.py``), plus what only the
API asks for: schemes by provider, and a member's own payments and claims by its UUID."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from .. import filtersets as web
from ..models import Scheme


def _member() -> df.UUIDFilter:
    return df.UUIDFilter(label=_("Peserta (UUID)"), field_name="membership__uid")


ProviderFilterSet = web.ProviderFilterSet
MemberFilterSet = web.MemberFilterSet


class SchemeFilterSet(df.FilterSet):
    provider = df.CharFilter(
        label=_("Kode penyelenggara"), field_name="provider__code", lookup_expr="iexact"
    )
    active = df.BooleanFilter(label=_("Menerima peserta baru"))

    class Meta:
        model = Scheme
        fields = ["provider", "active"]


class PaymentFilterSet(web.PaymentFilterSet):
    member = _member()
    batch = df.UUIDFilter(label=_("Impor (UUID)"), field_name="batch__uid")

    class Meta(web.PaymentFilterSet.Meta):
        fields = [*web.PaymentFilterSet.Meta.fields, "member", "batch"]


class ClaimFilterSet(web.ClaimFilterSet):
    member = _member()

    class Meta(web.ClaimFilterSet.Meta):
        fields = [*web.ClaimFilterSet.Meta.fields, "member"]
