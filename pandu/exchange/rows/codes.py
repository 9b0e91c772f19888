"""Words a file may use for a coded answer, and the code each one stands for."""

from __future__ import annotations

from django.utils import translation

from pandu.registry import choices as c

from ..layout import normalise_header

RELATIONSHIP_WORDS = {
    "kepala keluarga": 1, "kepala": 1, "kepala rumah tangga": 1, "krt": 1, "kk": 1,
    "istri": 2, "isteri": 2, "suami": 2, "istri suami": 2, "suami istri": 2, "pasangan": 2,
    "anak": 3, "anak kandung": 3, "anak tiri": 3, "anak angkat": 3,
    "menantu": 4, "cucu": 5,
    "orang tua": 6, "orangtua": 6, "mertua": 6, "orang tua mertua": 6, "ayah": 6, "ibu": 6,
    "famili lain": 8, "pembantu": 7, "pembantu rumah tangga": 7, "art": 7, "lainnya": 8,
    "lain lain": 8, "lain": 8, "famili": 8,
}  # fmt: skip
MARITAL_WORDS = {
    "belum kawin": 1, "belum menikah": 1, "lajang": 1, "tidak kawin": 1,
    "kawin": 2, "menikah": 2, "nikah": 2, "kawin tercatat": 2, "kawin belum tercatat": 2,
    "kawin nikah": 2, "cerai hidup": 3, "cerai": 3, "cerai mati": 4,
}  # fmt: skip
SEX_WORDS = {
    "l": "L", "lk": "L", "laki laki": "L", "laki": "L", "pria": "L", "lelaki": "L",
    "p": "P", "pr": "P", "perempuan": "P", "wanita": "P",
}  # fmt: skip
TRUE_WORDS = {"1", "ya", "y", "iya", "true", "benar", "ada", "yes"}
FALSE_WORDS = {"0", "tidak", "t", "tdk", "n", "no", "false", "salah", "bukan", "tidak ada"}


def _code_table(choices_name: str, extra: dict[str, int] | None = None) -> dict[str, int]:
    choices = getattr(c, choices_name)
    table: dict[str, int] = {}
    for value, label in choices.choices:
        table[str(value)] = value
        table[normalise_header(str(label))] = value
    with translation.override("id"):  # the labels an XLSX export writes, whatever the language
        for value, label in choices.choices:
            table.setdefault(normalise_header(str(label)), value)
    for word, value in (extra or {}).items():
        table[normalise_header(word)] = value
    return table


def _int_text(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    if text.endswith(".0") and text[:-2].isdigit():
        return int(text[:-2])
    return None
