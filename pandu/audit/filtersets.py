"""The access log's one FilterSet: the page, its export and the API narrow the entries with it."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.apps import apps
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from pandu.core.models import AccessLog

#: An area code as the project writes it: "73", "73.09", "73.09.13", "73.09.13.2003".
AREA_CODE = RegexValidator(
    r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
    _("Kode wilayah ditulis seperti 73.09 atau 73.09.13.2003."),
)


def record_types() -> list[tuple[str, str]]:
    """The kinds of record an entry may name: every Pandu model addressed by a public UUID."""
    found = {
        str(model._meta.model_name): str(model._meta.verbose_name).capitalize()
        for model in apps.get_models()
        if model.__module__.startswith("pandu.")
        and any(f.name == "uid" for f in model._meta.concrete_fields)
        and not model.__name__.startswith("Historical")
    }
    return sorted(found.items(), key=lambda item: item[1])


class DateFilter(df.DateFilter):
    """A date typed as 31-12-2026 (the pages' format) or 2026-12-31 (the API's)."""

    field_class = forms.DateField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(*args, **kwargs)


class AccessLogFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


class AccessLogFilterSet(df.FilterSet):
    user = df.CharFilter(
        label=_("Nama pengguna"), field_name="user__username", lookup_expr="iexact", max_length=150
    )
    kind = df.ChoiceFilter(label=_("Jenis"), choices=AccessLog.Kind.choices)
    record_type = df.ChoiceFilter(
        label=_("Jenis data"), field_name="object_type", choices=record_types
    )
    record = df.UUIDFilter(label=_("ID data (UUID)"), method="filter_record")
    area = df.CharFilter(
        label=_("Kode wilayah"),
        field_name="area_code",
        lookup_expr="prefix",
        max_length=13,
        validators=[AREA_CODE],
    )
    since = DateFilter(label=_("Sejak"), field_name="at", lookup_expr="date__gte")
    until = DateFilter(label=_("Sampai"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AccessLog
        form = AccessLogFilterForm
        fields = ["user", "kind", "record_type", "record", "area", "since", "until"]

    def filter_record(self, queryset, name, value):
        # Entries keep the record's UUID as text, with dashes.
        return queryset.filter(object_uid=str(value))
