"""Forms parse and give field-level messages; the actions decide and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from pandu.accounts.roles import Cap
from pandu.core.forms import VersionedForm
from pandu.regions.models import Area, Level
from pandu.regions.queries import picker_label

from . import choices as c
from .models import (
    Household,
    HouseholdBusiness,
    Person,
    PPKSAssignment,
    PSKSOrganisation,
    PSKSType,
)
from .validation import clean_kk, clean_name, clean_nik, mask_account

DATE_WIDGET = forms.DateInput(
    format="%d-%m-%Y", attrs={"placeholder": "DD-MM-YYYY", "inputmode": "numeric"}
)


class AreaPickerField(forms.CharField):
    """An area chosen by code through the autocomplete, validated against the official list.

    The picker offers only areas inside the user's own area, where the form's action accepts
    nothing else; ``anywhere=True`` (a move to another regency) lists the user's area first,
    then the rest."""

    def __init__(self, *, level: int | None = Level.VILLAGE, anywhere: bool = False, **kwargs):
        self.level = level
        self.anywhere = anywhere
        kwargs.setdefault("max_length", 13)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["data-area-picker"] = "/wilayah/cari/"
        if not self.anywhere:
            attrs["data-scope"] = "mine"
        if self.level:
            attrs["data-level"] = str(self.level)
        return attrs

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        area = Area.objects.filter(code=code.strip()).first()
        if area is None:
            raise ValidationError(_("Kode wilayah tidak dikenal."), code="unknown_area")
        if self.level and area.level != self.level:
            raise ValidationError(
                _("Pilih %(level)s.") % {"level": Level(self.level).label.lower()}
            )
        return area


class AreaSelect(forms.Select):
    """Renders only the chosen option; the rest are fetched as the user types."""

    def get_context(self, name, value, attrs):
        ctx = super().get_context(name, value, attrs)
        return ctx

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if v]
        options = []
        if chosen:
            area = Area.objects.filter(code=chosen[0]).select_related("parent__parent").first()
            if area is not None:
                options.append(self.create_option(name, area.code, picker_label(area), True, 0))
        return [(None, options, 0)]


class HouseholdForm(VersionedForm, forms.ModelForm):
    village = AreaPickerField(label=_("Desa/kelurahan"), widget=AreaSelect)

    class Meta:
        model = Household
        fields = [
            "kk_number",
            "village",
            "rt",
            "rw",
            "address",
            "ownership",
            "land_ownership",
            "floor_area",
            "floor_material",
            "wall_material",
            "wall_condition",
            "roof_material",
            "roof_condition",
            "bedrooms",
            "water_source",
            "lighting",
            "wattage",
            "cooking_fuel",
            "toilet_use",
            "toilet_type",
            "waste_disposal",
            "land_area",
            "assets",
            "cards",
            "has_business",
            "income_monthly",
            "expenditure_monthly",
            "breadwinner",
            "collected_on",
            "desil",
            "desil_source",
            "desil_reference",
        ]
        widgets = {
            "kk_number": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16}),
            "collected_on": DATE_WIDGET,
            "income_monthly": forms.NumberInput(attrs={"step": 1000, "min": 0}),
            "expenditure_monthly": forms.NumberInput(attrs={"step": 1000, "min": 0}),
        }

    assets = forms.MultipleChoiceField(
        label=_("Aset"),
        choices=c.Asset.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cards = forms.MultipleChoiceField(
        label=_("Kartu/program yang dimiliki"),
        choices=c.Card.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    livestock = forms.CharField(
        label=_("Ternak"),
        required=False,
        max_length=300,
        help_text=_("Jenis=jumlah ekor, dipisah titik koma; misalnya sapi=2;unggas=10."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = Person.objects.none()
        if self.instance.pk:
            self.fields["kk_number"].disabled = True
            self.initial["village"] = self.instance.village_id
            members = self.instance.members.filter(status=c.PersonStatus.ACTIVE)
            livestock = self.instance.livestock or {}
            self.initial["livestock"] = ";".join(f"{k}={v}" for k, v in livestock.items())
        self.fields["breadwinner"].queryset = members
        self.fields["breadwinner"].help_text = _(
            "Anggota keluarga; pilih setelah anggota tercatat."
        )
        self.fields["collected_on"].input_formats = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]
        self.fields["kk_number"].help_text = _("16 digit, sesuai Kartu Keluarga.")

    def clean_livestock(self) -> dict[str, int]:
        found: dict[str, int] = {}
        text = self.cleaned_data.get("livestock") or ""
        for part in [p.strip() for p in text.replace(",", ";").split(";") if p.strip()]:
            kind, _sep, number = part.replace(":", "=").partition("=")
            kind = kind.strip().lower()
            if kind not in c.Livestock.values or not number.strip().isdigit():
                raise ValidationError(
                    _("Tulis jenis=jumlah, misalnya sapi=2;unggas=10 (jenis: %(allowed)s).")
                    % {"allowed": ", ".join(c.Livestock.values)}
                )
            found[kind] = found.get(kind, 0) + int(number)
        return found

    def clean_kk_number(self):
        if self.instance.pk:
            return self.instance.kk_number
        return clean_kk(self.cleaned_data.get("kk_number"))

    def _post_clean(self):
        # Model validation runs in the action, with the acting user's scope.
        pass


class PersonForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "nik",
            "full_name",
            "sex",
            "birth_place",
            "birth_date",
            "relationship",
            "head_reason",
            "marital_status",
            "has_marriage_certificate",
            "on_family_card",
            "has_id_card",
            "school_participation",
            "education",
            "worked_last_week",
            "work_status",
            "work_sector",
            "disability_type",
            "disability_severity",
            "chronic_illness",
            "school_level",
            "pregnant",
            "pregnancy_months",
            "due_date",
            "health_insurance",
            "phone",
            "bank_name",
            "bank_account",
        ]
        widgets = {
            "birth_date": DATE_WIDGET,
            "due_date": DATE_WIDGET,
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "bank_account": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "nik": forms.TextInput(
                attrs={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"}
            ),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Without need to know, the stored account is never sent to the browser: the field
        # starts empty, shows the last digits, and left empty keeps what is stored.
        self.account_hidden = user is None or not user.can(Cap.VIEW_ACCOUNTS)
        if self.account_hidden:
            stored = self.instance.bank_account if self.instance.pk else ""
            self.initial["bank_account"] = ""
            if stored:
                self.fields["bank_account"].help_text = _(
                    "Tersimpan: %(masked)s. Kosongkan bila tidak diubah."
                ) % {"masked": mask_account(stored)}
        self.fields["due_date"].input_formats = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]
        self.fields["birth_date"].input_formats = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]
        self.fields["nik"].help_text = _("16 digit, sesuai KTP/KK.")
        self.fields["head_reason"].help_text = _("Wajib bila kepala keluarga di bawah 17 tahun.")
        self.fields["marital_status"].initial = c.MaritalStatus.SINGLE
        self.fields["nik"].widget.attrs.update(
            {
                "hx-post": reverse_lazy("registry:nik_field_check"),
                "hx-trigger": "change, keyup changed delay:600ms",
                "hx-target": "next .field-feedback",
                "hx-swap": "innerHTML",
            }
        )

    def clean_full_name(self):
        return clean_name(self.cleaned_data.get("full_name", ""))

    def clean(self):
        data = super().clean()
        if "nik" in data and not self.has_error("nik"):
            try:
                data["nik"], self.nik_result = clean_nik(
                    data["nik"], birth_date=data.get("birth_date"), sex=data.get("sex")
                )
            except ValidationError as e:
                self.add_error("nik", e)
        return data

    def _post_clean(self):
        pass

    def action_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}
        if self.account_hidden and self.instance.pk and not data.get("bank_account"):
            data.pop("bank_account", None)
        return data


class MemberForm(PersonForm):
    """A member row in the new-household form: the household fields come from its parent."""


MemberFormSet = forms.formset_factory(MemberForm, extra=0, min_num=1, validate_min=True, max_num=30)


class BusinessForm(forms.ModelForm):
    """One business of a household, with why it is recorded or changed."""

    class Meta:
        model = HouseholdBusiness
        fields = ["kind", "sector", "workers", "turnover_monthly"]
        labels = {
            "kind": _("Bentuk usaha"),
            "sector": _("Lapangan usaha"),
            "workers": _("Jumlah pekerja"),
            "turnover_monthly": _("Omzet per bulan (Rp)"),
        }
        help_texts = {
            "workers": _("Termasuk anggota keluarga yang bekerja di usaha ini."),
            "turnover_monthly": _("Perkiraan, tanpa titik; misalnya 1500000."),
        }
        widgets = {
            "workers": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "turnover_monthly": forms.NumberInput(
                attrs={"min": 0, "step": 1000, "inputmode": "numeric"}
            ),
        }

    reason = forms.CharField(
        label=_("Alasan perubahan"),
        max_length=300,
        required=False,
        help_text=_("Dicatat dalam riwayat data."),
    )

    def action_data(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in self.Meta.fields}


class BusinessRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penghapusan"),
        max_length=300,
        help_text=_("Misalnya: usaha sudah tutup sejak Maret 2025. Dicatat dalam riwayat data."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan perubahan"),
        max_length=300,
        required=False,
        help_text=_("Dicatat dalam riwayat data."),
    )


class StatusForm(forms.Form):
    # Merging two records is the duplicate review's business, not a status to pick here.
    status = forms.ChoiceField(
        label=_("Status baru"),
        choices=[(k, v) for k, v in c.PersonStatus.choices if k != c.PersonStatus.MERGED],
    )
    on = forms.DateField(
        label=_("Tanggal"), widget=DATE_WIDGET, input_formats=["%d-%m-%Y", "%Y-%m-%d"]
    )
    reason = forms.CharField(label=_("Alasan/keterangan"), max_length=300)


class PPKSForm(forms.ModelForm):
    class Meta:
        model = PPKSAssignment
        fields = ["category", "identified_on", "source", "note"]
        widgets = {"identified_on": DATE_WIDGET}

    verified = forms.BooleanField(label=_("Sudah diverifikasi di lapangan"), required=False)

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if categories is not None:
            self.fields["category"].queryset = categories
        self.fields["identified_on"].input_formats = ["%d-%m-%Y", "%Y-%m-%d"]

    def _post_clean(self):
        pass


class EndPPKSForm(forms.Form):
    on = forms.DateField(
        label=_("Tanggal berakhir"), widget=DATE_WIDGET, input_formats=["%d-%m-%Y", "%Y-%m-%d"]
    )
    reason = forms.CharField(label=_("Alasan"), max_length=300)


class PSKSOrganisationForm(forms.ModelForm):
    area = AreaPickerField(label=_("Wilayah"), level=None, widget=AreaSelect)

    class Meta:
        model = PSKSOrganisation
        fields = [
            "psks_type",
            "name",
            "area",
            "address",
            "legal_status",
            "registration_number",
            "registered_on",
        ]
        widgets = {"registered_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["psks_type"].queryset = self.fields["psks_type"].queryset.filter(
            kind="organisation"
        )
        self.fields["registered_on"].input_formats = ["%d-%m-%Y", "%Y-%m-%d"]

    def clean_name(self):
        return clean_name(self.cleaned_data.get("name", ""))

    def _post_clean(self):
        pass


class PSKSPersonForm(forms.Form):
    psks_type = forms.ModelChoiceField(
        label=_("Jenis PSKS"), queryset=PSKSType.objects.filter(kind="person")
    )
    area = AreaPickerField(label=_("Wilayah tugas"), level=None, widget=AreaSelect)
    registration_number = forms.CharField(
        label=_("Nomor registrasi/SK"), max_length=60, required=False
    )
    started_on = forms.DateField(
        label=_("Mulai bertugas"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"],
    )


class NikCheckForm(forms.Form):
    nik = forms.CharField(label=_("NIK"), max_length=40)
    birth_date = forms.DateField(
        label=_("Tanggal lahir (opsional)"),
        required=False,
        widget=DATE_WIDGET,
        input_formats=["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"],
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin (opsional)"), required=False, choices=[("", "—"), *c.Sex.choices]
    )
