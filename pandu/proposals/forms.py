"""Forms parse what the operator, the TKSK and the administrator type; the actions decide.

The new-household, new-member and change forms are the registry's own (``registry.forms``), so a
proposal asks for exactly what registering would ask for.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from pandu.regions.models import Area, Level
from pandu.registry.forms import DATE_WIDGET, AreaPickerField, AreaSelect
from pandu.registry.models import PPKSCategory

from . import payloads as p
from .models import MemberResult, ProposalItem
from .uploads import MINUTES_TYPES, PHOTO_TYPES, check_upload

DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_WIDGET, input_formats=DATE_FORMATS, **kwargs)


class UploadField(forms.FileField):
    """A file checked by size, extension and content (see ``uploads.check_upload``)."""

    def __init__(self, *args, types=MINUTES_TYPES, **kwargs):
        self.types = types
        super().__init__(*args, **kwargs)
        exts = ",".join(e for t in types for e in t.extensions)
        self.widget.attrs.setdefault("accept", exts)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            check_upload(upload, self.types)
        return upload


class BatchForm(forms.Form):
    village = AreaPickerField(label=_("Desa/kelurahan"), widget=AreaSelect)
    meeting_date = _date_field(_("Tanggal musyawarah desa"))
    minutes = UploadField(
        label=_("Berita acara musyawarah desa"),
        help_text=_("PDF, JPG atau PNG hasil pindaian/foto, paling besar 10 MB."),
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        area = getattr(user, "area", None)
        if area is not None and area.level == Level.VILLAGE:
            # An operator proposes for her own village only.
            self.fields["village"].disabled = True
            self.initial["village"] = area.code


class MinutesForm(forms.Form):
    minutes = UploadField(label=_("Berita acara musyawarah desa"))
    # Asked only on a draft handed over by the service desk, which has no meeting date yet.
    meeting_date = _date_field(_("Tanggal musyawarah desa"), required=False)


class ItemReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan usulan"),
        max_length=300,
        help_text=_("Misalnya: keputusan musdes, kelahiran, koreksi data. Dicatat dalam riwayat."),
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class DeathForm(forms.Form):
    on = _date_field(_("Tanggal meninggal"))
    reason = forms.CharField(
        label=_("Keterangan"),
        max_length=300,
        help_text=_("Misalnya: surat keterangan kematian dari desa."),
    )


class MoveForm(forms.Form):
    village = AreaPickerField(label=_("Desa/kelurahan tujuan"), widget=AreaSelect, anywhere=True)
    rt = forms.IntegerField(label=_("RT"), min_value=0, max_value=999)
    rw = forms.IntegerField(label=_("RW"), min_value=0, max_value=999)
    address = forms.CharField(label=_("Alamat (jalan/dusun)"), max_length=200, required=False)
    reason = forms.CharField(label=_("Alasan pindah"), max_length=300)


class PPKSItemForm(forms.Form):
    category = forms.ModelChoiceField(label=_("PPKS"), queryset=PPKSCategory.objects.none())
    identified_on = _date_field(_("Tanggal ditemukan"))
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)
    reason = forms.CharField(label=_("Alasan usulan"), max_length=300)

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if categories is not None:
            self.fields["category"].queryset = categories


def _stale_choices(model, name: str, values: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (
            "current",
            _("Pakai yang sekarang: %(value)s")
            % {"value": p.display(model, name, values["current"])},
        ),
        (
            "proposed",
            _("Pakai usulan: %(value)s") % {"value": p.display(model, name, values["proposed"])},
        ),
    ]


class StaleChoiceMixin:
    """One radio per field that changed after the proposal: keep the current or the proposed."""

    fields: dict[str, forms.Field]

    def add_stale_fields(self, item: ProposalItem, stale: dict[str, dict]) -> None:
        model = p.target_model(item)
        self.stale_names = []
        for name, values in stale.items():
            key = f"keep_{name}"
            self.fields[key] = forms.ChoiceField(
                label=p.field_label(model, name),
                choices=_stale_choices(model, name, values),
                widget=forms.RadioSelect,
                required=True,
            )
            self.stale_names.append(name)

    def stale_choices(self) -> dict[str, str]:
        data = self.cleaned_data  # type: ignore[attr-defined]
        return {name: data[f"keep_{name}"] for name in getattr(self, "stale_names", [])}


class VerifyForm(StaleChoiceMixin, forms.Form):
    """The TKSK's form after the visit: made for a phone held in one hand."""

    visited = forms.BooleanField(label=_("Sudah dikunjungi"), required=False, initial=True)
    note = forms.CharField(
        label=_("Catatan kunjungan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = UploadField(
        label=_("Foto kunjungan (tidak wajib)"),
        required=False,
        types=PHOTO_TYPES,
    )
    # Filled by static/pandu/visit_location.js when the verifier presses "Catat lokasi saya";
    # the action checks the values (ranges, both coordinates, the time).
    latitude = forms.CharField(label=_("Lintang"), required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(label=_("Bujur"), required=False, widget=forms.HiddenInput)
    accuracy = forms.CharField(label=_("Akurasi (m)"), required=False, widget=forms.HiddenInput)
    located_at = forms.CharField(
        label=_("Waktu lokasi diambil"), required=False, widget=forms.HiddenInput
    )

    LOCATION_FIELDS = ("latitude", "longitude", "accuracy", "located_at")

    def __init__(self, *args, item: ProposalItem, stale: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.photo_field = self.fields["photo"]
        self.photo_field.widget.attrs["capture"] = "environment"
        self.subjects = p.verification_subjects(item)
        done = item.member_results or {}
        self.member_fields = []
        for i, s in enumerate(self.subjects):
            result_name, note_name = f"r{i}_result", f"r{i}_note"
            self.fields[result_name] = forms.ChoiceField(
                label=s.name,
                choices=MemberResult.choices,
                widget=forms.RadioSelect,
                initial=done.get(s.key, {}).get("result"),
                help_text=s.detail,
            )
            self.fields[note_name] = forms.CharField(
                label=_("Catatan untuk %(name)s") % {"name": s.name},
                required=False,
                max_length=500,
                initial=done.get(s.key, {}).get("note", ""),
            )
            self.member_fields.append((s, self[result_name], self[note_name]))
        if stale:
            self.add_stale_fields(item, stale)
        self.stale_bound = [self[f"keep_{n}"] for n in getattr(self, "stale_names", [])]

    def results(self) -> dict[str, dict[str, str]]:
        return {
            s.key: {
                "result": self.cleaned_data[f"r{i}_result"],
                "note": self.cleaned_data.get(f"r{i}_note", ""),
            }
            for i, s in enumerate(self.subjects)
        }

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
        """The location's fields are hidden: their errors are shown together by the button."""
        return [str(e) for name in self.LOCATION_FIELDS for e in self.errors.get(name, [])]


class PlanVisitForm(forms.Form):
    on = forms.DateField(
        label=_("Rencana kunjungan"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class DecisionForm(StaleChoiceMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("approve", _("Setujui")), ("reject", _("Tolak"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Alasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila ditolak; alasan ini dilihat oleh pengusul."),
    )

    def __init__(self, *args, item: ProposalItem | None = None, stale=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None and stale:
            self.add_stale_fields(item, stale)
        self.stale_bound = [self[f"keep_{n}"] for n in getattr(self, "stale_names", [])]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Tuliskan alasan penolakan."))
        return data


class ResolveForm(StaleChoiceMixin, forms.Form):
    def __init__(self, *args, item: ProposalItem, stale: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_stale_fields(item, stale)
        self.stale_bound = [self[f"keep_{n}"] for n in self.stale_names]


class BulkDecisionForm(forms.Form):
    items = forms.MultipleChoiceField(choices=[], widget=forms.CheckboxSelectMultiple)
    decision = forms.ChoiceField(choices=[("approve", _("Setujui")), ("reject", _("Tolak"))])
    reason = forms.CharField(
        label=_("Alasan (wajib bila ditolak)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, uids: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["items"])
        field.choices = [(u, u) for u in uids]
        field.error_messages["required"] = _("Centang paling sedikit satu usulan.")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Tuliskan alasan penolakan."))
        return data


class HandoverAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Jawaban"),
        choices=[("accept", _("Terima keluarga ini")), ("refuse", _("Tolak"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Catatan/alasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila ditolak."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("note") or "").strip():
            self.add_error("note", _("Tuliskan alasan penolakan."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cari nama, NIK atau nomor KK"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


class ReportForm(forms.Form):
    area = forms.ChoiceField(label=_("Wilayah"), required=False)
    group = forms.ChoiceField(
        label=_("Rinci per"),
        choices=[("village", _("Desa/kelurahan")), ("district", _("Kecamatan"))],
        required=False,
    )
    date_from = _date_field(_("Diajukan sejak"), required=False)
    date_to = _date_field(_("sampai"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = getattr(user, "scope_code", None)
        areas = Area.objects.filter(level__in=[Level.REGENCY, Level.DISTRICT, Level.VILLAGE])
        if scope:
            areas = areas.filter(code__prefix=scope)
        elif scope is None:
            areas = areas.none()
        self.fields["area"].choices = [("", _("Seluruh wilayah saya"))] + [
            (a.code, f"{'· ' * (a.level - 2)}{a.name} ({a.code})")
            for a in areas.order_by("code")[:2000]
        ]

    def clean(self):
        data = super().clean()
        a, b = data.get("date_from"), data.get("date_to")
        if a and b and a > b:
            raise ValidationError(_("Tanggal awal sesudah tanggal akhir."))
        return data
