"""Forms of the personal-data pages: they parse what was typed; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import choices as c

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


def _now() -> Any:
    return timezone.localtime().replace(second=0, microsecond=0)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Tujuan"), choices=c.Purpose.choices)
    programme: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Program (untuk berbagi dengan program)"), queryset=None, required=False
    )
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Instansi/lembaga (untuk berbagi dengan instansi)"), queryset=None, required=False
    )
    scope = forms.CharField(
        label=_("Cakupan"),
        max_length=2000,
        widget=TEXT,
        help_text=_("Data apa yang boleh diproses atau dibagikan, dan untuk apa."),
    )
    given_by = forms.ChoiceField(label=_("Diberikan oleh"), choices=c.GivenBy.choices)
    guardian_name = forms.CharField(label=_("Nama orang tua/wali"), max_length=150, required=False)
    guardian_relationship = forms.CharField(
        label=_("Hubungan wali"), max_length=100, required=False
    )
    method = forms.ChoiceField(label=_("Cara pencatatan"), choices=c.Method.choices)
    document = forms.FileField(
        label=_("Formulir bertanda tangan (PDF/JPG/PNG, maks. 10 MB)"), required=False
    )
    witness_name = forms.CharField(
        label=_("Nama saksi (persetujuan lisan)"), max_length=150, required=False
    )
    given_on = forms.DateField(label=_("Tanggal persetujuan"), widget=DATE)
    valid_until = forms.DateField(label=_("Berlaku sampai (bila ada)"), widget=DATE, required=False)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from pandu.organisations.models import Organisation
        from pandu.programs.models import Programme

        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["programme"].queryset = Programme.objects.filter(status="aktif").order_by("code")
        fields["organisation"].queryset = Organisation.objects.active().order_by("name")
        self.fields["given_on"].initial = timezone.localdate()


class WithdrawConsentForm(forms.Form):
    on = forms.DateField(label=_("Dicabut tanggal"), widget=DATE)
    by = forms.ChoiceField(label=_("Dicabut oleh"), choices=c.GivenBy.choices)
    reason = forms.CharField(label=_("Alasan pencabutan"), max_length=2000, widget=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class RequestForm(forms.Form):
    """A request as it came, with the correction asked for (``fix_*``) when it is one."""

    kind = forms.ChoiceField(label=_("Jenis permintaan"), choices=c.RequestKind.choices)
    channel = forms.ChoiceField(label=_("Saluran"), choices=c.Channel.choices)
    received_at = forms.DateTimeField(label=_("Diterima"), widget=MOMENT)
    requester = forms.ChoiceField(label=_("Pemohon"), choices=c.Requester.choices)
    requester_name = forms.CharField(
        label=_("Nama pemohon (bila bukan yang bersangkutan)"), max_length=150, required=False
    )
    requester_relationship = forms.CharField(
        label=_("Hubungan pemohon"), max_length=100, required=False
    )
    contact = forms.CharField(
        label=_("Alamat/kontak untuk jawaban"), max_length=200, required=False
    )
    description = forms.CharField(label=_("Isi permintaan"), max_length=4000, widget=TEXT)
    identity_method = forms.ChoiceField(
        label=_("Identitas sudah diperiksa di loket dengan"),
        choices=[("", _("(belum diperiksa)")), *c.IdentityMethod.choices],
        required=False,
    )
    identity_note = forms.CharField(label=_("Catatan identitas"), max_length=300, required=False)

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = _now()
        model = type(person)
        for name in c.CORRECTABLE:
            field = model._meta.get_field(name)
            label = _("Perbaikan: %(field)s") % {"field": field.verbose_name}
            current = (
                getattr(person, f"get_{name}_display")() if field.choices else getattr(person, name)
            )
            help_text = _("Sekarang: %(value)s") % {"value": current or "—"}
            if name in c.DATE_FIELDS:
                new: forms.Field = forms.DateField(widget=DATE)
            elif name in c.TEXT_FIELDS and not field.choices:
                new = forms.CharField(max_length=field.max_length)
            else:
                new = forms.TypedChoiceField(
                    choices=[("", "—"), *field.choices], coerce=str, empty_value=""
                )
            new.label, new.required, new.help_text = label, False, help_text
            self.fields[f"fix_{name}"] = new

    def changes(self) -> dict[str, Any]:
        return {
            k.removeprefix("fix_"): v
            for k, v in self.cleaned_data.items()
            if k.startswith("fix_") and v not in (None, "")
        }

    def correction_fields(self):
        return [f for f in self if f.name.startswith("fix_")]

    def main_fields(self):
        return [f for f in self if not f.name.startswith("fix_")]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Keterangan"), max_length=300)


class IdentityForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Cara memastikan identitas"), choices=c.IdentityMethod.choices
    )
    verified = forms.BooleanField(label=_("Identitas cocok"), required=False, initial=True)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Petugas"), queryset=None)

    def __init__(self, *args: Any, handlers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["assignee"].queryset = handlers


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=4000, widget=TEXT)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Jawaban kepada pemohon"), max_length=4000, widget=TEXT)


class ProposeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Keputusan yang diusulkan"), choices=c.Outcome.choices)
    reason = forms.CharField(label=_("Alasan"), max_length=4000, widget=TEXT)

    def __init__(self, *args: Any, allowed: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed:
            fields: Any = self.fields
            fields["outcome"].choices = [(k, v) for k, v in c.Outcome.choices if k in allowed]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("approve", _("Setujui")), ("return", _("Kembalikan kepada pengusul"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Catatan"), max_length=2000, widget=TEXT, required=False)


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis data"), choices=c.RecordKind.choices)
    area_code = forms.CharField(
        label=_("Kode wilayah"), max_length=13, help_text=_("Mis. 73.09 (kabupaten)")
    )
    period_months = forms.IntegerField(label=_("Masa simpan (bulan)"), min_value=1, max_value=1200)
    legal_basis = forms.CharField(label=_("Dasar hukum"), max_length=2000, widget=TEXT)
    unconfirmed = forms.BooleanField(label=_("Belum dipastikan oleh peraturan"), required=False)
    active = forms.BooleanField(label=_("Berlaku"), required=False, initial=True)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[
            ("keep", pgettext_lazy("pilihan tinjauan", "Tetap disimpan")),
            ("anonymise", _("Anonimkan")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Alasan"), max_length=2000, widget=TEXT)
    keep_until = forms.DateField(
        label=_("Ditinjau lagi pada (bila disimpan)"), widget=DATE, required=False
    )


class BreachForm(forms.Form):
    title = forms.CharField(label=_("Judul singkat"), max_length=200)
    discovered_at = forms.DateTimeField(label=_("Diketahui pada"), widget=MOMENT)
    occurred_at = forms.DateTimeField(
        label=_("Terjadi pada (perkiraan)"), widget=MOMENT, required=False
    )
    description = forms.CharField(label=_("Uraian kejadian"), max_length=8000, widget=TEXT)
    categories = forms.MultipleChoiceField(
        label=_("Jenis data yang terdampak"),
        choices=c.DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    people_affected = forms.IntegerField(label=_("Jumlah orang terdampak"), min_value=0)
    people_estimated = forms.BooleanField(label=_("Jumlah masih perkiraan"), required=False)
    containment = forms.CharField(
        label=_("Langkah penanganan/pemulihan"), max_length=8000, widget=TEXT, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["discovered_at"].initial = _now()


class BreachUpdateForm(BreachForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(k, v) for k, v in c.BreachStatus.choices if k != c.BreachStatus.CLOSED],
    )
    reason = forms.CharField(label=_("Keterangan perubahan"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["discovered_at"]


class NoticeForm(forms.Form):
    recipient = forms.ChoiceField(label=_("Kepada"), choices=c.NoticeRecipient.choices)
    method = forms.ChoiceField(label=_("Cara"), choices=c.NoticeMethod.choices)
    sent_at = forms.DateTimeField(label=_("Dikirim pada"), widget=MOMENT)
    reference = forms.CharField(label=_("Nomor surat/rujukan"), max_length=100, required=False)
    recipients_count = forms.IntegerField(label=_("Jumlah penerima"), min_value=0, required=False)
    summary = forms.CharField(label=_("Isi pemberitahuan (ringkas)"), max_length=4000, widget=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sent_at"].initial = _now()


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Catatan penutupan"), max_length=4000, widget=TEXT)
