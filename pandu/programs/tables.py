"""Programme lists as tables (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pandu.core.lists import secondary
from pandu.organisations.models import Organisation

from .models import Enrolment, IntegratedProgramme, Programme

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
    edit = tables.Column(verbose_name="", orderable=False, empty_values=())

    #: The area prefix whose bodies the viewer may change (set by the page); None: none.
    edit_scope: str | None = None

    class Meta:
        model = Organisation
        fields = ("name", "short_name", "kind", "area", "edit")
        attrs = LIST
        order_by = ("name",)

    def render_edit(self, record) -> str:
        if self.edit_scope is None or not (record.area_id or "").startswith(self.edit_scope):
            return ""
        url = reverse("programs:organisation_edit", args=[record.uid])
        return format_html('<a href="{}">{}</a>', url, _("Ubah"))


class EnrolmentTable(tables.Table):
    """Candidates and KPM of the programmes in the user's area."""

    household = tables.LinkColumn(
        "programs:enrolment_detail",
        args=[tables.A("uid")],
        accessor="household__kk_number",
        verbose_name=_("Nomor KK"),
        attrs={"a": {"class": "nik"}},
    )
    recipient = tables.Column(
        accessor="recipient__full_name", verbose_name=_("Penerima"), default="—"
    )
    programme = tables.Column(accessor="programme__code", verbose_name=_("Program"))
    area_code = tables.Column(verbose_name=_("Desa/kelurahan"), attrs=secondary())
    status = tables.Column(verbose_name=_("Status"))
    step = tables.Column(verbose_name=_("Tahap"))
    status_since = tables.DateColumn("d-m-Y", verbose_name=_("Sejak"), attrs=secondary())

    class Meta:
        model = Enrolment
        fields = ("household", "recipient", "programme", "area_code", "status", "step")
        attrs = LIST
        order_by = ("area_code",)


class AccuracyKpmTable(tables.Table):
    """The KPM of one finding of the accuracy report; the view puts each row's ``line`` (head,
    village, reason) on its record."""

    kk_number = tables.Column(
        accessor="line__kk_number", verbose_name=_("Nomor KK"), orderable=False
    )
    head = tables.Column(accessor="line__head", verbose_name=_("Kepala keluarga"), default="—")
    recipient = tables.Column(
        accessor="line__recipient", verbose_name=_("Penerima"), default="—", attrs=secondary()
    )
    village = tables.Column(accessor="line__village_name", verbose_name=_("Desa/kelurahan"))
    reason = tables.Column(accessor="line__reason", verbose_name=_("Keterangan"), default="—")

    class Meta:
        attrs = LIST
        orderable = False

    def render_kk_number(self, record, value) -> str:
        url = reverse("programs:enrolment_detail", args=[record.uid])
        return format_html('<a class="nik" href="{}">{}</a>', url, value)


class AccuracyFamilyTable(tables.Table):
    """The eligible families that are not KPM (the exclusion error)."""

    kk_number = tables.Column(verbose_name=_("Nomor KK"), orderable=False)
    head = tables.Column(accessor="line__head", verbose_name=_("Kepala keluarga"), default="—")
    village = tables.Column(accessor="line__village_name", verbose_name=_("Desa/kelurahan"))
    reason = tables.Column(accessor="line__reason", verbose_name=_("Keterangan"), default="—")

    class Meta:
        attrs = LIST
        orderable = False
