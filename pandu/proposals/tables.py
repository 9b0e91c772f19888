"""Proposal batches and items as tables (django-tables2), newest first."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pandu.core.lists import secondary

from .models import ProposalBatch, ProposalItem
from .templatetags.proposals import status_colour


def _badge(record) -> str:
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        status_colour(record.status),
        record.get_status_display(),
    )


class BatchTable(tables.Table):
    ref = tables.Column(
        verbose_name=_("No."),
        linkify=("proposals:batch_detail", {"uid": tables.A("uid")}),
        attrs={"a": {"class": "nik"}},
        empty_values=(),
    )
    village = tables.Column(verbose_name=_("Desa/kelurahan"), accessor="village__display_name")
    meeting_date = tables.DateColumn(verbose_name=_("Musdes"), format="d-m-Y")
    submitted_at = tables.DateTimeColumn(
        verbose_name=_("Diajukan"), format="d-m-Y", default="—", attrs=secondary()
    )
    n_items = tables.Column(verbose_name=_("Butir"), attrs=secondary())
    n_pending = tables.Column(verbose_name=_("Menunggu verifikasi"))
    n_applied = tables.Column(verbose_name=_("Masuk registri"))
    n_rejected = tables.Column(verbose_name=_("Ditolak"))
    status = tables.Column(verbose_name=_("Status"), empty_values=())

    class Meta:
        model = ProposalBatch
        fields = [
            "ref",
            "village",
            "meeting_date",
            "submitted_at",
            "n_items",
            "n_pending",
            "n_applied",
            "n_rejected",
            "status",
        ]
        attrs = {"class": "table table-sm table-hover bg-white", "id": "batches"}
        orderable = False
        empty_text = _("Belum ada usulan.")

    def render_status(self, record):
        return _badge(record)


class MyItemTable(tables.Table):
    """What I proposed: the rows must be decorated (``subject_name``) before rendering."""

    meeting_date = tables.DateColumn(
        verbose_name=_("Musdes"),
        accessor="batch__meeting_date",
        format="d-m-Y",
        attrs={"td": {"class": "text-nowrap"}},
    )
    kind = tables.Column(
        verbose_name=_("Jenis"), linkify=("proposals:item_detail", {"uid": tables.A("uid")})
    )
    subject_name = tables.Column(verbose_name=_("Orang/keluarga"), default="")
    status = tables.TemplateColumn(
        template_name="proposals/_item_status_cell.html", verbose_name=_("Status")
    )
    note = tables.TemplateColumn(
        template_name="proposals/_my_item_note.html",
        verbose_name=_("Keterangan"),
        attrs={"td": {"class": "small"}},
        empty_values=(),
    )

    class Meta:
        model = ProposalItem
        fields = ["meeting_date", "kind", "subject_name", "status", "note"]
        attrs = {"class": "table table-sm bg-white", "id": "my-items"}
        orderable = False
        empty_text = _("Belum ada usulan.")
