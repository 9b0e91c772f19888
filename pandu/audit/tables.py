"""The access log as a list: each entry's time, who, what kind, which record, where and from
where. A user or a record links to the log narrowed to them."""

from __future__ import annotations

from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from pandu.core.lists import secondary
from pandu.core.models import AccessLog

from .filtersets import record_types


def _narrowed(**params) -> str:
    return reverse("audit:access_log") + "?" + urlencode(params)


class AccessLogTable(tables.Table):
    at = tables.DateTimeColumn(verbose_name=_("Waktu"), format="d-m-Y H:i:s", order_by="id")
    user = tables.Column(
        verbose_name=_("Pengguna"), accessor="user__username", default="—", orderable=False
    )
    kind = tables.Column(verbose_name=_("Jenis"))
    record = tables.Column(
        verbose_name=_("Data"), accessor="object_type", default="—", orderable=False
    )
    area_code = tables.Column(
        verbose_name=_("Wilayah"), default="—", attrs={"td": {"class": "nik"}}
    )
    detail = tables.Column(verbose_name=_("Keterangan"), default="—", orderable=False)
    path = tables.Column(
        verbose_name=_("Alamat halaman"), default="—", orderable=False, attrs=secondary()
    )
    address = tables.Column(
        verbose_name=_("Alamat IP"), default="—", orderable=False, attrs=secondary()
    )
    user_agent = tables.Column(
        verbose_name=_("Peramban"), default="—", orderable=False, attrs=secondary()
    )

    class Meta:
        model = AccessLog
        fields = [
            "at",
            "user",
            "kind",
            "record",
            "area_code",
            "detail",
            "path",
            "address",
            "user_agent",
        ]
        attrs = {"class": "table table-sm table-hover bg-white", "id": "access-log"}
        order_by = ("-at",)
        empty_text = _("Tidak ada catatan yang cocok.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._types = dict(record_types())

    def render_user(self, value, record):
        name = record.user.get_full_name() if record.user else ""
        return format_html(
            '<a href="{}" title="{}">{}</a>', _narrowed(user=value), name or value, value
        )

    def render_record(self, value, record):
        label = self._types.get(value, value)
        if not record.object_uid:
            return label
        return format_html(
            '{} <a class="nik small" href="{}" title="{}">{}</a>',
            label,
            _narrowed(record_type=value, record=record.object_uid),
            record.object_uid,
            record.object_uid[:8],
        )

    def render_user_agent(self, value):
        return format_html('<span title="{}">{}</span>', value, Truncator(value).chars(40))
