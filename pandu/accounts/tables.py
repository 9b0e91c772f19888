"""The accounts' lists as tables (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from pandu.core.lists import secondary

from .models import User, UserChange
from .roles import Role

LIST = {"class": "table table-sm table-hover mb-0"}


class UserTable(tables.Table):
    username = tables.LinkColumn(
        "accounts:user_detail", args=[tables.A("uid")], verbose_name=_("Nama pengguna")
    )
    name = tables.Column(
        verbose_name=_("Nama"), accessor="get_full_name", orderable=False, default="—"
    )
    role = tables.Column(verbose_name=_("Peran"))
    area = tables.Column(verbose_name=_("Wilayah kerja"), orderable=False, default="—")
    two_factor_enabled = tables.BooleanColumn(
        verbose_name=_("Dua langkah"), attrs=secondary(), yesno="✔,—"
    )
    last_login = tables.DateTimeColumn(
        "d-m-Y H:i", verbose_name=_("Terakhir masuk"), attrs=secondary(), default="—"
    )
    is_active = tables.BooleanColumn(verbose_name=_("Aktif"), yesno="✔,✘")

    class Meta:
        model = User
        fields = (
            "username",
            "name",
            "role",
            "area",
            "two_factor_enabled",
            "last_login",
            "is_active",
        )
        attrs = LIST
        order_by = ("username",)

    def render_area(self, record) -> str:
        return record.area.display_name


def _value(field: str, value: str) -> str:
    if not value:
        return "—"
    if field == "role":
        return str(dict(Role.choices).get(value, value))
    if field == "is_active":
        return str(_("ya")) if value == "1" else str(_("tidak"))
    return value


def _field_label(field: str) -> str:
    try:
        return str(getattr(User._meta.get_field(field), "verbose_name", field))
    except FieldDoesNotExist:
        return field


def changes_list(changes: dict) -> str:
    """``{field: [before, after]}`` as short lines: ``peran: Operator → Administrator``."""
    if not changes:
        return ""
    return format_html_join(
        "",
        "<div>{}: {} → {}</div>",
        (
            (_field_label(field), _value(field, before), _value(field, after))
            for field, (before, after) in changes.items()
        ),
    )


class UserChangeTable(tables.Table):
    at = tables.DateTimeColumn("d-m-Y H:i", verbose_name=_("Waktu"))
    user = tables.LinkColumn(
        "accounts:user_detail",
        args=[tables.A("user__uid")],
        accessor="user__username",
        verbose_name=_("Pengguna"),
    )
    kind = tables.Column(verbose_name=_("Jenis"))
    changes = tables.Column(verbose_name=_("Perubahan"), orderable=False, empty_values=())
    actor = tables.Column(
        verbose_name=_("Oleh"), accessor="actor__username", default=_("baris perintah")
    )
    address = tables.Column(verbose_name=_("Alamat IP"), attrs=secondary(), default="—")

    class Meta:
        model = UserChange
        fields = ("at", "user", "kind", "changes", "actor", "address")
        attrs = LIST
        order_by = ("-at",)

    def render_changes(self, record) -> str:
        text = changes_list(record.changes)
        if record.detail:
            return format_html('{}<div class="text-muted">{}</div>', text, record.detail)
        return text
