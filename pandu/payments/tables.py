"""Payment lists as tables (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pandu.core.lists import secondary

from .models import Cycle, Entitlement, Payment, ReconciliationImport

LIST = {"class": "table table-sm table-hover mb-0"}


def _figure(record, key: str) -> str:
    return intcomma((record.figures or {}).get(key, 0))


class CycleTable(tables.Table):
    name = tables.LinkColumn(
        "payments:cycle_detail", args=[tables.A("uid")], verbose_name=_("Siklus")
    )
    period_start = tables.DateColumn("d-m-Y", verbose_name=_("Mulai"), attrs=secondary())
    status = tables.Column(verbose_name=_("Status"))
    kpm = tables.Column(verbose_name=_("Penerima"), empty_values=(), orderable=False)
    amount = tables.Column(verbose_name=_("Jumlah (Rp)"), empty_values=(), orderable=False)
    paid = tables.Column(verbose_name=_("Dibayar"), empty_values=(), orderable=False)
    failed = tables.Column(
        verbose_name=_("Gagal"), empty_values=(), orderable=False, attrs=secondary()
    )
    returned = tables.Column(
        verbose_name=_("Dikembalikan"), empty_values=(), orderable=False, attrs=secondary()
    )

    class Meta:
        model = Cycle
        fields = ("name", "period_start", "status", "kpm", "amount", "paid", "failed", "returned")
        attrs = LIST
        order_by = ("-period_start",)

    def render_kpm(self, record) -> str:
        return _figure(record, "kpm")

    def render_amount(self, record) -> str:
        return _figure(record, "amount")

    def render_paid(self, record) -> str:
        return _figure(record, "dibayar")

    def render_failed(self, record) -> str:
        return _figure(record, "gagal")

    def render_returned(self, record) -> str:
        return _figure(record, "dikembalikan")


class EntitlementTable(tables.Table):
    recipient = tables.Column(
        verbose_name=_("Penerima"), empty_values=(), order_by=("household__kk_number",)
    )
    name = tables.Column(
        verbose_name=_("Nama"), accessor="recipient__full_name", default="—", orderable=False
    )
    area_code = tables.Column(verbose_name=_("Desa/kelurahan"), attrs=secondary())
    channel = tables.Column(verbose_name=_("Saluran"), attrs=secondary())
    amount = tables.Column(verbose_name=_("Nilai (Rp)"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Entitlement
        fields = ("recipient", "name", "area_code", "channel", "amount", "status")
        attrs = LIST
        order_by = ("area_code",)

    def render_recipient(self, record):
        url = reverse("payments:entitlement_detail", args=[record.uid])
        if record.household_id:
            return format_html('<a class="nik" href="{}">{}</a>', url, record.household.kk_number)
        return format_html('<a href="{}">{}</a>', url, record.organisation)

    def render_name(self, record, value):
        return value if record.household_id else record.account_name

    def render_amount(self, value) -> str:
        return intcomma(int(value))


class RetryTable(EntitlementTable):
    cycle = tables.Column(verbose_name=_("Siklus asal"), accessor="cycle__name")
    retry_in = tables.Column(
        verbose_name=_("Dibayar ulang di"), accessor="retry_in__name", default="—"
    )

    class Meta(EntitlementTable.Meta):
        fields = ("cycle", "recipient", "name", "area_code", "amount", "retry_in")
        exclude = ("status", "channel")


class ReturnedTable(tables.Table):
    cycle = tables.Column(verbose_name=_("Siklus"), accessor="cycle__name")
    recipient = tables.Column(verbose_name=_("Penerima"), empty_values=(), orderable=False)
    amount = tables.Column(verbose_name=_("Nilai (Rp)"))
    paid_on = tables.DateColumn("d-m-Y", verbose_name=_("Tanggal"))
    reference = tables.Column(verbose_name=_("Referensi"), attrs=secondary())
    reason = tables.Column(verbose_name=_("Alasan"), attrs=secondary())
    treasury_return = tables.Column(
        verbose_name=_("Disetor (NTPN)"), accessor="treasury_return__reference", default="—"
    )

    class Meta:
        model = Payment
        fields = ("cycle", "recipient", "amount", "paid_on", "reference", "reason")
        attrs = LIST
        order_by = ("-paid_on",)

    def render_recipient(self, record):
        if record.household_id:
            return format_html('<span class="nik">{}</span>', record.household.kk_number)
        return str(record.organisation)

    def render_amount(self, value) -> str:
        return intcomma(int(value))


class ImportTable(tables.Table):
    file_name = tables.LinkColumn(
        "payments:import_detail", args=[tables.A("uid")], verbose_name=_("Berkas")
    )
    created_at = tables.DateTimeColumn("d-m-Y H:i", verbose_name=_("Diimpor"))
    status = tables.Column(verbose_name=_("Status"))
    rows_read = tables.Column(verbose_name=_("Dibaca"))
    recorded = tables.Column(verbose_name=_("Dicatat"))
    unchanged = tables.Column(verbose_name=_("Sudah tercatat"), attrs=secondary())
    rejected = tables.Column(verbose_name=_("Ditolak"))

    class Meta:
        model = ReconciliationImport
        fields = ("file_name", "created_at", "status", "rows_read", "recorded", "unchanged",
                  "rejected")  # fmt: skip
        attrs = LIST
        order_by = ("-created_at",)
