"""One filter definition per list of the one-stop service, shared by the web lists and the API
(the query-string names are the ones the pages have always used: ``q``, ``status``, ``lingkup``,
``terlambat``, ``segera``; the API's case list adds ``mine``).

Querysets come in already narrowed to what the user may see (``visible_to`` / ``inbox_for``).
A value a filter cannot read is an error of the filter form (a 400 over the API), never a filter
quietly left out: that would widen the list.
"""

from __future__ import annotations

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import choices as c
from .capabilities import SCap
from .models import Agreement, Case, Intake, PartnerAgency, Referral, ServicePoint

_YES = ("1", "true")
_NO = ("0", "false")


class YesNoField(forms.NullBooleanField):
    """Yes or no typed in a query string: ``1``/``true`` or ``0``/``false`` (a page's checkbox
    sends ``1``); empty is no choice. Anything else is refused with a message, where Django's
    own field would read it as "no choice" and drop the filter."""

    widget = forms.TextInput

    def to_python(self, value):
        text = str(value).strip().lower() if value is not None else ""
        if text in _YES:
            return True
        if text in _NO:
            return False
        if text:
            raise ValidationError(
                _("Isi 1 atau true untuk ya, 0 atau false untuk tidak."), code="invalid"
            )
        return None

    def validate(self, value):
        pass


class YesNoFilter(df.BooleanFilter):
    field_class = YesNoField


class _WithDefaults(df.FilterSet):
    """A list whose filters have defaults even when the query string leaves them out (an empty
    value is a choice of its own: "every status")."""

    def defaults(self, request) -> dict[str, str]:
        return {}

    def __init__(self, data=None, *args, request=None, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        for name, value in self.defaults(request).items():
            if name not in data:
                data[name] = value
        super().__init__(data, *args, request=request, **kwargs)


class IntakeFilterSet(df.FilterSet):
    q = df.CharFilter(label=_("Cari"), method="filter_q", max_length=60)
    status = df.ChoiceFilter(label=_("Status"), choices=c.IntakeStatus.choices)

    class Meta:
        model = Intake
        fields = ["q", "status"]

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(ticket_number__icontains=value) | Q(name__icontains=value))


CASE_SCOPES = [
    ("saya", _("Kasus saya")),
    ("supervisi", _("Yang saya supervisi")),
    ("semua", _("Semua di wilayah saya")),
]


class CaseFilterSet(_WithDefaults):
    """Workers see their own open cases first; others every open case of their area."""

    lingkup = df.ChoiceFilter(label=_("Lingkup"), choices=CASE_SCOPES, method="filter_scope")
    status = df.ChoiceFilter(
        label=_("Status"),
        choices=[("aktif", _("Belum ditutup")), *c.CaseStatus.choices, ("semua", _("Semua"))],
        method="filter_status",
    )
    q = df.CharFilter(label=_("Cari"), method="filter_q", max_length=60)

    class Meta:
        model = Case
        fields = ["lingkup", "status", "q"]

    def defaults(self, request) -> dict[str, str]:
        user = getattr(request, "user", None)
        works = user is not None and user.is_authenticated and user.can(SCap.CASE_WORK)
        return {"lingkup": "saya" if works else "semua", "status": "aktif"}

    def filter_scope(self, qs, name, value):
        from .queries import supervised_ids

        user = self.request.user
        if value == "saya":
            return qs.filter(assigned_to=user)
        if value == "supervisi":
            return qs.filter(assigned_to__in=supervised_ids(user))
        return qs

    def filter_status(self, qs, name, value):
        if value == "aktif":
            return qs.exclude(status=c.CaseStatus.CLOSED)
        if value in c.CaseStatus.values:
            return qs.filter(status=value)
        return qs

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(intake__ticket_number__icontains=value) | Q(intake__name__icontains=value)
        )


class CaseApiFilterSet(CaseFilterSet):
    """The case list over the API: the page's filters and ``mine``. A caller that names no
    filter gets every case it may see, in any status, as the API has always answered: the
    page's defaults (my open cases first) are for a person reading a page, not for a program
    paging through the list."""

    mine = YesNoFilter(label=_("Hanya kasus yang ditugaskan kepada saya"), method="filter_mine")

    class Meta(CaseFilterSet.Meta):
        fields = [*CaseFilterSet.Meta.fields, "mine"]

    def defaults(self, request) -> dict[str, str]:
        return {}

    def filter_mine(self, qs, name, value):
        return qs.filter(assigned_to=self.request.user) if value else qs


INBOX_STATUSES = [
    ("terbuka", _("Belum selesai")),
    *[s for s in c.ReferralStatus.choices if s[0] != c.ReferralStatus.DRAFT],
]


class InboxFilterSet(df.FilterSet):
    """A partner's inbox: by status ("terbuka": not finished yet), or only the overdue ones."""

    status = df.ChoiceFilter(label=_("Status"), choices=INBOX_STATUSES, method="filter_status")
    terlambat = YesNoFilter(label=_("Hanya yang terlambat"), method="filter_late")

    class Meta:
        model = Referral
        fields = ["status", "terlambat"]

    def filter_status(self, qs, name, value):
        if value == "terbuka":
            return qs.filter(status__in=c.OPEN_REFERRAL)
        return qs.filter(status=value) if value else qs

    def filter_late(self, qs, name, value):
        if not value:
            return qs
        from .actions import overdue_referrals

        return qs.filter(pk__in=overdue_referrals(timezone.localdate()).values("pk"))


class ServicePointFilterSet(df.FilterSet):
    q = df.CharFilter(label=_("Nama"), field_name="name", lookup_expr="icontains", max_length=60)
    kind = df.ChoiceFilter(label=_("Jenis"), choices=c.PointKind.choices)
    active = df.BooleanFilter(label=_("Aktif"))

    class Meta:
        model = ServicePoint
        fields = ["q", "kind", "active"]


class PartnerAgencyFilterSet(df.FilterSet):
    q = df.CharFilter(label=_("Nama"), field_name="name", lookup_expr="icontains", max_length=60)
    kind = df.ChoiceFilter(label=_("Jenis"), choices=c.AgencyKind.choices)
    active = df.BooleanFilter(label=_("Aktif"))

    class Meta:
        model = PartnerAgency
        fields = ["q", "kind", "active"]


class AgreementFilterSet(df.FilterSet):
    """``segera=1``: agreements that end within 90 days."""

    segera = df.CharFilter(
        label=_("Berakhir dalam 90 hari"), method="filter_expiring", max_length=1
    )
    status = df.ChoiceFilter(label=_("Status"), choices=c.AgreementStatus.choices)

    class Meta:
        model = Agreement
        fields = ["segera", "status"]

    def filter_expiring(self, qs, name, value):
        return qs.expiring_within(90, timezone.localdate()) if value == "1" else qs
