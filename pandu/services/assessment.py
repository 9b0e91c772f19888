"""The assessment questions asked per need area (asesmen kebutuhan).

Each question is ``(name, label, kind, choices, required_for_final)``; answers are stored as JSON on
``Assessment.data``. A draft may be incomplete; a final assessment needs every required answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import NeedArea

YES_NO = [("", "—"), ("yes", _("Ya")), ("no", _("Tidak"))]
LEVEL = [("", "—"), ("low", _("Rendah")), ("medium", _("Sedang")), ("high", _("Tinggi"))]


@dataclass(frozen=True)
class Question:
    name: str
    label: Any
    kind: str = "text"  # text | line | choice | multi | number
    choices: list = field(default_factory=list)
    required: bool = True


COMMON = [
    Question("situation", _("Gambaran situasi saat ini")),
    Question("strengths", _("Kekuatan dan sumber daya keluarga/lingkungan"), required=False),
]

QUESTIONS: dict[str, list[Question]] = {
    NeedArea.REHABILITATION: [
        Question(
            "daily_living",
            _("Kemampuan aktivitas sehari-hari"),
            "choice",
            [
                ("", "—"),
                ("independent", _("Mandiri")),
                ("partial", _("Perlu bantuan sebagian")),
                ("full", _("Perlu bantuan penuh")),
            ],
        ),
        Question("caregiver", _("Pengasuh/pendamping"), "line", required=False),
        Question("aids_needed", _("Alat bantu atau layanan rehabilitasi yang dibutuhkan")),
    ],
    NeedArea.PROTECTION: [
        Question("risk", _("Risiko yang dihadapi"), "choice", LEVEL),
        Question("income_loss", _("Kehilangan penghasilan/penyebab kerentanan")),
        Question("jkn", _("Memiliki jaminan kesehatan (KIS/JKN)"), "choice", YES_NO),
    ],
    NeedArea.EMPOWERMENT: [
        Question("income", _("Penghasilan keluarga per bulan (Rp)"), "number"),
        Question("skills", _("Keterampilan yang dimiliki"), required=False),
        Question("business", _("Rencana/usaha yang ingin dikembangkan"), required=False),
        Question("group", _("Anggota kelompok usaha (KUBE) atau koperasi"), "choice", YES_NO),
    ],
    NeedArea.CHILD_PROTECTION: [
        Question("safety", _("Tingkat bahaya bagi anak saat ini"), "choice", LEVEL),
        Question("caregiver", _("Pengasuh anak saat ini"), "line"),
        Question("school", _("Status sekolah anak"), "line", required=False),
        Question("safety_plan", _("Rencana keselamatan segera")),
    ],
    NeedArea.CIVIL_DOCUMENTS: [
        Question(
            "missing",
            _("Dokumen yang belum dimiliki"),
            "multi",
            [
                ("ktp", _("KTP-el")),
                ("kk", _("Kartu Keluarga")),
                ("birth", _("Akta kelahiran")),
                ("marriage", _("Akta/buku nikah")),
                ("death", _("Akta kematian")),
            ],
        ),
        Question("obstacle", _("Kendala mengurus dokumen")),
    ],
    NeedArea.HEALTH: [
        Question("complaint", _("Keluhan kesehatan")),
        Question("jkn", _("Peserta JKN/KIS aktif"), "choice", YES_NO),
        Question("facility", _("Fasilitas kesehatan terdekat"), "line", required=False),
    ],
    NeedArea.EDUCATION: [
        Question("level", _("Jenjang sekolah"), "line"),
        Question(
            "status",
            _("Status"),
            "choice",
            [
                ("", "—"),
                ("in_school", _("Masih sekolah")),
                ("at_risk", _("Berisiko putus sekolah")),
                ("dropped_out", _("Putus sekolah")),
                ("never", _("Belum pernah sekolah")),
            ],
        ),
        Question("barrier", _("Hambatan")),
    ],
    NeedArea.HOUSING: [
        Question(
            "condition",
            _("Kondisi rumah"),
            "choice",
            [
                ("", "—"),
                ("fit", _("Layak huni")),
                ("rtlh", _("Tidak layak huni (RTLH)")),
                ("none", _("Tidak memiliki tempat tinggal")),
            ],
        ),
        Question("ownership", _("Status kepemilikan lahan/rumah"), "line"),
        Question("needs", _("Perbaikan yang dibutuhkan"), required=False),
    ],
}


def questions_for(area: str) -> list[Question]:
    return COMMON + QUESTIONS.get(area, [])


def missing_answers(area: str, data: dict) -> list[str]:
    """Labels of the required questions without an answer (for a final assessment)."""
    return [
        str(q.label)
        for q in questions_for(area)
        if q.required and data.get(q.name) in (None, "", [])
    ]


def clean_answers(area: str, data: dict) -> dict:
    """Only the questions of this need area, with values of the expected shape."""
    clean: dict = {}
    for q in questions_for(area):
        value = data.get(q.name)
        if value in (None, "", []):
            continue
        if q.kind == "multi":
            allowed = {k for k, _label in q.choices}
            clean[q.name] = [v for v in value if v in allowed]
        elif q.kind == "choice":
            if value in {k for k, _label in q.choices if k}:
                clean[q.name] = value
        elif q.kind == "number":
            clean[q.name] = int(value)
        else:
            clean[q.name] = str(value).strip()
    return clean


def assessment_form_class(area: str) -> type[forms.Form]:
    """A form with the need area's questions; nothing is required (drafts are allowed)."""
    fields: dict[str, forms.Field] = {}
    for q in questions_for(area):
        if q.kind == "choice":
            fields[q.name] = forms.ChoiceField(label=q.label, choices=q.choices, required=False)
        elif q.kind == "multi":
            fields[q.name] = forms.MultipleChoiceField(
                label=q.label,
                choices=q.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        elif q.kind == "number":
            fields[q.name] = forms.IntegerField(label=q.label, required=False, min_value=0)
        elif q.kind == "line":
            fields[q.name] = forms.CharField(label=q.label, required=False, max_length=300)
        else:
            fields[q.name] = forms.CharField(
                label=q.label, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
    fields["final"] = forms.BooleanField(
        label=_("Asesmen sudah lengkap (final)"),
        required=False,
        help_text=_("Biarkan kosong untuk menyimpan sebagai draf."),
    )
    return type(f"Assessment_{area}", (forms.Form,), fields)


def answers_for_display(area: str, data: dict) -> list[tuple[str, str]]:
    rows = []
    for q in questions_for(area):
        value = data.get(q.name)
        if value in (None, "", []):
            continue
        if q.kind in ("choice", "multi"):
            labels = dict(q.choices)
            values = value if isinstance(value, list) else [value]
            shown = ", ".join(str(labels.get(v, v)) for v in values)
        else:
            shown = str(value)
        rows.append((str(q.label), shown))
    return rows
