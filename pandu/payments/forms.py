"""Forms of the payment pages: a cycle (or a year's cycles), a group's entitlement, a hold, a
conditionality record, the reconciliation upload and the deposit to the treasury."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.core.uploads import UploadValidator
from pandu.organisations.models import Organisation
from pandu.programs.models import Programme

from .choices import ConditionalityKind, ConditionalityResult

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
#: A reconciliation file, checked by its content before it is kept.
RECONCILIATION_UPLOAD = UploadValidator(
    kinds=("csv", "xlsx", "xls", "ods"), max_bytes="PANDU_IMPORT_MAX_BYTES"
)


def _programmes(user):
    return Programme.objects.visible_to(user).filter(payment_schemes__isnull=False).distinct()


class CycleForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Program"), queryset=Programme.objects.none())
    area = forms.CharField(
        label=_("Kode wilayah"),
        max_length=13,
        help_text=_("Kabupaten/kota, kecamatan atau desa, mis. 73.09."),
    )
    period_start = forms.DateField(
        label=_("Awal periode"), input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )
    period_end = forms.DateField(
        label=_("Akhir periode"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        help_text=_("Kosongkan: mengikuti lama siklus pada skema program."),
    )
    name = forms.CharField(
        label=_("Nama siklus"),
        max_length=120,
        required=False,
        help_text=_("Kosongkan: dinamai otomatis, mis. PKH tahap 1 2026 — Kabupaten Maros."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = _programmes(user)  # type: ignore[attr-defined]
        self.initial.setdefault("area", user.scope_code or "")


class PlanForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Program"), queryset=Programme.objects.none())
    area = forms.CharField(label=_("Kode wilayah"), max_length=13)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = _programmes(user)  # type: ignore[attr-defined]
        self.initial.setdefault("area", user.scope_code or "")
        self.initial.setdefault("year", date.today().year)


class GroupEntitlementForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Kelompok / desa penerima"), queryset=Organisation.objects.none()
    )
    component = forms.CharField(
        label=_("Kode komponen"),
        max_length=40,
        required=False,
        help_text=_("Nilai komponen program dipakai bila nilai hibah dikosongkan."),
    )
    amount = forms.CharField(label=_("Nilai hibah (Rp)"), max_length=20, required=False)
    account_bank = forms.CharField(label=_("Bank"), max_length=50)
    account_number = forms.CharField(label=_("Nomor rekening"), max_length=40)
    account_name = forms.CharField(label=_("Nama pemilik rekening"), max_length=150)
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.active().filter(area__prefix=cycle.area_id).order_by("name")
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)


class ConditionalityForm(forms.Form):
    kk_number = forms.CharField(label=_("Nomor KK"), min_length=16, max_length=16)
    nik = forms.CharField(
        label=_("NIK anggota"),
        min_length=16,
        max_length=16,
        required=False,
        help_text=_("Wajib untuk kehadiran sekolah (anak yang bersekolah)."),
    )
    kind = forms.ChoiceField(label=_("Kewajiban"), choices=ConditionalityKind.choices)
    result = forms.ChoiceField(
        label=_("Hasil"), choices=ConditionalityResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas rekonsiliasi (CSV atau Excel)"),
        help_text=_(
            "Kolom siklus, penerima, status, nominal, tanggal, referensi dan alasan; daftar "
            "bayar yang dikembalikan penyalur dengan kolom hasil ditambahkan juga diterima."
        ),
        validators=[RECONCILIATION_UPLOAD],
        widget=forms.ClearableFileInput(attrs={"accept": RECONCILIATION_UPLOAD.accept()}),
    )


class TreasuryForm(forms.Form):
    returned_on = forms.DateField(
        label=_("Tanggal setor"), input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )
    reference = forms.CharField(label=_("Nomor bukti setor (NTPN)"), max_length=60)
    amount = forms.CharField(label=_("Jumlah disetor (Rp)"), max_length=20)
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)
