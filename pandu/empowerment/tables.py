"""Empowerment lists as tables (django-tables2); on a phone each row is a card."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from pandu.core.lists import secondary
from pandu.core.templatetags.pandu import rupiah
from pandu.programs.models import Enrolment

from .choices import FollowUpState
from .filtersets import DUE_AHEAD
from .models import FollowUp, GraduationPlan, KubeGroup, UepGrant, UseVisit

LIST = {"class": "table table-sm table-hover mb-0"}


class KpmTable(tables.Table):
    """The KPM of the user's area with their last visit and their graduation plan; the page
    says which actions the user may take (``may_visit``, ``may_plan``)."""

    household = tables.LinkColumn(
        "programs:enrolment_detail",
        args=[tables.A("uid")],
        accessor="household__kk_number",
        verbose_name=_("Nomor KK"),
        attrs={"a": {"class": "nik"}},
    )
    recipient = tables.Column(
        accessor="recipient__full_name", verbose_name=_("Penerima"), default="—"
    )
    programme = tables.Column(accessor="programme__code", verbose_name=_("Program"))
    area_code = tables.Column(verbose_name=_("Desa/kelurahan"), attrs=secondary())
    status = tables.Column(verbose_name=_("Status"))
    last_visit = tables.DateColumn(
        "d-m-Y", verbose_name=_("Kunjungan terakhir"), default=_("belum pernah")
    )
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False)

    may_visit = False
    may_plan = False

    class Meta:
        model = Enrolment
        fields = ("household", "recipient", "programme", "area_code", "status", "last_visit")
        attrs = LIST
        order_by = ("area_code",)

    def render_actions(self, record) -> str:
        links = []
        if self.may_visit:
            links.append(
                (
                    reverse("empowerment:visit_create", args=[record.uid]),
                    "btn btn-sm btn-primary",
                    _("Catat kunjungan"),
                )
            )
        if getattr(record, "plan_uid", None):
            links.append(
                (
                    reverse("empowerment:plan_detail", args=[record.plan_uid]),
                    "btn btn-sm btn-outline-success",
                    _("Rencana graduasi"),
                )
            )
        elif self.may_plan:
            links.append(
                (
                    reverse("empowerment:plan_create", args=[record.uid]),
                    "btn btn-sm btn-outline-secondary",
                    _("Susun rencana graduasi"),
                )
            )
        return format_html(
            '<span class="d-inline-flex flex-wrap gap-1">{}</span>',
            format_html_join("", '<a href="{}" class="{}">{}</a>', links),
        )


class VisitTable(tables.Table):
    visited_on = tables.LinkColumn(
        "empowerment:visit_detail",
        args=[tables.A("uid")],
        verbose_name=_("Tanggal"),
        text=lambda r: r.visited_on.strftime("%d-%m-%Y"),
    )
    household = tables.Column(
        accessor="enrolment__household__kk_number",
        verbose_name=_("Nomor KK"),
        attrs={"td": {"class": "nik"}},
    )
    recipient = tables.Column(
        accessor="enrolment__recipient__full_name", verbose_name=_("Penerima"), default="—"
    )
    programme = tables.Column(
        accessor="enrolment__programme__code", verbose_name=_("Program"), attrs=secondary()
    )
    visitor = tables.Column(verbose_name=_("Pengunjung"), orderable=False)
    uses = tables.Column(verbose_name=_("Penggunaan"), empty_values=(), orderable=False)
    problems = tables.Column(verbose_name=_("Masalah"), empty_values=(), orderable=False)
    follow_up_needed = tables.BooleanColumn(verbose_name=_("Tindak lanjut"), attrs=secondary())

    class Meta:
        model = UseVisit
        fields = ("visited_on", "household", "recipient", "programme", "visitor")
        attrs = LIST

    def render_visitor(self, value) -> str:
        return value.get_full_name() or value.username

    def render_uses(self, record) -> str:
        if not record.aid_received:
            return str(_("Bantuan belum diterima"))
        return ", ".join(record.uses)

    def render_problems(self, record) -> str:
        return ", ".join(label for label, _note in record.problems) or "—"


class PlanTable(tables.Table):
    household = tables.LinkColumn(
        "empowerment:plan_detail",
        args=[tables.A("uid")],
        accessor="enrolment__household__kk_number",
        verbose_name=_("Nomor KK"),
        attrs={"a": {"class": "nik"}},
    )
    recipient = tables.Column(
        accessor="enrolment__recipient__full_name", verbose_name=_("Penerima"), default="—"
    )
    programme = tables.Column(accessor="enrolment__programme__code", verbose_name=_("Program"))
    facilitator = tables.Column(verbose_name=_("Pendamping"), orderable=False, attrs=secondary())
    status = tables.Column(verbose_name=_("Status"))
    graduated_on = tables.DateColumn("d-m-Y", verbose_name=_("Graduasi"), attrs=secondary())

    class Meta:
        model = GraduationPlan
        fields = ("household", "recipient", "programme", "facilitator", "status", "graduated_on")
        attrs = LIST

    def render_facilitator(self, value) -> str:
        return value.get_full_name() or value.username


def follow_up_state(row: FollowUp) -> FollowUpState:
    if row.done_on is not None:
        return FollowUpState.DONE
    today = timezone.localdate()
    if row.due_on < today:
        return FollowUpState.OVERDUE
    if row.due_on <= today + DUE_AHEAD:
        return FollowUpState.DUE
    return FollowUpState.LATER


STATE_BADGE = {
    FollowUpState.OVERDUE: "text-bg-danger",
    FollowUpState.DUE: "text-bg-warning",
    FollowUpState.LATER: "text-bg-light",
    FollowUpState.DONE: "text-bg-success",
}


class FollowUpTable(tables.Table):
    due_on = tables.DateColumn("d-m-Y", verbose_name=_("Jatuh tempo"))
    state = tables.Column(verbose_name=_("Keadaan"), empty_values=(), orderable=False)
    household = tables.LinkColumn(
        "empowerment:plan_detail",
        args=[tables.A("plan__uid")],
        accessor="plan__enrolment__household__kk_number",
        verbose_name=_("Nomor KK"),
        attrs={"a": {"class": "nik"}},
    )
    recipient = tables.Column(
        accessor="plan__enrolment__recipient__full_name", verbose_name=_("Penerima"), default="—"
    )
    months = tables.Column(verbose_name=_("Bulan ke-"))
    area = tables.Column(
        accessor="plan__area_code", verbose_name=_("Desa/kelurahan"), attrs=secondary()
    )
    action = tables.Column(verbose_name="", empty_values=(), orderable=False)

    may_visit = False

    class Meta:
        model = FollowUp
        fields = ("due_on", "state", "household", "recipient", "months", "area")
        attrs = LIST

    def render_state(self, record) -> str:
        state = follow_up_state(record)
        return format_html('<span class="badge {}">{}</span>', STATE_BADGE[state], state.label)

    def render_action(self, record) -> str:
        if record.done_on is not None:
            return record.get_condition_display()
        if not self.may_visit:
            return ""
        return format_html(
            '<a class="btn btn-sm btn-primary" href="{}">{}</a>',
            reverse("empowerment:follow_up_record", args=[record.uid]),
            _("Catat kunjungan"),
        )


class GroupTable(tables.Table):
    name = tables.LinkColumn(
        "empowerment:group_detail", args=[tables.A("uid")], verbose_name=_("Kelompok")
    )
    village = tables.Column(accessor="village__name", verbose_name=_("Desa/kelurahan"))
    business_type = tables.Column(verbose_name=_("Jenis usaha"), attrs=secondary())
    member_count = tables.Column(verbose_name=_("Anggota"))
    status = tables.Column(verbose_name=_("Status"))
    grant_amount = tables.Column(verbose_name=_("Hibah"), attrs=secondary())

    class Meta:
        model = KubeGroup
        fields = ("name", "village", "business_type", "member_count", "status", "grant_amount")
        attrs = LIST

    def render_grant_amount(self, value) -> str:
        return rupiah(value)


class GrantTable(tables.Table):
    granted_on = tables.DateColumn("d-m-Y", verbose_name=_("Tanggal"))
    household = tables.Column(
        accessor="household__kk_number", verbose_name=_("Nomor KK"), attrs={"td": {"class": "nik"}}
    )
    recipient = tables.Column(
        accessor="recipient__full_name", verbose_name=_("Penerima"), default="—"
    )
    amount = tables.Column(verbose_name=_("Nilai"))
    business = tables.Column(verbose_name=_("Usaha"))
    area_code = tables.Column(verbose_name=_("Desa/kelurahan"), attrs=secondary())
    plan = tables.Column(verbose_name=_("Rencana graduasi"), orderable=False, attrs=secondary())

    class Meta:
        model = UepGrant
        fields = ("granted_on", "household", "recipient", "amount", "business", "area_code")
        attrs = LIST

    def render_amount(self, value) -> str:
        return rupiah(value)

    def render_plan(self, value) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("empowerment:plan_detail", args=[value.uid]), _("Buka")
        )
