"""Programme lists as tables (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from pandu.core.lists import secondary
from pandu.organisations.models import Organisation

from .models import IntegratedProgramme, Programme

LIST = {"class": "table table-sm table-hover mb-0"}


class ProgrammeTable(tables.Table):
    code = tables.LinkColumn(
        "programs:programme_detail", args=[tables.A("code")], verbose_name=_("Kode")
    )
    name = tables.Column(verbose_name=_("Nama program"))
    benefit_type = tables.Column(verbose_name=_("Jenis bantuan"))
    owner = tables.Column(verbose_name=_("Pemilik"), attrs=secondary(), orderable=False)
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Programme
        fields = ("code", "name", "benefit_type", "owner", "status")
        attrs = LIST
        order_by = ("code",)


class IntegratedProgrammeTable(tables.Table):
    title = tables.LinkColumn(
        "programs:integrated_detail", args=[tables.A("uid")], verbose_name=_("Program terpadu")
    )
    area = tables.Column(verbose_name=_("Lokasi"), orderable=False)
    designated_by = tables.Column(verbose_name=_("Ditetapkan oleh"), attrs=secondary())
    starts_on = tables.DateColumn("d-m-Y", verbose_name=_("Mulai"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = IntegratedProgramme
        fields = ("title", "area", "designated_by", "starts_on", "status")
        attrs = LIST


class OrganisationTable(tables.Table):
    name = tables.Column(verbose_name=_("Nama lembaga"))
    short_name = tables.Column(verbose_name=_("Singkatan"), attrs=secondary())
    kind = tables.Column(verbose_name=_("Jenis lembaga"))
    area = tables.Column(verbose_name=_("Wilayah kedudukan"), orderable=False, default="—")

    class Meta:
        model = Organisation
        fields = ("name", "short_name", "kind", "area")
        attrs = LIST
        order_by = ("name",)
