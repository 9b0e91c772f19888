"""The review queue as a table (django-tables2), most probable pair first."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import DuplicatePair

PERSON_CELL = (
    '{{ value.full_name }}<div class="small text-muted">{{ value.birth_date|date:"d-m-Y" }} · '
    "{{ value.household.village.name|default:value.area_code }}</div>"
)


class PairTable(tables.Table):
    probability = tables.TemplateColumn(
        '<span class="badge text-bg-{% if value >= 0.95 %}danger{% elif value >= 0.8 %}warning'
        '{% else %}secondary{% endif %}">{{ value|floatformat:3 }}</span>',
        verbose_name=_("Probabilitas"),
    )
    person_a = tables.TemplateColumn(PERSON_CELL, verbose_name=_("Data kiri"))
    person_b = tables.TemplateColumn(PERSON_CELL, verbose_name=_("Data kanan"))
    status = tables.Column(verbose_name=_("Status"))
    open_pair = tables.Column(
        verbose_name="",
        accessor="uid",
        linkify=("dedup:pair_detail", {"uid": tables.A("uid")}),
        attrs={"a": {"class": "btn btn-sm btn-outline-secondary"}},
    )

    class Meta:
        model = DuplicatePair
        fields = ["probability", "person_a", "person_b", "status", "open_pair"]
        attrs = {"class": "table table-sm table-hover bg-white"}
        orderable = False
        empty_text = _("Tidak ada pasangan yang perlu diperiksa.")

    def render_open_pair(self):
        return _("Periksa")
