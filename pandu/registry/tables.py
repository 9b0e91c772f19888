"""List renderings (django-tables2). Pages never COUNT(*) the registry: LazyPaginator."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pandu.core.lists import secondary

from .masking import nik_for
from .models import Household, Person, PSKSOrganisation, PSKSPerson


class HouseholdTable(tables.Table):
    kk_number = tables.Column(
        verbose_name=_("Nomor KK"),
        linkify=("registry:household_detail", {"uid": tables.A("uid")}),
        attrs={"td": {"class": "nik"}},
    )
    head = tables.Column(verbose_name=_("Kepala keluarga"), accessor="head_name", orderable=False)
    village = tables.Column(verbose_name=_("Desa/kelurahan"), accessor="village__name")
    rt = tables.Column(verbose_name=_("RT"))
    rw = tables.Column(verbose_name=_("RW"))
    address = tables.Column(verbose_name=_("Alamat"), attrs=secondary())
    desil = tables.Column(verbose_name=_("Desil"), default="—", attrs=secondary())
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Household
        fields = ["kk_number", "head", "village", "rt", "rw", "address", "desil", "status"]
        attrs = {"class": "table table-sm table-hover bg-white"}
        order_by = ("-id",)


class PersonTable(tables.Table):
    full_name = tables.Column(
        verbose_name=_("Nama"), linkify=("registry:person_detail", {"uid": tables.A("uid")})
    )
    nik = tables.Column(verbose_name=_("NIK"), attrs={"td": {"class": "nik"}})
    sex = tables.Column(verbose_name=_("JK"), attrs=secondary())
    birth_date = tables.DateColumn(verbose_name=_("Tgl lahir"), format="d-m-Y")
    relationship = tables.Column(verbose_name=_("Hubungan"), attrs=secondary())
    village = tables.Column(
        verbose_name=_("Desa/kelurahan"), accessor="household__village__name", default="—"
    )
    status = tables.Column(verbose_name=_("Status"))
    flagged = tables.Column(verbose_name="", orderable=False)

    class Meta:
        model = Person
        fields = [
            "full_name",
            "nik",
            "sex",
            "birth_date",
            "relationship",
            "village",
            "status",
            "flagged",
        ]
        attrs = {"class": "table table-sm table-hover bg-white"}
        order_by = ("-id",)

    def render_nik(self, value):
        """In full for roles that hold ``registry.nik``, masked for the others (and for a table
        rendered without a request, which knows no reader)."""
        request = getattr(self, "request", None)
        return nik_for(getattr(request, "user", None), value)

    def render_flagged(self, value):
        if value:
            return format_html(
                '<span class="badge text-bg-warning" title="{}">!</span>', _("Perlu diperiksa")
            )
        return ""


class PSKSOrganisationTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Nama lembaga"),
        linkify=("registry:psks_org_detail", {"uid": tables.A("uid")}),
    )
    psks_type = tables.Column(verbose_name=_("Jenis"), accessor="psks_type__short_name")
    area = tables.Column(verbose_name=_("Wilayah"), accessor="area__name")
    legal_status = tables.Column(verbose_name=_("Status hukum"))
    registration_number = tables.Column(verbose_name=_("No. tanda daftar"))
    active = tables.BooleanColumn(verbose_name=_("Aktif"))

    class Meta:
        model = PSKSOrganisation
        fields = ["name", "psks_type", "area", "legal_status", "registration_number", "active"]
        attrs = {"class": "table table-sm table-hover bg-white"}
        order_by = ("name",)


class PSKSPersonTable(tables.Table):
    psks_type = tables.Column(
        verbose_name=_("Jenis"), accessor="psks_type__short_name", order_by="psks_type__number"
    )
    person = tables.Column(
        verbose_name=_("Nama"),
        accessor="person__full_name",
        linkify=("registry:person_detail", {"uid": tables.A("person__uid")}),
    )
    area = tables.Column(verbose_name=_("Wilayah tugas"), accessor="area__name")
    registration_number = tables.Column(verbose_name=_("No. registrasi"), default="—")
    active = tables.BooleanColumn(verbose_name=_("Aktif"))

    class Meta:
        model = PSKSPerson
        fields = ["psks_type", "person", "area", "registration_number", "active"]
        attrs = {"class": "table table-sm bg-white"}
        order_by = ("psks_type", "person")
        empty_text = _("Belum ada.")
