"""One filter definition for the list of imports."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from .models import ImportBatch


class ImportBatchFilterSet(df.FilterSet):
    status = df.ChoiceFilter(
        label=_("Status"), choices=ImportBatch.Status.choices, empty_label=_("Semua")
    )
    file_name = df.CharFilter(label=_("Berkas"), lookup_expr="icontains", max_length=100)

    class Meta:
        model = ImportBatch
        fields = ["status", "file_name"]
