"""Forms of the catalogue (programmes and their amounts) and of the list of organisations."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.core.forms import VersionedForm
from pandu.organisations.models import Organisation, OrganisationKind

from .. import choices as c
from ._common import DATE, _lines


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Nama lembaga"), max_length=200)
    short_name = forms.CharField(label=_("Singkatan"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Jenis lembaga"), choices=OrganisationKind.choices)
    area = forms.CharField(
        label=_("Kode wilayah kedudukan"),
        max_length=13,
        help_text=_("Mis. 73.71 untuk Kota Makassar."),
    )
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=40, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)


class ProgrammeForm(VersionedForm, forms.Form):
    """A catalogue programme; a local (APBD) one lies in an area of the user's scope."""

    record_kwarg = "programme"

    code = forms.CharField(
        label=_("Kode"),
        max_length=30,
        help_text=_("Huruf besar, angka dan tanda hubung, mis. APBD-MAROS-RTLH."),
    )
    name = forms.CharField(label=_("Nama program"), max_length=200)
    level = forms.ChoiceField(label=_("Tingkat"), choices=c.ProgrammeLevel.choices)
    area = forms.CharField(
        label=_("Kode wilayah program daerah"),
        max_length=13,
        required=False,
        help_text=_("Mis. 73.09 untuk Kabupaten Maros; kosong hanya untuk program nasional."),
    )
    owner = forms.ModelChoiceField(
        label=_("Pemilik program"), queryset=Organisation.objects.active(), required=False
    )
    benefit_type = forms.ChoiceField(label=_("Jenis bantuan"), choices=c.BenefitType.choices)
    target_group = forms.CharField(
        label=_("Sasaran"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    description = forms.CharField(
        label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    legal_basis = forms.CharField(
        label=_("Dasar hukum (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    period = forms.CharField(label=_("Periode penyaluran"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Mulai berlaku"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Berakhir"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=c.ProgrammeStatus.choices)

    def __init__(self, *args, programme=None, **kwargs):
        """Editing keeps the code: it names the programme in links, the API and files."""
        if programme is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": programme.code,
                    "name": programme.name,
                    "level": programme.level,
                    "area": programme.area_id or "",
                    "owner": programme.owner_id,
                    "benefit_type": programme.benefit_type,
                    "target_group": programme.target_group,
                    "description": programme.description,
                    "legal_basis": _lines(programme.legal_basis),
                    "period": programme.period,
                    "starts_on": programme.starts_on,
                    "ends_on": programme.ends_on,
                    "status": programme.status,
                },
            )
        super().__init__(*args, programme=programme, **kwargs)
        if programme is not None:
            self.fields["code"].disabled = True

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Tanggal berakhir sebelum tanggal mulai."))
        return data


class AmountForm(forms.Form):
    """A component's amount valid from a date; the one in force before it ends the day before."""

    component = forms.CharField(
        label=_("Kode komponen"), max_length=40, help_text=_("Mis. ANAK_USIA_DINI, LANSIA_70.")
    )
    label = forms.CharField(label=_("Komponen"), max_length=150)
    amount = forms.DecimalField(label=_("Nilai (Rp)"), min_value=0, max_digits=14, decimal_places=0)
    per = forms.ChoiceField(label=_("Satuan"), choices=c.AmountPer.choices, initial="tahun")
    max_count = forms.IntegerField(
        label=_("Paling banyak (jiwa/keluarga)"), min_value=1, max_value=32767, required=False
    )
    valid_from = forms.DateField(label=_("Berlaku sejak"), widget=DATE)
    valid_to = forms.DateField(label=_("Berlaku sampai"), required=False, widget=DATE)
    unconfirmed = forms.BooleanField(
        label=_("Belum dikonfirmasi (sumber belum resmi)"), required=False
    )
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("valid_from"), data.get("valid_to")
        if starts and ends and ends < starts:
            self.add_error("valid_to", _("Tanggal berakhir sebelum tanggal mulai berlaku."))
        return data


class AmountEndForm(forms.Form):
    """Which amount ends (its component and start: the row's natural key) and when."""

    component = forms.CharField(max_length=40, widget=forms.HiddenInput)
    valid_from = forms.DateField(widget=forms.HiddenInput)
    valid_to = forms.DateField(label=_("Berakhir pada"), widget=DATE)


class OrganisationEditForm(VersionedForm, OrganisationForm):
    record_kwarg = "organisation"

    area = forms.CharField(
        label=_("Kode wilayah kedudukan"),
        max_length=13,
        required=False,
        help_text=_("Kosong untuk lembaga tingkat nasional."),
    )
    active = forms.BooleanField(label=_("Aktif"), required=False)

    def __init__(self, *args, organisation, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": organisation.name,
                "short_name": organisation.short_name,
                "kind": organisation.kind,
                "area": organisation.area_id or "",
                "address": organisation.address,
                "phone": organisation.phone,
                "email": organisation.email,
                "active": organisation.active,
            },
        )
        super().__init__(*args, organisation=organisation, **kwargs)
