"""Askesos lists as tables (django-tables2); on a phone each row is a card."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pandu.core.lists import secondary
from pandu.core.templatetags.pandu import rupiah

from .models import Claim, Member, PremiumImport, PremiumPayment, Provider

LIST = {"class": "table table-sm table-hover mb-0"}


class RupiahColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "attrs", {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
        )
        super().__init__(*args, **kwargs)

    def render(self, value):
        return rupiah(value)


class ProviderTable(tables.Table):
    code = tables.LinkColumn(
        "insurance:provider_detail", args=[tables.A("uid")], verbose_name=_("Kode")
    )
    name = tables.Column(
        accessor="organisation__name", verbose_name=_("Lembaga"), order_by="organisation__name"
    )
    area_code = tables.Column(verbose_name=_("Wilayah"), attrs=secondary())
    accredited_until = tables.DateColumn(
        "d-m-Y",
        verbose_name=_("Akreditasi berlaku sampai"),
        default=_("tidak terakreditasi"),
    )
    member_count = tables.Column(verbose_name=_("Peserta aktif"), attrs=secondary())
    active = tables.BooleanColumn(verbose_name=_("Aktif"), attrs=secondary())

    class Meta:
        model = Provider
        fields = ("code", "name", "area_code", "accredited_until", "member_count", "active")
        attrs = LIST
        order_by = ("code",)


class MemberTable(tables.Table):
    number = tables.LinkColumn(
        "insurance:member_detail", args=[tables.A("uid")], verbose_name=_("Nomor peserta")
    )
    name = tables.Column(
        accessor="person__full_name", verbose_name=_("Nama"), order_by="person__full_name"
    )
    scheme = tables.Column(accessor="scheme__name", verbose_name=_("Skema"), attrs=secondary())
    provider = tables.Column(
        accessor="provider__code", verbose_name=_("Penyelenggara"), attrs=secondary()
    )
    area_code = tables.Column(verbose_name=_("Desa/kelurahan"), attrs=secondary())
    status = tables.Column(verbose_name=_("Status"))
    paid_through = tables.DateColumn("m-Y", verbose_name=_("Lunas sampai"), default=_("belum ada"))
    months_unpaid = tables.Column(verbose_name=_("Bulan menunggak"))

    class Meta:
        model = Member
        fields = (
            "number",
            "name",
            "scheme",
            "provider",
            "area_code",
            "status",
            "paid_through",
            "months_unpaid",
        )
        attrs = LIST
        order_by = ("number",)


class ReminderTable(tables.Table):
    number = tables.LinkColumn(
        "insurance:member_detail", args=[tables.A("uid")], verbose_name=_("Nomor peserta")
    )
    name = tables.Column(
        accessor="person__full_name", verbose_name=_("Nama"), order_by="person__full_name"
    )
    provider = tables.Column(
        accessor="provider__code", verbose_name=_("Penyelenggara"), attrs=secondary()
    )
    area_code = tables.Column(verbose_name=_("Desa/kelurahan"), attrs=secondary())
    months_unpaid = tables.Column(verbose_name=_("Bulan menunggak"))
    arrears = RupiahColumn(verbose_name=_("Tunggakan"), empty_values=(), orderable=False)
    paid_through = tables.DateColumn(
        "m-Y", verbose_name=_("Lunas sampai"), default=_("belum ada"), attrs=secondary()
    )
    lapse_on = tables.DateColumn("d-m-Y", verbose_name=_("Gugur setelah"), default="—")

    class Meta:
        model = Member
        fields = (
            "number",
            "name",
            "provider",
            "area_code",
            "months_unpaid",
            "arrears",
            "paid_through",
            "lapse_on",
        )
        attrs = LIST
        order_by = ("lapse_on",)

    def render_arrears(self, record):
        return rupiah(record.arrears)


class PaymentTable(tables.Table):
    receipt_number = tables.Column(verbose_name=_("Nomor kuitansi"))
    member = tables.LinkColumn(
        "insurance:member_detail",
        args=[tables.A("membership__uid")],
        accessor="membership__number",
        verbose_name=pgettext_lazy("askesos", "Peserta"),
    )
    name = tables.Column(
        accessor="membership__person__full_name", verbose_name=_("Nama"), orderable=False
    )
    amount = RupiahColumn(verbose_name=pgettext_lazy("askesos", "Jumlah"))
    paid_on = tables.DateColumn("d-m-Y", verbose_name=_("Tanggal bayar"))
    method = tables.Column(verbose_name=_("Cara bayar"), attrs=secondary())
    provider = tables.Column(
        accessor="provider__code", verbose_name=_("Penyelenggara"), attrs=secondary()
    )
    receipt = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = PremiumPayment
        fields = (
            "receipt_number",
            "member",
            "name",
            "amount",
            "paid_on",
            "method",
            "provider",
        )
        attrs = LIST
        order_by = ("-paid_on",)

    def render_receipt(self, record):
        return format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}">'
            '<i class="bi bi-file-earmark-pdf"></i> {}</a>',
            reverse("insurance:payment_receipt", args=[record.uid]),
            _("Kuitansi"),
        )


class ClaimTable(tables.Table):
    number = tables.LinkColumn(
        "insurance:claim_detail", args=[tables.A("uid")], verbose_name=_("Nomor klaim")
    )
    member = tables.Column(
        accessor="membership__number", verbose_name=pgettext_lazy("askesos", "Peserta")
    )
    name = tables.Column(
        accessor="membership__person__full_name", verbose_name=_("Nama"), attrs=secondary()
    )
    event_type = tables.Column(verbose_name=_("Peristiwa"))
    event_date = tables.DateColumn("d-m-Y", verbose_name=_("Tanggal peristiwa"), attrs=secondary())
    filed_on = tables.DateColumn("d-m-Y", verbose_name=_("Diajukan"))
    benefit = RupiahColumn(verbose_name=_("Santunan"))
    status = tables.Column(verbose_name=_("Status"))
    provider = tables.Column(
        accessor="provider__code", verbose_name=_("Penyelenggara"), attrs=secondary()
    )

    class Meta:
        model = Claim
        fields = (
            "number",
            "member",
            "name",
            "event_type",
            "event_date",
            "filed_on",
            "benefit",
            "status",
            "provider",
        )
        attrs = LIST
        order_by = ("-filed_on",)


class ImportTable(tables.Table):
    file_name = tables.LinkColumn(
        "insurance:import_detail", args=[tables.A("uid")], verbose_name=_("Berkas")
    )
    created_at = tables.DateTimeColumn("d-m-Y H:i", verbose_name=_("Diimpor"))
    provider = tables.Column(
        accessor="provider__code", verbose_name=_("Penyelenggara"), default="—"
    )
    rows_read = tables.Column(verbose_name=_("Dibaca"))
    accepted = tables.Column(verbose_name=_("Diterima"))
    unchanged = tables.Column(verbose_name=_("Sudah tercatat"), attrs=secondary())
    rejected = tables.Column(verbose_name=_("Ditolak"))
    amount = RupiahColumn(verbose_name=_("Jumlah diterima"), attrs=secondary())

    class Meta:
        model = PremiumImport
        fields = (
            "file_name",
            "created_at",
            "provider",
            "rows_read",
            "accepted",
            "unchanged",
            "rejected",
            "amount",
        )
        attrs = LIST
        order_by = ("-created_at",)
