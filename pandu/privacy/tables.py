"""The personal-data lists as tables (django-tables2); on a phone each row is a card. Overdue
clocks show in red, those with under a day left in amber."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pandu.core.lists import secondary

from . import deadlines
from .models import Breach, RetentionReview, RetentionRule, SubjectRequest

LIST = {"class": "table table-sm table-hover mb-0"}
BADGE = {
    "done": "text-bg-success",
    "overdue": "text-bg-danger",
    "soon": "text-bg-warning",
    "running": "text-bg-light border",
}


def clock_badge(deadline, *, done: bool) -> str:
    state = deadlines.state(deadline, done=done)
    return format_html(
        '<span class="badge {}" data-clock="{}">{}</span>',
        BADGE[state],
        state,
        deadlines.left_text(deadline, done=done),
    )


class RequestTable(tables.Table):
    number = tables.LinkColumn(
        "privacy:request_detail", args=[tables.A("uid")], verbose_name=_("Nomor")
    )
    kind = tables.Column(verbose_name=_("Jenis"))
    person = tables.Column(accessor="person__full_name", verbose_name=_("Penduduk"))
    received_at = tables.DateTimeColumn("d-m-Y H:i", verbose_name=_("Diterima"), attrs=secondary())
    ack = tables.Column(verbose_name=_("Tanda terima"), empty_values=(), orderable=False)
    due_on = tables.Column(verbose_name=_("Batas penyelesaian"))
    status = tables.Column(verbose_name=_("Status"))
    assignee = tables.Column(verbose_name=_("Petugas"), default="—", attrs=secondary())

    class Meta:
        model = SubjectRequest
        fields = ("number", "kind", "person", "received_at", "ack", "due_on", "status", "assignee")
        attrs = LIST
        orderable = False
        empty_text = _("Tidak ada permintaan.")

    def render_ack(self, record) -> str:
        return clock_badge(
            record.ack_due, done=record.acknowledged_at is not None or not record.is_open
        )

    def render_due_on(self, record, value) -> str:
        day = value.strftime("%d-%m-%Y")
        if record.is_open and timezone.localdate() > value:
            return format_html('<span class="badge text-bg-danger" data-overdue>{}</span>', day)
        return day

    def render_assignee(self, value) -> str:
        return value.get_full_name() or value.username


class ReviewTable(tables.Table):
    kind = tables.Column(verbose_name=_("Jenis data"))
    record_uid = tables.Column(verbose_name=_("Data"), orderable=False, empty_values=())
    area_code = tables.Column(verbose_name=_("Wilayah"), attrs=secondary())
    ended_on = tables.DateColumn("d-m-Y", verbose_name=_("Berakhir"))
    due_since = tables.DateColumn("d-m-Y", verbose_name=_("Lewat masa simpan sejak"))
    status = tables.Column(verbose_name=_("Status"))
    open_review = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = RetentionReview
        fields = ("kind", "record_uid", "area_code", "ended_on", "due_since", "status")
        attrs = LIST
        orderable = False
        empty_text = _("Tidak ada data yang melewati masa simpan.")

    def render_record_uid(self, record) -> str:
        return str(record.record_uid)[:8]

    def render_open_review(self, record) -> str:
        return format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>',
            reverse("privacy:review_detail", args=[record.uid]),
            _("Tinjau"),
        )


class RuleTable(tables.Table):
    kind = tables.Column(verbose_name=_("Jenis data"))
    area_code = tables.Column(verbose_name=_("Wilayah"), empty_values=())
    period_months = tables.Column(verbose_name=_("Masa simpan (bulan)"))
    legal_basis = tables.Column(verbose_name=_("Dasar hukum"))
    unconfirmed = tables.BooleanColumn(verbose_name=_("Belum dipastikan"), attrs=secondary())
    active = tables.BooleanColumn(verbose_name=_("Berlaku"))

    class Meta:
        model = RetentionRule
        fields = ("kind", "area_code", "period_months", "legal_basis", "unconfirmed", "active")
        attrs = LIST
        orderable = False
        empty_text = _("Belum ada ketentuan masa simpan.")

    def render_area_code(self, value) -> str:
        return value or str(_("Nasional"))


class BreachTable(tables.Table):
    number = tables.LinkColumn(
        "privacy:breach_detail", args=[tables.A("uid")], verbose_name=_("Nomor")
    )
    title = tables.Column(verbose_name=_("Judul"))
    discovered_at = tables.DateTimeColumn("d-m-Y H:i", verbose_name=_("Diketahui"))
    people_affected = tables.Column(verbose_name=_("Orang terdampak"), attrs=secondary())
    clock = tables.Column(
        verbose_name=_("Pemberitahuan 3×24 jam"), empty_values=(), orderable=False
    )
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Breach
        fields = ("number", "title", "discovered_at", "people_affected", "clock", "status")
        attrs = LIST
        orderable = False
        empty_text = _("Tidak ada insiden.")

    def render_clock(self, record) -> str:
        return clock_badge(record.notify_due, done=record.fully_notified)
