"""The one-stop service's lists as tables (django-tables2), with the columns the pages have always
shown. Sensitive intakes and cases never show the person's name in a list."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from pandu.core.lists import secondary

from . import choices as c
from .models import (
    Agreement,
    Case,
    Intake,
    PartnerAgency,
    Referral,
    ServicePoint,
)

LIST = {"class": "table table-sm table-hover mb-0"}
LOCK = '<i class="bi bi-shield-lock text-danger" title="{}"></i>'


def _date(value, fmt: str = "d-m-Y") -> str:
    from django.utils.dateformat import format as date_format

    return date_format(value, fmt) if value else "—"


URGENCY_BADGE: dict[str, str] = {
    c.Urgency.EMERGENCY: "text-bg-danger",
    c.Urgency.HIGH: "text-bg-warning",
    c.Urgency.NORMAL: "text-bg-light border",
    c.Urgency.LOW: "text-bg-light border text-muted",
}


def urgency_badge(value: str) -> str:
    """The urgency as a badge: red for an emergency, amber for "perlu segera", plain otherwise."""
    if value not in c.Urgency.values:
        return "—"
    return format_html(
        '<span class="badge {}" data-urgency="{}">{}</span>',
        URGENCY_BADGE[value],
        value,
        c.Urgency(value).label,
    )


class IntakeTable(tables.Table):
    ticket_number = tables.Column(
        verbose_name=_("Tiket"),
        linkify=("services:intake_detail", {"uid": tables.A("uid")}),
        attrs={"a": {"class": "nik"}},
    )
    received_at = tables.DateTimeColumn(
        verbose_name=_("Diterima"), format="d-m-Y H:i", attrs=secondary()
    )
    name = tables.Column(verbose_name=_("Nama"), empty_values=())
    needs = tables.Column(
        verbose_name=_("Kebutuhan"), empty_values=(), attrs={"td": {"class": "small"}}
    )
    channel = tables.Column(verbose_name=_("Saluran"), attrs=secondary())
    urgency = tables.Column(verbose_name=_("Urgensi"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Intake
        fields = ["ticket_number", "received_at", "name", "needs", "channel", "urgency", "status"]
        attrs = LIST
        orderable = False
        empty_text = _("Tidak ada.")

    def render_name(self, record):
        if record.sensitive:
            shown = format_html(LOCK + " {}", gettext("sensitif"), gettext("(dirahasiakan)"))
        else:
            shown = format_html("{}", record.name)
        if record.propose_to_registry:
            shown = format_html(
                '{} <span class="badge text-bg-info">{}</span>',
                shown,
                gettext("perlu diusulkan ke registri"),
            )
        return shown

    def render_needs(self, record):
        return ", ".join(str(n.get_area_display()) for n in record.needs.all())

    def render_urgency(self, record):
        return urgency_badge(record.urgency)


class CaseTable(tables.Table):
    number = tables.Column(
        verbose_name=_("Kasus"),
        accessor="intake__ticket_number",
        empty_values=(),
    )
    name = tables.Column(verbose_name=_("Nama"), accessor="intake__name", empty_values=())
    urgency = tables.Column(verbose_name=_("Urgensi"), accessor="intake__urgency")
    assigned_to = tables.Column(verbose_name=_("Petugas"), empty_values=())
    status = tables.Column(verbose_name=_("Status"))
    plan_status = tables.Column(verbose_name=_("Rencana"), attrs=secondary())
    next_due = tables.Column(verbose_name=_("Tindak lanjut berikutnya"), empty_values=())

    class Meta:
        model = Case
        fields = ["number", "name", "urgency", "assigned_to", "status", "plan_status", "next_due"]
        attrs = LIST
        orderable = False
        empty_text = _("Tidak ada kasus.")

    def render_number(self, record, value):
        from django.urls import reverse

        link = format_html(
            '<a class="nik" href="{}">{}</a>',
            reverse("services:case_detail", args=[record.uid]),
            value,
        )
        if record.sensitive:
            return format_html("{} " + LOCK, link, gettext("sensitif"))
        return link

    def render_name(self, record, value):
        if record.sensitive:
            return format_html('<span class="text-muted">{}</span>', gettext("(dirahasiakan)"))
        return value

    def render_urgency(self, record):
        return urgency_badge(record.intake.urgency)

    def render_assigned_to(self, value):
        if value is None:
            return "—"
        return value.get_full_name() or value.username

    def render_next_due(self, value):
        if not value:
            return "—"
        if value < timezone.localdate():
            return format_html('<span class="text-danger fw-semibold">{}</span>', _date(value))
        return _date(value)


def _withdrawn_stub(record, value):
    """A withdrawn referral is a stub: who it was about is no longer shared."""
    if record.status == c.ReferralStatus.WITHDRAWN:
        return format_html('<span class="text-muted">{}</span>', "—")
    return "—" if value in (None, "") else value


def _inbox_row_class(record) -> str:
    return "table-danger" if record.overdue else ""


class InboxTable(tables.Table):
    """A partner's inbox: what the letter shares, nothing more."""

    number = tables.Column(
        verbose_name=_("Nomor"), linkify=("services:inbox_detail", {"uid": tables.A("uid")})
    )
    sent_at = tables.DateTimeColumn(verbose_name=_("Dikirim"), format="d-m-Y")
    service = tables.Column(verbose_name=_("Layanan"), accessor="service__name")
    subject_name = tables.Column(verbose_name=_("Nama"), empty_values=())
    subject_age = tables.Column(verbose_name=_("Usia"), empty_values=())
    status = tables.Column(verbose_name=_("Status"))
    due = tables.Column(verbose_name=_("Batas"), empty_values=())

    class Meta:
        model = Referral
        fields = ["number", "sent_at", "service", "subject_name", "subject_age", "status", "due"]
        attrs = {"class": "table table-hover mb-0"}
        row_attrs = {"class": _inbox_row_class}
        orderable = False
        empty_text = _("Tidak ada rujukan.")

    def render_subject_name(self, record, value):
        return _withdrawn_stub(record, value)

    def render_subject_age(self, record, value):
        return _withdrawn_stub(record, value)

    def render_due(self, record):
        if record.overdue:
            return format_html(
                '{} <span class="badge text-bg-danger">{}</span>',
                _date(record.due),
                gettext("terlambat"),
            )
        return _date(record.due)


def _inactive_badge() -> str:
    return format_html('<span class="badge text-bg-secondary">{}</span>', gettext("nonaktif"))


class ServicePointTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Nama"), linkify=("services:point_detail", {"uid": tables.A("uid")})
    )
    kind = tables.Column(verbose_name=_("Jenis"))
    area = tables.Column(verbose_name=_("Wilayah"), accessor="area__name")
    opening_hours = tables.Column(
        verbose_name=_("Jam layanan"), default="—", attrs={"td": {"class": "small"}}
    )
    staff_count = tables.Column(verbose_name=_("Petugas"))
    active = tables.Column(verbose_name="", empty_values=())

    class Meta:
        model = ServicePoint
        fields = ["name", "kind", "area", "opening_hours", "staff_count", "active"]
        attrs = LIST
        orderable = False
        empty_text = _("Belum ada titik layanan.")

    def render_active(self, value):
        return "" if value else _inactive_badge()


class PartnerAgencyTable(tables.Table):
    name = tables.Column(verbose_name=_("Mitra"))
    kind = tables.Column(verbose_name=_("Jenis"))
    area = tables.Column(verbose_name=_("Wilayah"), accessor="area__name")
    services = tables.Column(
        verbose_name=_("Layanan"), empty_values=(), attrs={"td": {"class": "small"}}
    )

    class Meta:
        model = PartnerAgency
        fields = ["name", "kind", "area", "services"]
        attrs = LIST
        orderable = False
        empty_text = _("Belum ada mitra.")

    def render_name(self, record, value):
        from django.urls import reverse

        link = format_html(
            '<a href="{}">{}</a>', reverse("services:partner_detail", args=[record.uid]), value
        )
        return link if record.active else format_html("{} {}", link, _inactive_badge())

    def render_services(self, record):
        rows = record.services.all()  # prefetched: the active services only
        if not rows:
            return "—"
        return format_html_join(
            "",
            '<div>{} <span class="text-muted">({})</span></div>',
            (
                (
                    s.name,
                    gettext("tanggap %(r)s / selesai %(d)s hari kerja")
                    % {"r": s.respond_days, "d": s.complete_days},
                )
                for s in rows
            ),
        )


def _agreement_row_class(record) -> str:
    return "table-warning" if record.status == "active" and record.days_left() < 90 else ""


class AgreementTable(tables.Table):
    number = tables.Column(
        verbose_name=_("Nomor"), linkify=("services:agreement_detail", {"uid": tables.A("uid")})
    )
    title = tables.Column(verbose_name=_("Judul"))
    agency = tables.Column(verbose_name=_("Mitra"), accessor="agency__name", default="—")
    signed_on = tables.DateColumn(verbose_name=_("Ditandatangani"), format="d-m-Y")
    ends = tables.Column(verbose_name=_("Berakhir"), accessor="effective_end")
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Agreement
        fields = ["number", "title", "agency", "signed_on", "ends", "status"]
        attrs = LIST
        row_attrs = {"class": _agreement_row_class}
        orderable = False
        empty_text = _("Tidak ada perjanjian.")

    def render_ends(self, record, value):
        if record.status != "active":
            return _date(value)
        n = record.days_left()
        return format_html(
            '{} <span class="small text-muted">({})</span>',
            _date(value),
            ngettext("%(n)s hari lagi", "%(n)s hari lagi", n) % {"n": n},
        )


# --- Overdue work (the worker's own list) -------------------------------------------------------


class OverdueTaskTable(tables.Table):
    case = tables.Column(verbose_name=_("Kasus"), accessor="case__intake__ticket_number")
    urgency = tables.Column(verbose_name=_("Urgensi"), accessor="case__intake__urgency")
    title = tables.Column(verbose_name=_("Tindak lanjut"))
    due_on = tables.DateColumn(verbose_name=_("Batas"), format="d-m-Y")

    class Meta:
        attrs = {"class": "table table-sm mb-0 small"}
        orderable = False
        empty_text = ""

    def render_case(self, record, value):
        from django.urls import reverse

        return format_html(
            '<a href="{}">{}</a>', reverse("services:case_detail", args=[record.case.uid]), value
        )

    def render_urgency(self, record):
        return urgency_badge(record.case.intake.urgency)


class OverdueActionTable(tables.Table):
    case = tables.Column(verbose_name=_("Kasus"), accessor="goal__case__intake__ticket_number")
    description = tables.Column(verbose_name=_("Kegiatan rencana"))
    due_on = tables.DateColumn(verbose_name=_("Target"), format="d-m-Y")

    class Meta:
        attrs = {"class": "table table-sm mb-0 small"}
        orderable = False
        empty_text = ""

    def render_case(self, record, value):
        from django.urls import reverse

        return format_html(
            '<a href="{}">{}</a>',
            reverse("services:case_detail", args=[record.goal.case.uid]),
            value,
        )


class OverdueReferralTable(tables.Table):
    number = tables.Column(
        verbose_name=_("Rujukan"), linkify=("services:referral_detail", {"uid": tables.A("uid")})
    )
    agency = tables.Column(verbose_name=_("Mitra"), accessor="agency__name")
    urgency = tables.Column(verbose_name=_("Urgensi"), accessor="case__intake__urgency")
    status = tables.Column(verbose_name=_("Status"))
    due = tables.Column(verbose_name=_("Batas"), empty_values=())

    class Meta:
        attrs = {"class": "table table-sm mb-0 small"}
        orderable = False
        empty_text = ""

    def render_urgency(self, record):
        return urgency_badge(record.case.intake.urgency)

    def render_due(self, record):
        return _date(record.due)
