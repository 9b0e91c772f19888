"""Forms of the targeting-accuracy report (its programme, area and period, or a payment
cycle) and of the overlapping programmes it reads."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.registry.forms import AreaPickerField, AreaSelect

from ..models import Programme
from ._common import DATE, DATE_FORMATS


def _quarter(today):
    """The calendar quarter of ``today`` (PKH's stages): its first and last day."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = date(today.year, first_month, 1)
    if first_month == 10:
        return start, date(today.year, 12, 31)
    return start, date(today.year, first_month + 3, 1) - timedelta(days=1)


class AccuracyForm(forms.Form):
    """The targeting-accuracy report's programme, area and period (the current quarter unless
    said), or a payment cycle (its programme, area and period; its families are the KPM); the
    same fields on the page, its lists, its downloads and the API."""

    programme = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Programme.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Pilih program"),
        error_messages={
            "invalid_choice": _("Program ini tidak ada atau tidak dapat Anda lihat."),
        },
    )
    area = AreaPickerField(label=_("Wilayah"), level=None, required=False, widget=AreaSelect)
    start = forms.DateField(
        label=_("Periode dari"), required=False, widget=DATE, input_formats=DATE_FORMATS
    )
    end = forms.DateField(
        label=_("Periode sampai"), required=False, widget=DATE, input_formats=DATE_FORMATS
    )
    cycle = forms.CharField(
        label=_("atau siklus penyaluran"), required=False, max_length=40, widget=forms.Select
    )

    #: The longest period a report covers.
    MAX_DAYS = 5 * 366

    def __init__(self, *args, user, cycles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.visible_to(user).order_by("code")
        choices = [("", _("Tanpa siklus (pakai periode)"))]
        choices += [(str(c.uid), str(c)) for c in cycles]
        self.fields["cycle"].widget.choices = choices
        if not cycles:
            self.fields["cycle"].widget = forms.HiddenInput()

    def clean(self):
        from django.utils import timezone

        data = super().clean()
        if data.get("cycle"):
            return data  # the cycle gives the programme and the period
        if not data.get("programme") and "programme" not in self.errors:
            self.add_error("programme", _("Pilih program."))
        quarter = _quarter(timezone.localdate())
        start = data.get("start") or (quarter[0] if not data.get("end") else None)
        end = data.get("end") or (quarter[1] if not data.get("start") else None)
        if start is None:  # only the end: its quarter
            start = _quarter(end)[0]
        if end is None:  # only the start: up to the end of this quarter
            end = max(start, quarter[1])
        if end < start:
            self.add_error("end", _("Tanggal akhir periode sebelum tanggal awalnya."))
        elif (end - start).days > self.MAX_DAYS:
            self.add_error("start", _("Periode laporan paling panjang lima tahun."))
        data["start"], data["end"] = start, end
        return data


def accuracy_subject(request, params):
    """The report a request asks for: ``(form, subject)``, the subject ``None`` while the form
    has errors. An area outside the user's scope, or a cycle the user may not see, is the
    logged 404 whatever else is wrong."""
    from django.apps import apps

    from pandu.core.access import deny, get_for_user_or_404
    from pandu.regions.models import Area

    from ..accuracy import Subject

    user = request.user
    raw = (params.get("area") or "").strip()[:13]
    if raw and Area.objects.filter(code=raw).exists() and not user.in_scope(raw):
        deny(request, f"accuracy report outside scope: {raw}")
    if user.scope_code is None:
        deny(request, "accuracy report: user without an area")
    payments = apps.is_installed("pandu.payments")
    Cycle = apps.get_model("payments", "Cycle") if payments else None  # noqa: N806
    cycles = []
    if Cycle is not None and user.can("payments.view"):
        cycles = list(
            Cycle.objects.visible_to(user)
            .select_related("programme")
            .order_by("-period_start")[:60]
        )
    form = AccuracyForm(params or None, user=user, cycles=cycles)
    if not form.is_bound or not form.is_valid():
        return form, None
    data = form.cleaned_data
    area = data["area"].code if data["area"] is not None else user.scope_code
    if not data.get("cycle"):
        return form, Subject(data["programme"], area, data["start"], data["end"])
    if Cycle is None:
        deny(request, "accuracy report: no payment cycles")
    cycle = get_for_user_or_404(request, Cycle.objects.visible_to(user), uid=data["cycle"])
    if data["area"] is None and user.in_scope(cycle.area_id):
        area = cycle.area_id
    if not (area.startswith(cycle.area_id) or cycle.area_id.startswith(area)):
        form.add_error("area", _("Wilayah ini di luar wilayah siklus."))
        return form, None
    area = area if len(area) >= len(cycle.area_id) else cycle.area_id
    families = cycle.entitlements.filter(household__isnull=False).values("household_id")
    subject = Subject(
        cycle.programme, area, cycle.period_start, cycle.period_end, families, cycle=cycle
    )
    return form, subject


class OverlapForm(forms.Form):
    """Two programmes a family should not receive at once, in an area (empty: the user's whole
    area; everywhere for a user with the whole country in scope)."""

    programme = forms.ModelChoiceField(
        label=_("Program"), queryset=Programme.objects.none(), to_field_name="code"
    )
    other = forms.ModelChoiceField(
        label=_("Tumpang tindih dengan"), queryset=Programme.objects.none(), to_field_name="code"
    )
    area = AreaPickerField(
        label=_("Wilayah berlaku"),
        level=None,
        required=False,
        widget=AreaSelect,
        help_text=_("Kosong: seluruh wilayah kerja Anda."),
    )
    note = forms.CharField(label=_("Dasar/catatan"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        programmes = Programme.objects.visible_to(user).order_by("code")
        self.fields["programme"].queryset = programmes
        self.fields["other"].queryset = programmes

    def clean(self):
        from pandu.regions.models import Area

        data = super().clean()
        if not self.errors and data.get("area") is None and self.user.scope_code:
            data["area"] = Area.objects.filter(code=self.user.scope_code).first()
        return data


class OverlapEndForm(forms.Form):
    reason = forms.CharField(label=_("Alasan diakhiri"), max_length=300)
