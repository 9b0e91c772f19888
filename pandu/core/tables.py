"""Background jobs as a table (django-tables2), newest first."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Job


class JobTable(tables.Table):
    title = tables.TemplateColumn(
        "<a href=\"{% url 'core:job_detail' record.uid %}\">{{ record.title|default:record.kind }}"
        "</a>",
        verbose_name=_("Tugas"),
    )
    created_by = tables.Column(verbose_name=_("Oleh"), accessor="created_by__username", default="—")
    created_at = tables.DateTimeColumn(verbose_name=_("Dibuat"), format="d-m-Y H:i")
    status = tables.Column(verbose_name=_("Status"))
    progress = tables.TemplateColumn(
        "{% load humanize %}{{ record.done|intcomma }}"
        "{% if record.total %} / {{ record.total|intcomma }}{% endif %}",
        verbose_name=_("Kemajuan"),
        accessor="done",
    )

    class Meta:
        model = Job
        fields = ["title", "created_by", "created_at", "status", "progress"]
        attrs = {"class": "table table-sm mb-0"}
        orderable = False
        empty_text = _("Belum ada tugas.")

    def render_status(self, record, value):
        """A job run more than once (its worker died, the database was busy) says so."""
        if record.attempts > 1:
            return format_html(
                '{} <span class="badge text-bg-warning" title="{}">{}</span>',
                value,
                getattr(record, "notice", ""),
                gettext("percobaan ke-%(n)s") % {"n": record.attempts},
            )
        return value
