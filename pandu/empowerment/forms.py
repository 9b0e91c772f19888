"""Forms of the empowerment pages; they parse input, the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from pandu.accounts.models import User
from pandu.programs.models import Programme
from pandu.registry.choices import WorkSector
from pandu.registry.models import Person

from .choices import PROBLEMS, USES, Condition, CriterionKind, GroupStatus, MemberRole, Pathway
from .models import KubeGroup

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
SECTORS = [("", "—"), *WorkSector.choices]


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_WIDGET, input_formats=DATE_FORMATS, **kwargs)


def text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class LocationFields(forms.Form):
    """The hidden inputs the "Catat lokasi saya" button fills (includes/visit_location_card)."""

    latitude = forms.CharField(label=_("Lintang"), required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(label=_("Bujur"), required=False, widget=forms.HiddenInput)
    accuracy = forms.CharField(label=_("Akurasi (m)"), required=False, widget=forms.HiddenInput)
    located_at = forms.CharField(
        label=_("Waktu lokasi diambil"), required=False, widget=forms.HiddenInput
    )

    LOCATION_FIELDS = ("latitude", "longitude", "accuracy", "located_at")

    def clean_located_at(self):
        raw = (self.cleaned_data.get("located_at") or "").strip()
        if not raw:
            return None
        try:
            when = parse_datetime(raw)
        except ValueError:
            when = None
        if when is None:
            raise ValidationError(_("Waktu lokasi diambil tidak terbaca."))
        return when

    def location_errors(self) -> list[str]:
        return [str(e) for name in self.LOCATION_FIELDS for e in self.errors.get(name, [])]


class VisitForm(LocationFields):
    """The aid-use visit on a phone: the date, the uses as big toggles, four problems each with
    its note, whether someone must follow up, and the location when asked for."""

    visited_on = date_field(_("Tanggal kunjungan"))
    aid_received = forms.BooleanField(
        label=_("Bantuan periode terakhir sudah diterima"), required=False, initial=True
    )
    uses = forms.MultipleChoiceField(
        label=_("Bantuan dipakai untuk"),
        choices=[(name, label) for name, label in USES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    use_note = forms.CharField(
        label=_("Keterangan penggunaan (wajib bila 'Lainnya')"), required=False, max_length=500
    )
    problem_programme = forms.BooleanField(label=_("Masalah dengan program"), required=False)
    problem_programme_note = forms.CharField(
        label=_("Catatan masalah program"), required=False, max_length=500
    )
    problem_card = forms.BooleanField(label=_("Masalah kartu KKS"), required=False)
    problem_card_note = forms.CharField(
        label=_("Catatan masalah kartu"), required=False, max_length=500
    )
    problem_pin = forms.BooleanField(label=_("Masalah PIN"), required=False)
    problem_pin_note = forms.CharField(
        label=_("Catatan masalah PIN"), required=False, max_length=500
    )
    problem_ewarong = forms.BooleanField(label=_("Masalah e-warong"), required=False)
    problem_ewarong_note = forms.CharField(
        label=_("Catatan masalah e-warong"), required=False, max_length=500
    )
    follow_up_needed = forms.BooleanField(label=_("Perlu tindak lanjut"), required=False)
    follow_up_note = forms.CharField(
        label=_("Tindak lanjut yang diperlukan"), required=False, max_length=500
    )
    note = forms.CharField(
        label=_("Catatan kunjungan"), required=False, max_length=4000, widget=text_area()
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("visited_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def problem_rows(self):
        """(checkbox, note) bound fields of each problem, for the template."""
        return [(self[flag], self[note]) for flag, note, _label in PROBLEMS]

    def answers(self) -> dict:
        """The cleaned form as ``record_visit`` takes it."""
        data = self.cleaned_data
        chosen = set(data.get("uses") or ())
        answers: dict[str, Any] = {name: name in chosen for name, _label in USES}
        for key in (
            "visited_on",
            "aid_received",
            "use_note",
            "follow_up_needed",
            "follow_up_note",
            "note",
            *(flag for flag, _note, _label in PROBLEMS),
            *(note for _flag, note, _label in PROBLEMS),
        ):
            answers[key] = data.get(key)
        return answers


class SummaryForm(forms.Form):
    area = forms.CharField(label=_("Kode wilayah"), required=False, max_length=13)
    programme = forms.CharField(label=_("Kode program"), required=False, max_length=30)
    date_from = date_field(_("Dari tanggal"), required=False)
    date_to = date_field(_("Sampai tanggal"), required=False)
    group = forms.ChoiceField(
        label=_("Rekap per"),
        choices=[("village", _("Desa/kelurahan")), ("district", _("Kecamatan"))],
        required=False,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("Tanggal awal tidak boleh setelah tanggal akhir."))
        return data


# --- Graduation ---------------------------------------------------------------------------------


class CriterionForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Program"), queryset=Programme.objects.none())
    area = forms.CharField(
        label=_("Kode wilayah"),
        required=False,
        max_length=13,
        help_text=_("Kosong: berlaku nasional (hanya pengguna tingkat nasional)."),
    )
    kind = forms.ChoiceField(label=_("Kriteria"), choices=CriterionKind.choices)
    threshold = forms.CharField(
        label=_("Ambang (N)"),
        required=False,
        max_length=20,
        help_text=_(
            "Desil 1–9, rupiah per bulan, atau jumlah bulan; kosong untuk graduasi mandiri."
        ),
    )
    required = forms.BooleanField(label=_("Wajib dipenuhi"), required=False, initial=True)
    note = forms.CharField(label=_("Catatan / dasar"), required=False, max_length=300)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class StepFields(forms.Form):
    title = forms.CharField(label=_("Langkah"), max_length=200)
    due_on = date_field(_("Target selesai"))
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500)


class PlanForm(forms.Form):
    facilitator = forms.ModelChoiceField(label=_("Pendamping"), queryset=User.objects.none())
    goals = forms.CharField(label=_("Tujuan"), max_length=4000, widget=text_area(4))
    business_started_on = date_field(
        _("Usaha keluarga berjalan sejak"),
        required=False,
        help_text=_("Untuk kriteria usaha berjalan N bulan."),
    )
    self_declared_on = date_field(
        _("Tanggal keluarga menyatakan diri mampu"),
        required=False,
        help_text=_("Diisi bila keluarga menandatangani pernyataan graduasi mandiri."),
    )

    def __init__(self, *args, facilitators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = facilitators
        self.fields["facilitator"].label_from_instance = lambda u: u.get_full_name() or u.username


class NewPlanForm(PlanForm):
    """A new plan with up to three first steps."""

    step1_title = forms.CharField(label=_("Langkah 1"), required=False, max_length=200)
    step1_due = date_field(_("Target langkah 1"), required=False)
    step2_title = forms.CharField(label=_("Langkah 2"), required=False, max_length=200)
    step2_due = date_field(_("Target langkah 2"), required=False)
    step3_title = forms.CharField(label=_("Langkah 3"), required=False, max_length=200)
    step3_due = date_field(_("Target langkah 3"), required=False)

    def clean(self):
        data = super().clean()
        for n in (1, 2, 3):
            title, due = data.get(f"step{n}_title"), data.get(f"step{n}_due")
            if title and not due and f"step{n}_due" not in self.errors:
                self.add_error(f"step{n}_due", _("Isi target selesai langkah ini."))
            if due and not title:
                self.add_error(f"step{n}_title", _("Tuliskan langkahnya."))
        return data

    def steps(self) -> list[tuple[str, object]]:
        return [
            (self.cleaned_data[f"step{n}_title"], self.cleaned_data[f"step{n}_due"])
            for n in (1, 2, 3)
            if self.cleaned_data.get(f"step{n}_title")
        ]


class StepDoneForm(forms.Form):
    done_on = date_field(_("Tanggal selesai"), required=False)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=500)


class GraduateForm(forms.Form):
    on = date_field(_("Tanggal graduasi"))
    reason = forms.CharField(label=_("Dasar graduasi"), max_length=500, widget=text_area(2))
    pathway = forms.ChoiceField(
        label=_("Jalur pemberdayaan"), choices=Pathway.choices, widget=forms.RadioSelect
    )
    kube_group = forms.ModelChoiceField(
        label=_("Kelompok KUBE"), queryset=KubeGroup.objects.none(), required=False
    )
    kube_person = forms.ModelChoiceField(
        label=_("Anggota keluarga yang bergabung"), queryset=Person.objects.none(), required=False
    )
    kube_business = forms.CharField(label=_("Usaha anggota"), required=False, max_length=200)
    uep_amount = forms.DecimalField(
        label=_("Nilai hibah UEP (Rp)"),
        required=False,
        min_value=1,
        max_digits=14,
        decimal_places=0,
    )
    uep_granted_on = date_field(_("Tanggal hibah UEP diterima"), required=False)
    uep_business = forms.CharField(label=_("Usaha yang dibiayai"), required=False, max_length=200)
    uep_sector = forms.TypedChoiceField(
        label=_("Lapangan usaha"), choices=SECTORS, required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, groups, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kube_group"].queryset = groups
        self.fields["kube_person"].queryset = members
        self.fields["kube_person"].label_from_instance = lambda p: (
            f"{p.full_name} ({p.get_relationship_display()})"
        )
        self.fields["kube_group"].label_from_instance = lambda g: (
            f"{g.name} · {g.village.name} · {g.business_type}"
        )


class FollowUpForm(forms.Form):
    done_on = date_field(_("Tanggal kunjungan"))
    condition = forms.ChoiceField(
        label=_("Kondisi keluarga"), choices=Condition.choices, widget=forms.RadioSelect
    )
    income_monthly = forms.IntegerField(
        label=_("Perkiraan pendapatan per bulan (Rp)"),
        required=False,
        min_value=0,
        max_value=10_000_000_000,
    )
    business_running = forms.NullBooleanField(label=_("Usaha masih berjalan"), required=False)
    note = forms.CharField(
        label=_("Catatan (wajib bila perlu dukungan)"),
        required=False,
        max_length=4000,
        widget=text_area(),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("done_on", timezone.localdate())
        super().__init__(*args, **kwargs)


# --- KUBE and UEP -------------------------------------------------------------------------------


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Nama kelompok"), max_length=150)
    village = forms.CharField(
        label=_("Kode desa/kelurahan"),
        max_length=13,
        help_text=_("Mis. 73.09.13.2003 untuk Desa Moncongloe Lappara."),
    )
    business_type = forms.CharField(label=_("Jenis usaha"), max_length=200)
    sector = forms.TypedChoiceField(
        label=_("Lapangan usaha"), choices=SECTORS, required=False, coerce=int, empty_value=None
    )
    formed_on = date_field(_("Tanggal dibentuk"))
    note = forms.CharField(label=_("Catatan"), required=False, max_length=4000, widget=text_area())


class GroupEditForm(GroupForm):
    status = forms.ChoiceField(label=_("Status"), choices=GroupStatus.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["village"]


class MemberForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK anggota"),
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Jabatan"), choices=MemberRole.choices, initial=MemberRole.MEMBER
    )
    business = forms.CharField(label=_("Usaha anggota"), required=False, max_length=200)
    joined_on = date_field(_("Tanggal bergabung"), required=False)


class MemberEndForm(forms.Form):
    left_on = date_field(_("Tanggal keluar"), required=False)
    reason = forms.CharField(label=_("Alasan keluar"), max_length=300)


class GroupGrantForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Hibah diterima (Rp)"), min_value=1, max_digits=14, decimal_places=0
    )
    received_on = date_field(_("Tanggal diterima"))
    note = forms.CharField(label=_("Keterangan"), required=False, max_length=300)


class UepGrantForm(forms.Form):
    kk_number = forms.CharField(
        label=_("Nomor KK keluarga"),
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    amount = forms.DecimalField(
        label=_("Nilai hibah (Rp)"), min_value=1, max_digits=14, decimal_places=0
    )
    granted_on = date_field(_("Tanggal diterima"))
    business = forms.CharField(label=_("Usaha yang dibiayai"), max_length=200)
    sector = forms.TypedChoiceField(
        label=_("Lapangan usaha"), choices=SECTORS, required=False, coerce=int, empty_value=None
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=300)
