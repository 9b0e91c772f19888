"""One filter definition per model, shared by the web lists, the API and exports."""

import django_filters as df
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.forms.utils import ErrorDict, ErrorList
from django.utils.translation import gettext_lazy as _

from . import choices as c
from .models import (
    Household,
    Person,
    PPKSAssignment,
    PPKSCategory,
    PSKSOrganisation,
    PSKSPerson,
    PSKSType,
)
from .names import search_key
from .nik import normalise_number


def _area_field(field: str):
    """Filter by area code prefix; on web forms the field is the autocomplete area picker."""
    from .forms import AreaSelect

    return df.CharFilter(
        label=_("Wilayah"),
        method=_area_filter(field),
        widget=AreaSelect(attrs={"data-area-picker": "/wilayah/cari/", "data-scope": "mine"}),
    )


def _area_filter(field: str):
    def method(qs, name, value):
        value = (value or "").strip()
        return qs.filter(**{f"{field}__prefix": value}) if value else qs

    return method


def _visible_ppks(request):
    from .queries import ppks_categories_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return PPKSCategory.objects.none()
    return ppks_categories_for(user)


# Filters that take a NIK or KK: never on a page, whose filters travel in the address.
NUMBER_FILTERS = ("nik", "kk")


def holds_a_number(value: str) -> bool:
    """Six digits or more: part of a NIK or KK, never part of a name."""
    return sum(ch.isdigit() for ch in value or "") >= 6


def _refuse_numbers(value: str) -> None:
    if holds_a_number(value):
        raise ValidationError(
            _(
                "Kotak ini hanya untuk nama. Cari NIK atau nomor KK di halaman Cari, supaya "
                "nomornya tidak tercatat di alamat halaman."
            ),
            code="number_in_get",
        )


def names_only(fs):
    """For a filter form sent by GET (list and export pages): no NIK or KK field, and the search
    box takes a name only, so a NIK never ends up in addresses, browser history or proxy logs.
    NIK and KK are looked up on the search page, by POST. A NIK or KK that still arrives in the
    address makes the filter invalid (and empty), never silently ignored: that would widen it."""
    fs.numbers_sent = tuple(n for n in NUMBER_FILTERS if n in fs.form.fields and fs.data.get(n))
    for name in NUMBER_FILTERS:
        fs.form.fields.pop(name, None)
    field = fs.form.fields.get("q")
    if field is not None:
        field.label = _("Nama")
        field.validators.append(_refuse_numbers)
    fs.names_only = True
    return fs


class NamesOnlyAware(df.FilterSet):
    """A FilterSet with NIK or KK filters that ``names_only`` may take off a GET page (the API
    keeps them): a number still sent in the address is an error and an empty list."""

    names_only = False
    numbers_sent: tuple[str, ...] = ()

    @property
    def errors(self):
        errors = super().errors
        if self.numbers_sent:
            errors = ErrorDict(errors)
            errors[NON_FIELD_ERRORS] = ErrorList(
                [
                    _(
                        "NIK dan nomor KK tidak dapat disaring di halaman ini, karena saringannya "
                        "tercatat di alamat halaman. Cari NIK atau nomor KK di halaman Cari."
                    )
                ]
            )
        return errors

    def is_valid(self) -> bool:
        return super().is_valid() and not self.numbers_sent

    def filter_queryset(self, queryset):
        # A refused filter must not fall back to the unfiltered list.
        if self.names_only and (self.numbers_sent or "q" in self.form.errors):
            return queryset.none()
        return super().filter_queryset(queryset)


class PersonFilterSet(NamesOnlyAware):
    q = df.CharFilter(label=_("Cari (NIK, nama)"), method="filter_q")
    nik = df.CharFilter(label=_("NIK"), method="filter_nik")
    kk = df.CharFilter(label=_("Nomor KK"), field_name="household__kk_number", method="filter_kk")
    area = _area_field("area_code")
    ppks = df.ModelChoiceFilter(
        label=_("PPKS"), queryset=_visible_ppks, to_field_name="number", method="filter_ppks"
    )
    sex = df.ChoiceFilter(label=_("Jenis kelamin"), choices=c.Sex.choices)
    status = df.ChoiceFilter(label=_("Status"), choices=c.PersonStatus.choices)
    relationship = df.TypedChoiceFilter(
        label=_("Hubungan"), choices=c.Relationship.choices, coerce=int
    )
    flagged = df.BooleanFilter(label=_("Perlu diperiksa"))

    class Meta:
        model = Person
        fields = ["q", "nik", "kk", "area", "ppks", "sex", "status", "relationship", "flagged"]

    def filter_q(self, qs, name, value):
        return search_people(qs, value)

    def filter_nik(self, qs, name, value):
        return qs.filter(nik=normalise_number(value)) if value else qs

    def filter_kk(self, qs, name, value):
        return qs.filter(household__kk_number=normalise_number(value)) if value else qs

    def filter_ppks(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(ppks__category=value, ppks__active=True).distinct()


def search_people(qs, value: str, *, anywhere: bool = True):
    """NIK or KK (16 digits) exactly; otherwise the name, after Indonesian normalisation.

    Every word typed must start a word of the name, in any order: "moh rahman" and "rahman"
    both find "Muhammad Abdul Rahman".
    """
    value = (value or "").strip()
    if not value:
        return qs
    digits = normalise_number(value)
    if digits.isdigit() and len(digits) == 16:
        # Two indexed lookups; an OR across the join would scan the whole table.
        ids = list(qs.filter(nik=digits).values_list("pk", flat=True)[:1])
        ids += qs.filter(household__kk_number=digits).values_list("pk", flat=True)[:50]
        return qs.filter(pk__in=ids)
    key = search_key(value)
    if not key:
        return qs.none()
    tokens = key.split()
    # The first word starts the name (an index range) or, with ``anywhere``, any later word of
    # it (PostgreSQL answers that from a trigram index; SQLite scans).
    first = tokens[0]
    if anywhere:
        qs = qs.filter(Q(name_key__prefix=first) | Q(name_key__contains=" " + first))
    else:
        qs = qs.filter(name_key__prefix=first)
    for token in tokens[1:]:
        qs = qs.filter(Q(name_key__contains=" " + token) | Q(name_key__prefix=token))
    return qs


def name_search_order() -> tuple[str, ...]:
    """Alphabetical where the name index also gives the order (SQLite compares bytes); newest
    first on PostgreSQL, whose locale collation cannot walk the pattern index in order."""
    from django.db import connection

    return ("name_key", "id") if connection.vendor == "sqlite" else ("-id",)


def find_people(qs, value: str, limit: int) -> list:
    """Search-page results: names starting with the first word typed come first (fast on
    every backend); only when they are fewer than ``limit`` are other word positions searched."""
    order = name_search_order()
    found = list(search_people(qs, value, anywhere=False).order_by(*order)[:limit])
    if len(found) < limit and not normalise_number(value).isdigit():
        more = search_people(qs, value).exclude(pk__in=[p.pk for p in found])
        found += list(more.order_by(*order)[: limit - len(found)])
    return found


class HouseholdFilterSet(NamesOnlyAware):
    kk = df.CharFilter(label=_("Nomor KK"), method="filter_kk")
    nik = df.CharFilter(label=_("NIK anggota"), method="filter_nik")
    area = _area_field("village")
    rt = df.NumberFilter(label=_("RT"))
    rw = df.NumberFilter(label=_("RW"))
    status = df.ChoiceFilter(label=_("Status"), choices=c.HouseholdStatus.choices)
    desil = df.NumberFilter(label=_("Desil"))
    ppks = df.ModelChoiceFilter(
        label=_("PPKS"), queryset=_visible_ppks, to_field_name="number", method="filter_ppks"
    )

    class Meta:
        model = Household
        fields = ["kk", "nik", "area", "rt", "rw", "status", "desil", "ppks"]

    def filter_kk(self, qs, name, value):
        return qs.filter(kk_number=normalise_number(value)) if value else qs

    def filter_nik(self, qs, name, value):
        return qs.filter(members__nik=normalise_number(value)) if value else qs

    def filter_ppks(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(
            Q(ppks__category=value, ppks__active=True)
            | Q(members__ppks__category=value, members__ppks__active=True)
        ).distinct()


class PPKSAssignmentFilterSet(df.FilterSet):
    area = df.CharFilter(label=_("Kode wilayah"), method=_area_filter("area_code"))
    category = df.ModelChoiceFilter(label=_("PPKS"), queryset=_visible_ppks, to_field_name="number")
    active = df.BooleanFilter(label=_("Masih berlaku"))
    verified = df.BooleanFilter(
        label=_("Sudah diverifikasi"), field_name="verified_on", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = PPKSAssignment
        fields = ["area", "category", "active", "source"]


class PSKSPersonFilterSet(df.FilterSet):
    area = df.CharFilter(label=_("Kode wilayah"), method=_area_filter("area"))
    psks_type = df.ModelChoiceFilter(
        label=_("Jenis PSKS"),
        queryset=PSKSType.objects.filter(kind="person"),
        to_field_name="number",
    )

    class Meta:
        model = PSKSPerson
        fields = ["area", "psks_type", "active"]


class PSKSOrganisationFilterSet(df.FilterSet):
    area = df.CharFilter(label=_("Kode wilayah"), method=_area_filter("area"))
    psks_type = df.ModelChoiceFilter(
        label=_("Jenis PSKS"),
        queryset=PSKSType.objects.filter(kind="organisation"),
        to_field_name="number",
    )
    name = df.CharFilter(label=_("Nama"), lookup_expr="icontains")

    class Meta:
        model = PSKSOrganisation
        fields = ["area", "psks_type", "legal_status", "active", "name"]
