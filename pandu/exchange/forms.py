"""Forms of the import pages: the upload, and matching the file's columns to the layout."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.core.uploads import UploadValidator

from .layout import FIELDS
from .models import ColumnMapping, ImportBatch
from .queries import mappings_for

#: What an import accepts, checked by content (pandu.core.uploads) before the file is kept.
IMPORT_UPLOAD = UploadValidator(
    kinds=("csv", "xlsx", "xls", "ods"), max_bytes="PANDU_IMPORT_MAX_BYTES"
)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV atau Excel (.xlsx)"),
        help_text=_(
            "Satu baris per orang, baris pertama berisi judul kolom. CSV boleh dipisah koma, "
            "titik koma, tab atau garis tegak; UTF-8 atau Windows-1252."
        ),
        validators=[IMPORT_UPLOAD],
        widget=forms.ClearableFileInput(attrs={"accept": IMPORT_UPLOAD.accept()}),
    )
    mapping: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Pemetaan kolom tersimpan"),
        queryset=ColumnMapping.objects.none(),
        required=False,
        empty_label=_("— kenali otomatis dari judul kolom —"),
    )
    sheet = forms.CharField(
        label=_("Nama lembar (sheet)"),
        required=False,
        max_length=100,
        help_text=_("Kosongkan untuk memakai lembar pertama."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = mappings_for(user)  # type: ignore[attr-defined]


class MappingForm(forms.Form):
    """One choice per layout field: which column of the file holds it."""

    save_as = forms.CharField(
        label=_("Simpan pemetaan ini dengan nama"),
        required=False,
        max_length=100,
        help_text=_("Isi bila berkas berikutnya memakai judul kolom yang sama."),
    )

    def __init__(self, *args, batch: ImportBatch, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [("", _("— tidak ada —"))] + [
            (str(i), f"{h or '—'} ({_letter(i)})") for i, h in enumerate(batch.headers)
        ]
        self.layout_fields = []
        for f in FIELDS:
            current = batch.mapping.get(f.name)
            self.fields[f"col_{f.name}"] = forms.ChoiceField(
                label=str(f.label),
                choices=columns,
                required=f.required,
                initial="" if current is None else str(current),
            )
            self.layout_fields.append((f, self[f"col_{f.name}"]))
        # Show the save field last.
        self.order_fields([f"col_{f.name}" for f in FIELDS] + ["save_as"])

    def mapping(self) -> dict[str, int]:
        result = {}
        for f in FIELDS:
            value = self.cleaned_data.get(f"col_{f.name}")
            if value not in (None, ""):
                result[f.name] = int(value)
        return result


def _letter(index: int) -> str:
    from .rows import column_letter

    return column_letter(index)
