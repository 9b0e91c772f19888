"""Forms parse and give field-level messages; the actions decide and write."""

from __future__ import annotations

from datetime import date
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.accounts.models import User
from pandu.core.forms import VersionedForm
from pandu.core.uploads import UploadValidator
from pandu.regions.models import Area
from pandu.registry.forms import DATE_WIDGET, AreaPickerField, AreaSelect
from pandu.registry.models import PPKSCategory

from . import choices as c
from .actions._common import DOCUMENTS, MAX_UPLOAD, PDF_ONLY
from .capabilities import partner_roles
from .models import PartnerAgency, ServicePoint

# What the service takes, checked by content before an action sees it (``core.uploads``).
SIGNED_DOCUMENT = UploadValidator(kinds=PDF_ONLY, max_bytes=MAX_UPLOAD)
ATTACHMENT = UploadValidator(kinds=DOCUMENTS, max_bytes=MAX_UPLOAD)


TEXTAREA = forms.Textarea(attrs={"rows": 3})


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.get_role_display()}, {obj.area_id or '-'})"


def _choice(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


def _date(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET, **kwargs)


# --- Setup ------------------------------------------------------------------------------------


class ServicePointForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=150)
    kind = forms.ChoiceField(label=_("Jenis"), choices=c.PointKind.choices)
    area = AreaPickerField(label=_("Wilayah"), level=None, widget=AreaSelect)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=40, required=False)
    opening_hours = forms.CharField(
        label=_("Jam layanan"),
        max_length=200,
        required=False,
        help_text=_("Contoh: Senin–Kamis 08.00–15.00, Jumat 08.00–11.00"),
    )
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)


class StaffForm(forms.Form):
    user = UserChoiceField(label=_("Pengguna"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Peran di titik layanan"), choices=c.StaffRole.choices)

    def __init__(self, *args, area_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        prefixes = [area_code[:n] for n in (2, 5, 8, 13) if n <= len(area_code)]
        _choice(self, "user").queryset = (
            User.objects.filter(is_active=True)
            .exclude(role__in=partner_roles())
            .filter(area_id__in=prefixes)
            | User.objects.filter(is_active=True, area__prefix=area_code).exclude(
                role__in=partner_roles()
            )
        ).order_by("username")


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Nama instansi/lembaga"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=c.AgencyKind.choices)
    area = AreaPickerField(label=_("Wilayah kedudukan"), level=None, widget=AreaSelect)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=40, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    contact_person = forms.CharField(label=_("Narahubung"), max_length=150, required=False)
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)


class PartnerServiceForm(forms.Form):
    name = forms.CharField(label=_("Nama layanan"), max_length=200)
    description = forms.CharField(label=_("Keterangan"), required=False, widget=TEXTAREA)
    need_areas = forms.MultipleChoiceField(
        label=_("Bidang kebutuhan"),
        choices=c.NeedArea.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    areas_served = forms.CharField(
        label=_("Wilayah layanan (kode, pisahkan dengan koma)"),
        required=False,
        help_text=_("Kosongkan bila melayani seluruh wilayah kedudukan mitra. Contoh: 73.09.13"),
    )
    respond_days = forms.IntegerField(
        label=_("Batas tanggapan (hari kerja)"), min_value=1, max_value=60, initial=3
    )
    complete_days = forms.IntegerField(
        label=_("Batas penyelesaian (hari kerja)"), min_value=1, max_value=365, initial=14
    )
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def clean_areas_served(self):
        raw = self.cleaned_data.get("areas_served") or ""
        codes = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
        areas = list(Area.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {a.code for a in areas})
        if unknown:
            raise forms.ValidationError(
                _("Kode wilayah tidak dikenal: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        return areas


class PartnerMemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Pengguna (peran Mitra)"), queryset=User.objects.none())
    position = forms.CharField(label=_("Jabatan"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "user").queryset = User.objects.filter(
            is_active=True, role__in=partner_roles()
        ).order_by("username")


class AgreementForm(forms.Form):
    number = forms.CharField(label=_("Nomor perjanjian"), max_length=100)
    title = forms.CharField(label=_("Judul"), max_length=300)
    agency = forms.ModelChoiceField(
        label=_("Mitra"), queryset=PartnerAgency.objects.none(), required=False
    )
    parties = forms.CharField(
        label=_("Para pihak"),
        widget=TEXTAREA,
        help_text=_("Satu pihak per baris, mis. Dinas Sosial Kabupaten Maros."),
    )
    area = AreaPickerField(label=_("Wilayah"), level=None, widget=AreaSelect)
    signed_on = _date(_("Tanggal penandatanganan"))
    starts_on = _date(
        _("Mulai berlaku"), required=False, help_text=_("Kosong: sejak ditandatangani.")
    )
    term_years = forms.IntegerField(label=_("Jangka waktu (tahun)"), min_value=1, initial=5)
    document = forms.FileField(
        label=_("Dokumen perjanjian (PDF, paling besar 10 MB)"),
        required=False,
        validators=[SIGNED_DOCUMENT],
        widget=forms.ClearableFileInput(attrs={"accept": SIGNED_DOCUMENT.accept()}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            _choice(self, "agency").queryset = PartnerAgency.objects.visible_to(user)


class HolidayForm(forms.Form):
    on = _date(_("Tanggal"))
    name = forms.CharField(label=_("Nama hari libur/cuti bersama"), max_length=150)


class DocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Dokumen perjanjian (PDF, paling besar 10 MB)"),
        validators=[SIGNED_DOCUMENT],
        widget=forms.ClearableFileInput(attrs={"accept": SIGNED_DOCUMENT.accept()}),
    )


class ExtendAgreementForm(forms.Form):
    signed_on = _date(_("Tanggal addendum"))
    reference = forms.CharField(label=_("Nomor addendum"), max_length=100, required=False)
    years = forms.IntegerField(
        label=_("Diperpanjang (tahun)"), min_value=1, initial=5, required=False
    )
    new_end = _date(
        _("Atau: berakhir menjadi tanggal"), required=False, help_text=_("Mengalahkan isian tahun.")
    )


class TerminateAgreementForm(forms.Form):
    notice_on = _date(_("Tanggal surat pemberitahuan tertulis"))
    notice_reference = forms.CharField(
        label=_("Nomor surat pemberitahuan"), max_length=100, required=False
    )
    terminated_on = _date(
        _("Tanggal pengakhiran"),
        help_text=_("Sekurang-kurangnya 30 hari kalender sesudah tanggal pemberitahuan."),
    )
    reason = forms.CharField(label=_("Alasan"), widget=TEXTAREA)


# --- Intake -----------------------------------------------------------------------------------


class IntakeForm(forms.Form):
    service_point = forms.ModelChoiceField(
        label=_("Titik layanan"), queryset=ServicePoint.objects.none()
    )
    kind = forms.ChoiceField(label=_("Jenis"), choices=c.IntakeKind.choices)
    channel = forms.ChoiceField(
        label=_("Saluran"), choices=c.Channel.choices, initial=c.Channel.WALK_IN
    )
    person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # Unregistered person
    name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False)
    nik = forms.CharField(
        label=_("NIK (bila ada)"),
        max_length=25,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kk_number = forms.CharField(
        label=_("Nomor KK (bila ada)"),
        max_length=25,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"),
        choices=[("", "—"), ("L", _("Laki-laki")), ("P", _("Perempuan"))],
        required=False,
    )
    birth_date = _date(_("Tanggal lahir"), required=False)
    village = AreaPickerField(label=_("Desa/kelurahan"), required=False, widget=AreaSelect)
    address = forms.CharField(
        label=_("Alamat (jalan/dusun, RT/RW)"), max_length=300, required=False
    )
    propose_to_registry = forms.BooleanField(
        label=_("Perlu diusulkan ke registri"), required=False, initial=True
    )
    phone = forms.CharField(label=_("Telepon/WA"), max_length=40, required=False)
    reporter_name = forms.CharField(
        label=_("Nama pelapor (bila bukan yang bersangkutan)"), max_length=150, required=False
    )
    reporter_relationship = forms.CharField(
        label=_("Hubungan pelapor"), max_length=100, required=False
    )
    # What
    needs = forms.MultipleChoiceField(
        label=_("Bidang kebutuhan"), choices=c.NeedArea.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("Uraian keluhan/permohonan"), widget=TEXTAREA)
    since = _date(_("Dialami sejak"), required=False)
    urgency = forms.ChoiceField(
        label=_("Tingkat urgensi"), choices=c.Urgency.choices, initial=c.Urgency.NORMAL
    )
    sensitive_topic = forms.ChoiceField(
        label=_("Menyangkut hal sensitif"),
        choices=c.SensitiveTopic.choices,
        required=False,
        help_text=_("Kasus sensitif hanya dapat dibuka petugas yang ditugaskan dan supervisornya."),
    )
    ppks_categories = forms.ModelMultipleChoiceField(
        label=_("PPKS terkait"),
        queryset=PPKSCategory.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Saya sudah memeriksa pengaduan terbuka di atas dan tetap membuat yang baru"),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        from pandu.registry.queries import ppks_categories_for

        super().__init__(*args, **kwargs)
        points = ServicePoint.objects.visible_to(user).filter(active=True)
        _choice(self, "service_point").queryset = points
        mine = points.filter(staff__user=user, staff__ended_on__isnull=True).first()
        if mine is not None:
            self.fields["service_point"].initial = mine.pk
        _choice(self, "ppks_categories").queryset = ppks_categories_for(user)

    def clean(self):
        data = super().clean()
        if not data.get("person"):
            if not data.get("name"):
                self.add_error("name", _("Isi nama, atau pilih orangnya dari hasil pencarian."))
            if not data.get("birth_date"):
                self.add_error(
                    "birth_date", _("Isi tanggal lahir (dipakai untuk memeriksa status tiket).")
                )
        return data


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Penyelesaian di loket"), widget=TEXTAREA)


class AssignForm(forms.Form):
    assign_to = UserChoiceField(
        label=_("Tugaskan kepada"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, area_code: str = "", required: bool = False, **kwargs):
        from .actions import caseworkers_for

        super().__init__(*args, **kwargs)
        _choice(self, "assign_to").queryset = caseworkers_for(area_code).order_by("username")
        self.fields["assign_to"].required = required


# --- Case -------------------------------------------------------------------------------------


class AccessReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka kasus ini"),
        max_length=250,
        min_length=5,
        help_text=_("Dicatat di log akses bersama nama Anda dan waktunya."),
    )


class PlanSummaryForm(VersionedForm, forms.Form):
    """A case's plan summary, as the case page shows it (``versioned``: with its version)."""

    record_kwarg = "case"

    plan_summary = forms.CharField(label=_("Ringkasan rencana"), widget=TEXTAREA, required=False)

    def __init__(self, *args, case=None, **kwargs):
        if case is not None:
            kwargs.setdefault("initial", {"plan_summary": case.plan_summary})
        super().__init__(*args, case=case, **kwargs)


class GoalForm(forms.Form):
    description = forms.CharField(label=_("Tujuan"), max_length=300)
    need_area = forms.ChoiceField(
        label=_("Bidang kebutuhan"), choices=[("", "—"), *c.NeedArea.choices], required=False
    )


class PlanActionForm(forms.Form):
    description = forms.CharField(label=_("Kegiatan"), max_length=300)
    responsible = forms.CharField(label=_("Penanggung jawab"), max_length=150, required=False)
    due_on = _date(_("Target tanggal"), required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Catatan"), widget=TEXTAREA)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Tindak lanjut"), max_length=300)
    due_on = _date(_("Batas waktu"))


class CounsellingForm(forms.Form):
    held_on = _date(_("Tanggal sesi"), initial=date.today)
    participants = forms.CharField(label=_("Peserta"), widget=forms.Textarea(attrs={"rows": 2}))
    issues = forms.CharField(label=_("Masalah yang dibahas"), widget=TEXTAREA)
    agreed_steps = forms.CharField(
        label=_("Langkah yang disepakati"), widget=TEXTAREA, required=False
    )
    next_session_on = _date(_("Sesi berikutnya"), required=False)


class ClosureForm(forms.Form):
    """The closure request; each follow-up or plan action still open gets a choice (done or
    cancelled) and a reason field, named after the item's key (``actions.open_items``)."""

    outcome = forms.ChoiceField(label=_("Hasil penanganan"), choices=c.Outcome.choices)
    summary = forms.CharField(label=_("Ringkasan penutupan"), widget=TEXTAREA)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[item.key] = forms.ChoiceField(
                label=item.label,
                choices=[
                    ("done", _("Sudah selesai")),
                    ("cancelled", _("Dibatalkan")),
                ],
                widget=forms.RadioSelect,
            )
            self.fields[f"{item.key}-reason"] = forms.CharField(
                label=_("Alasan pembatalan"),
                required=False,
                max_length=300,
                help_text=_("Wajib bila dibatalkan."),
            )

    def clean(self):
        data = super().clean()
        for item in self.items:
            if (
                data.get(item.key) == "cancelled"
                and not (data.get(f"{item.key}-reason") or "").strip()
            ):
                self.add_error(f"{item.key}-reason", _("Tuliskan alasan pembatalan."))
        return data

    def resolutions(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            item.key: (data.get(item.key, ""), data.get(f"{item.key}-reason", ""))
            for item in self.items
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("approve", _("Setujui")), ("return", _("Kembalikan/tolak"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Catatan"), widget=TEXTAREA, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=TEXTAREA)


# --- Referrals --------------------------------------------------------------------------------


class ReferralForm(forms.Form):
    service = forms.ChoiceField(label=_("Layanan mitra"))
    need_area = forms.ChoiceField(label=_("Bidang kebutuhan"), choices=c.NeedArea.choices)
    need = forms.CharField(label=_("Kebutuhan"), widget=TEXTAREA)
    done_so_far = forms.CharField(label=_("Yang sudah dilakukan"), widget=TEXTAREA, required=False)
    request = forms.CharField(label=_("Yang diminta dari mitra"), widget=TEXTAREA)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.services = {str(s.uid): s for s in services}
        self.fields["service"].choices = [("", "—")] + [
            (
                str(s.uid),
                "{} — {} ({})".format(s.agency.name, s.name, ", ".join(s.need_labels())),
            )
            for s in services
        ]

    def clean_service(self):
        value = self.cleaned_data["service"]
        if value not in self.services:
            raise forms.ValidationError(_("Pilih layanan mitra."))
        return self.services[value]


class ReferralEditForm(forms.Form):
    need_area = forms.ChoiceField(label=_("Bidang kebutuhan"), choices=c.NeedArea.choices)
    need = forms.CharField(label=_("Kebutuhan"), widget=TEXTAREA)
    done_so_far = forms.CharField(label=_("Yang sudah dilakukan"), widget=TEXTAREA, required=False)
    request = forms.CharField(label=_("Yang diminta dari mitra"), widget=TEXTAREA)


class ConsentForm(forms.Form):
    consent_by = forms.ChoiceField(
        label=_("Persetujuan dari"), choices=c.ConsentBy.choices, widget=forms.RadioSelect
    )
    guardian_name = forms.CharField(label=_("Nama orang tua/wali"), max_length=150, required=False)
    guardian_relationship = forms.CharField(
        label=_("Hubungan wali"), max_length=100, required=False
    )
    method = forms.ChoiceField(label=_("Cara persetujuan"), choices=c.ConsentMethod.choices)
    share_nik = forms.BooleanField(label=_("NIK boleh dibagikan kepada mitra"), required=False)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)
    confirm = forms.BooleanField(
        label=_(
            "Yang bersangkutan/wali sudah diberi penjelasan data apa yang dibagikan, kepada siapa "
            "dan untuk apa, dan menyetujuinya"
        )
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=200)
    file = forms.FileField(
        label=_("Berkas (PDF/JPG/PNG, paling besar 10 MB)"),
        validators=[ATTACHMENT],
        widget=forms.ClearableFileInput(attrs={"accept": ATTACHMENT.accept()}),
    )


class PartnerMoveForm(forms.Form):
    text = forms.CharField(label=_("Keterangan"), widget=TEXTAREA, required=False)


# --- Public and reports -----------------------------------------------------------------------


class TicketCheckForm(forms.Form):
    ticket = forms.CharField(
        label=_("Nomor tiket"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"placeholder": "SLRT-7309-2026-000123-K7QF", "autocomplete": "off"}
        ),
    )
    birth_date = _date(_("Tanggal lahir"))


class DashboardForm(forms.Form):
    start = _date(_("Dari"), required=False)
    end = _date(_("Sampai"), required=False)
    area = AreaPickerField(label=_("Wilayah"), level=None, required=False, widget=AreaSelect)
