"""Forms of the Askesos pages: they parse what was typed, the actions decide."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.accounts.models import User
from pandu.accounts.queries import users_visible_to
from pandu.accounts.roles import roles_with
from pandu.core.uploads import UploadValidator
from pandu.registry.choices import WorkStatus
from pandu.registry.forms import AreaPickerField, AreaSelect
from pandu.services.models import ServicePoint

from . import clock
from .capabilities import ICap
from .choices import DocumentKind, EndReason, EventType, Finding, PaymentMethod
from .models import Provider, Scheme, SchemeTerms
from .models.schemes import RULE_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
MONTH_FORMATS = ["%Y-%m"]
#: Evidence of a requirement and a claim's documents: a scan or a photo, checked by content.
DOCUMENT_UPLOAD = UploadValidator(kinds=("pdf", "png", "jpeg", "webp"))
#: A bulk payment file (``import_premiums``).
PAYMENT_FILE_UPLOAD = UploadValidator(kinds=("csv", "xlsx"), max_bytes="PANDU_IMPORT_MAX_BYTES")


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_WIDGET, input_formats=DATE_FORMATS, **kwargs)


def _today():
    """Looked up when the form is shown, so the day follows ``insurance.clock`` as it is then."""
    return clock.today()


def today_field(label, **kwargs) -> forms.DateField:
    return date_field(label, initial=_today, **kwargs)


def rupiah_field(label, **kwargs) -> forms.IntegerField:
    kwargs.setdefault("min_value", 0)
    return forms.IntegerField(
        label=label, widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **kwargs
    )


def text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def document_field(label, **kwargs) -> forms.FileField:
    return forms.FileField(
        label=label,
        validators=[DOCUMENT_UPLOAD],
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_UPLOAD.accept()}),
        **kwargs,
    )


# --- Providers and accreditation --------------------------------------------------------------


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Nama lembaga"), max_length=200)
    code = forms.CharField(
        label=_("Kode penyelenggara"),
        max_length=12,
        help_text=_("Dipakai di nomor peserta, mis. ASK-LKS01-000123."),
    )
    area = AreaPickerField(
        label=_("Wilayah kedudukan"),
        level=None,
        widget=AreaSelect,
        help_text=_("Kabupaten/kota, kecamatan atau desa tempat lembaga berkedudukan."),
    )
    established_on = date_field(_("Berdiri sejak"), required=False)
    legal_basis = forms.CharField(label=_("Akta/badan hukum"), max_length=200, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=40, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    opening_reserve = rupiah_field(_("Cadangan awal (Rp)"), initial=0)
    note = forms.CharField(label=_("Catatan"), required=False, widget=text_area())
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # The seat is the provider's scope: a move is a new provider, not an edit.
            del self.fields["area"]
        else:
            del self.fields["active"]

    @classmethod
    def initial_of(cls, provider: Provider) -> dict:
        org = provider.organisation
        return {
            "name": org.name,
            "code": provider.code,
            "area": provider.area_code,
            "established_on": provider.established_on,
            "legal_basis": provider.legal_basis,
            "address": org.address,
            "phone": org.phone,
            "email": org.email,
            "opening_reserve": int(provider.opening_reserve),
            "note": provider.note,
            "active": provider.active,
        }


class AccreditationOpenForm(forms.Form):
    applied_on = today_field(_("Tanggal permohonan"))


class EvidenceForm(forms.Form):
    evidence = forms.CharField(
        label=_("Bukti"),
        widget=text_area(4),
        help_text=_("Uraikan bukti yang dimiliki lembaga, mis. nomor akta atau daftar pelatihan."),
    )
    evidence_file = document_field(_("Berkas bukti (PDF atau foto)"), required=False)


class ReviewForm(forms.Form):
    finding = forms.ChoiceField(
        label=_("Temuan"),
        choices=[(f.value, f.label) for f in (Finding.MET, Finding.NOT_MET)],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Catatan pemeriksa"), required=False, widget=text_area(2))


class DecisionForm(forms.Form):
    accredited = forms.TypedChoiceField(
        label=_("Keputusan"),
        choices=[("1", _("Terakreditasi")), ("0", _("Ditolak"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decision_number = forms.CharField(label=_("Nomor keputusan"), max_length=100)
    decided_on = today_field(_("Tanggal keputusan"))
    valid_from = date_field(_("Berlaku mulai"), required=False)
    valid_until = date_field(_("Berlaku sampai"), required=False)
    note = forms.CharField(
        label=_("Pertimbangan"),
        required=False,
        widget=text_area(3),
        help_text=_("Wajib diisi bila permohonan ditolak."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pencabutan"), widget=text_area(2))


class StaffLinkForm(forms.Form):
    staff_user = forms.ModelChoiceField(
        label=_("Pengguna (peran Mitra)"), queryset=User.objects.none()
    )
    position = forms.CharField(label=_("Jabatan"), max_length=120, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["staff_user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            users_visible_to(user)
            .filter(role__in=roles_with(ICap.PROVIDER), is_active=True)
            .order_by("username")
        )
        field.label_from_instance = lambda u: (  # type: ignore[method-assign]
            f"{u.get_full_name()} ({u.username})" if u.get_full_name() else u.username
        )


# --- Schemes ----------------------------------------------------------------------------------

TERMS_FIELDS = ["valid_from", *RULE_FIELDS, "note"]


class TermsForm(forms.ModelForm):
    """A scheme's rules as of a date. Built from the model's fields for their labels and
    limits; never saved: the cleaned values go to ``add_terms`` / ``create_scheme``."""

    class Meta:
        model = SchemeTerms
        fields = TERMS_FIELDS
        widgets = {"valid_from": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        valid_from = self.fields["valid_from"]
        assert isinstance(valid_from, forms.DateField)
        valid_from.input_formats = DATE_FORMATS
        valid_from.help_text = _("Versi ini berlaku sejak tanggal ini; versi sebelumnya tetap ada.")

    def terms(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in TERMS_FIELDS}

    @staticmethod
    def initial_of(terms: SchemeTerms | None) -> dict:
        if terms is None:
            return {}
        return {name: getattr(terms, name) for name in TERMS_FIELDS if name != "note"}


class SchemeForm(TermsForm):
    name = forms.CharField(label=_("Nama skema"), max_length=150)
    scheme_note = forms.CharField(label=_("Catatan skema"), required=False, widget=text_area(2))

    field_order = ["name", "scheme_note", *TERMS_FIELDS]


# --- Members ----------------------------------------------------------------------------------


class EnrolForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("Skema"), queryset=Scheme.objects.none())
    nik = forms.CharField(
        label=_("NIK calon peserta"),
        min_length=16,
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Orangnya harus sudah tercatat di registri."),
    )
    enrolled_on = today_field(_("Tanggal menjadi peserta"))
    occupation = forms.CharField(label=_("Pekerjaan"), max_length=150)
    monthly_income = rupiah_field(_("Penghasilan per bulan (Rp)"))
    work_status = forms.TypedChoiceField(
        label=_("Status pekerjaan"),
        choices=[("", "—"), *WorkStatus.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    breadwinner = forms.BooleanField(
        label=_("Pencari nafkah utama keluarga"), required=False, initial=True
    )

    def __init__(self, *args, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["scheme"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = schemes
        field.label_from_instance = lambda s: f"{s.name} · {s.provider.organisation.name}"  # type: ignore[method-assign]
        only = list(schemes[:2])
        if len(only) == 1:
            field.initial = only[0].pk

    def clean_nik(self) -> str:
        nik = self.cleaned_data["nik"].strip()
        if not nik.isdigit():
            raise forms.ValidationError(_("NIK terdiri dari 16 angka."))
        return nik


class EndForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan berakhir"), choices=EndReason.choices)
    on = today_field(_("Tanggal berakhir"))
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)


class ReinstateForm(forms.Form):
    on = today_field(_("Tanggal pemulihan"))


# --- Premiums ---------------------------------------------------------------------------------


class PaymentForm(forms.Form):
    amount = rupiah_field(_("Jumlah (Rp)"), min_value=1)
    paid_on = today_field(_("Tanggal bayar"))
    method = forms.ChoiceField(label=_("Cara bayar"), choices=PaymentMethod.choices)
    reference = forms.CharField(
        label=_("Referensi"),
        max_length=60,
        required=False,
        help_text=_("Nomor transfer atau nomor buku kuitansi; dicatat sekali saja."),
    )
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)


class ImportForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Penyelenggara"), queryset=Provider.objects.none(), required=False
    )
    file = forms.FileField(
        label=_("Berkas pembayaran (CSV atau Excel)"),
        help_text=_(
            "Kolom nomor_peserta, jumlah, tanggal_bayar, cara_bayar dan referensi; baris yang "
            "ditolak dilaporkan dengan nomor baris dan alasannya."
        ),
        validators=[PAYMENT_FILE_UPLOAD],
        widget=forms.ClearableFileInput(attrs={"accept": PAYMENT_FILE_UPLOAD.accept()}),
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = providers
        field.label_from_instance = lambda p: f"{p.code} · {p.organisation.name}"  # type: ignore[method-assign]
        only = list(providers[:2])
        if len(only) == 1:
            field.initial = only[0].pk
            field.required = True


# --- Claims -----------------------------------------------------------------------------------

#: The claim form's file inputs, one per kind of document.
DOCUMENT_FIELDS = [(f"doc_{kind.value}", kind.value, kind.label) for kind in DocumentKind]


class ClaimForm(forms.Form):
    event_type = forms.ChoiceField(label=_("Peristiwa"), choices=EventType.choices)
    event_date = date_field(_("Tanggal peristiwa"))
    amount_claimed = rupiah_field(
        _("Nilai diajukan (Rp)"),
        required=False,
        help_text=_("Kosongkan: santunan menurut ketentuan skema."),
    )
    description = forms.CharField(
        label=_("Keterangan peristiwa"),
        required=False,
        widget=text_area(3),
        help_text=_("Data kesehatan: disimpan terenkripsi, setiap pembukaan klaim dicatat."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, _kind, label in DOCUMENT_FIELDS:
            self.fields[name] = document_field(label, required=False)

    def documents(self) -> list[tuple[str, object]]:
        return [
            (kind, self.cleaned_data[name])
            for name, kind, _label in DOCUMENT_FIELDS
            if self.cleaned_data.get(name)
        ]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis dokumen"), choices=DocumentKind.choices)
    file = document_field(_("Berkas (PDF atau foto)"))


class ClaimDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Keputusan"),
        choices=[("1", _("Setujui")), ("0", _("Tolak"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    amount = rupiah_field(
        _("Nilai disetujui (Rp)"),
        required=False,
        help_text=_("Kosongkan: santunan menurut ketentuan."),
    )
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=500,
        required=False,
        widget=text_area(2),
        help_text=_("Wajib diisi bila klaim ditolak."),
    )


class ClaimPayForm(forms.Form):
    paid_on = today_field(_("Tanggal dibayar"))
    method = forms.ChoiceField(label=_("Cara bayar"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Referensi pembayaran"), max_length=60, required=False)
    paid_to = forms.CharField(
        label=_("Dibayarkan kepada"),
        max_length=150,
        required=False,
        help_text=_("Kosongkan: peserta sendiri; untuk klaim meninggal, nama ahli waris."),
    )


class FamilyCaseForm(forms.Form):
    service_point = forms.ModelChoiceField(
        label=_("Titik layanan"),
        queryset=ServicePoint.objects.none(),
        required=False,
        empty_label=_("Yang terdekat dengan keluarga (otomatis)"),
    )

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["service_point"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = points


# --- Books ------------------------------------------------------------------------------------


class MonthForm(forms.Form):
    bulan = forms.DateField(
        label=_("Bulan"),
        input_formats=MONTH_FORMATS,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        required=False,
    )

    def month(self) -> date:
        """The first day of the month asked for; this month when none (or nonsense) was."""
        day = self.cleaned_data.get("bulan") if self.is_valid() else None
        return (day or clock.today()).replace(day=1)
