"""Imports as a table (django-tables2), newest first."""

import django_tables2 as tables
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext_lazy as _

from .models import ImportBatch

NUMBER = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}


class _Count(tables.Column):
    def __init__(self, verbose_name):
        super().__init__(verbose_name=verbose_name, attrs=NUMBER)

    def render(self, value):
        return intcomma(value)


class ImportBatchTable(tables.Table):
    created_at = tables.DateTimeColumn(
        verbose_name=_("Waktu"), format="d-m-Y H:i", attrs={"td": {"class": "text-nowrap"}}
    )
    file_name = tables.Column(verbose_name=_("Berkas"))
    user = tables.Column(verbose_name=_("Oleh"), accessor="user__username", default=_("sistem"))
    status = tables.Column(
        verbose_name=_("Status"), attrs={"td": {"data-status": lambda record: record.status}}
    )
    rows_read = _Count(_("Dibaca"))
    created = _Count(_("Baru"))
    updated = _Count(_("Diubah"))
    unchanged = _Count(_("Tidak berubah"))
    rejected = _Count(_("Ditolak"))
    detail = tables.Column(
        verbose_name="",
        accessor="uid",
        linkify=("exchange:import_detail", {"uid": tables.A("uid")}),
    )

    class Meta:
        model = ImportBatch
        fields = [
            "created_at",
            "file_name",
            "user",
            "status",
            "rows_read",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "detail",
        ]
        attrs = {"class": "table table-sm bg-white mb-0"}
        orderable = False
        empty_text = _("Belum ada impor.")

    def render_detail(self):
        return _("Rincian")
