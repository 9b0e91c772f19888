"""The rule builder (one row per condition), the PMT model file, a run and an appeal."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules

OP_LABELS = {
    "eq": _("sama dengan"),
    "ne": _("tidak sama dengan"),
    "lt": _("kurang dari"),
    "lte": _("paling banyak"),
    "gt": _("lebih dari"),
    "gte": _("paling sedikit"),
    "in": _("salah satu dari"),
    "not_in": _("bukan salah satu dari"),
    "between": _("antara (dari, sampai)"),
}


def field_choices():
    return [(name, f"{spec.label} ({name})") for name, spec in sorted(rules.fields().items())]


class ConditionForm(forms.Form):
    """One row of the builder: field, operator, value (lists and ranges comma-separated)."""

    field = forms.ChoiceField(label=_("Kolom"), choices=field_choices)
    op = forms.ChoiceField(label=_("Operator"), choices=list(OP_LABELS.items()))
    value = forms.CharField(
        label=_("Nilai"),
        max_length=300,
        help_text=_("Daftar dan rentang dipisah koma, mis. 1,4; ya/tidak untuk pilihan ya-tidak."),
    )

    def condition(self) -> dict:
        """The row as a condition of the JSON rule (the value read as the field needs)."""
        spec = rules.fields()[self.cleaned_data["field"]]
        op = self.cleaned_data["op"]
        raw = self.cleaned_data["value"].strip()
        parts = [p.strip() for p in raw.split(",")] if op in ("in", "not_in", "between") else [raw]
        values = [_read(spec, p) for p in parts if p != ""]
        value = values if op in ("in", "not_in", "between") else (values[0] if values else "")
        return {"field": spec.name, "op": op, "value": value}


def _read(spec: rules.Field, text: str):
    if spec.kind == "bool":
        low = text.lower()
        if low in ("ya", "true", "1", "yes"):
            return True
        if low in ("tidak", "false", "0", "no"):
            return False
        return text
    if spec.kind in ("int", "age", "ppks") or (
        spec.kind == "choice" and all(isinstance(c, int) for c in spec.choices)
    ):
        try:
            return int(text)
        except ValueError:
            return text
    return text


ConditionFormSet = forms.formset_factory(ConditionForm, extra=0, min_num=1, validate_min=True)


class RuleSetForm(forms.Form):
    name = forms.CharField(label=_("Nama aturan"), max_length=120)
    combine = forms.ChoiceField(
        label=_("Gabungkan kondisi"),
        choices=[("all", _("semua harus terpenuhi")), ("any", _("salah satu cukup"))],
    )
    note = forms.CharField(label=_("Catatan perubahan"), max_length=300, required=False)
    rules_json = forms.CharField(
        label=_("Atau tulis aturan sebagai JSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "font-monospace"}),
        help_text=_("Jika diisi, baris kondisi di atas diabaikan (lihat docs/targeting.md)."),
    )

    def clean_rules_json(self):
        text = self.cleaned_data["rules_json"].strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            raise forms.ValidationError(
                _("Bukan JSON yang sah (baris %(line)d, kolom %(col)d).")
                % {"line": e.lineno, "col": e.colno}
            ) from None


class PMTForm(forms.Form):
    spec = forms.CharField(
        label=_("Berkas model PMT (JSON)"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace"}),
    )

    def clean_spec(self):
        try:
            return json.loads(self.cleaned_data["spec"])
        except json.JSONDecodeError as e:
            raise forms.ValidationError(
                _("Bukan JSON yang sah (baris %(line)d, kolom %(col)d).")
                % {"line": e.lineno, "col": e.colno}
            ) from None


class RunForm(forms.Form):
    programme: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Program"), queryset=None)
    area = forms.CharField(
        label=_("Kode wilayah"), max_length=13, help_text=_("Mis. 73.09.13 (kecamatan)")
    )
    ruleset: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Aturan kelayakan"), queryset=None
    )
    pmt_model: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Model PMT"), queryset=None, required=False, empty_label=_("(tanpa PMT)")
    )
    amount = forms.IntegerField(
        label=_("Nilai bantuan per keluarga per tahun (Rp)"),
        min_value=0,
        required=False,
        help_text=_("Kosongkan untuk memakai nilai program yang berlaku."),
    )
    as_of = forms.DateField(
        label=_("Tanggal acuan umur"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, user, **kwargs):
        from pandu.programs.models import Programme

        from .models import PMTModel, RuleSet

        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.visible_to(user)
        self.fields["ruleset"].queryset = RuleSet.objects.visible_to(user)
        self.fields["pmt_model"].queryset = PMTModel.objects.visible_to(user)
        if user.scope_code:
            self.fields["area"].initial = user.scope_code


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan keberatan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
