"""Runs as a table (django-tables2), newest first."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import TargetingRun


class RunTable(tables.Table):
    created_at = tables.DateTimeColumn(format="d-m-Y H:i", verbose_name=_("Dihitung"))
    programme = tables.Column(accessor="programme__code", verbose_name=_("Program"))
    area_code = tables.Column(verbose_name=_("Wilayah"))
    ruleset = tables.Column(verbose_name=_("Aturan"))
    status = tables.Column(verbose_name=_("Status"))
    population = tables.Column(verbose_name=_("Keluarga"))
    eligible = tables.Column(verbose_name=_("Layak"))
    open_run = tables.Column(
        verbose_name="",
        accessor="uid",
        linkify=("targeting:run_detail", {"uid": tables.A("uid")}),
        attrs={"a": {"class": "btn btn-sm btn-outline-secondary"}},
    )

    class Meta:
        model = TargetingRun
        fields = [
            "created_at", "programme", "area_code", "ruleset", "status", "population",
            "eligible", "open_run",
        ]  # fmt: skip
        attrs = {"class": "table table-sm table-hover bg-white"}
        orderable = False
        empty_text = _("Belum ada penetapan sasaran.")

    def render_open_run(self):
        return _("Buka")
