"""Forms of the review queue: decisions always carry a reason."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .pipeline import DEFAULT_THRESHOLD


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Alasan"))
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)


class MergeForm(forms.Form):
    survivor = forms.ChoiceField(
        label=_("Data yang dipertahankan"),
        choices=[("a", _("Data kiri")), ("b", _("Data kanan"))],
        widget=forms.RadioSelect,
    )
    reason = ReasonField(help_text=_("Contoh: sama menurut KK asli dan keterangan kepala desa."))


class DismissForm(forms.Form):
    reason = ReasonField(help_text=_("Contoh: kakak-adik kembar, orang tua berbeda."))


class UndoForm(forms.Form):
    reason = ReasonField()


class RunForm(forms.Form):
    area = forms.CharField(
        label=_("Kode wilayah"),
        required=False,
        max_length=13,
        help_text=_("Kosongkan untuk seluruh wilayah kerja Anda."),
    )
    threshold = forms.FloatField(
        label=_("Ambang probabilitas"), min_value=0.05, max_value=0.999, initial=DEFAULT_THRESHOLD
    )
    train = forms.BooleanField(
        label=_("Latih ulang model pada data ini"), required=False, initial=False
    )
