"""Coded answers of the empowerment records."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

#: What the aid was used for: the visit's boolean field and its label, in the form's order.
USES = (
    ("use_food", _("Pangan")),
    ("use_school", _("Sekolah anak")),
    ("use_health", _("Kesehatan")),
    ("use_business", _("Modal usaha")),
    ("use_debt", _("Membayar utang")),
    ("use_other", _("Lainnya")),
)

#: The problems a visit asks about: the boolean field, its note and its label.
PROBLEMS = (
    ("problem_programme", "problem_programme_note", _("Masalah dengan program")),
    ("problem_card", "problem_card_note", _("Masalah kartu KKS")),
    ("problem_pin", "problem_pin_note", _("Masalah PIN")),
    ("problem_ewarong", "problem_ewarong_note", _("Masalah e-warong")),
)
#: What a ticked problem without its note is told.
EXPLAIN = {
    "problem_programme": _("Jelaskan masalah dengan program."),
    "problem_card": _("Jelaskan masalah kartu KKS."),
    "problem_pin": _("Jelaskan masalah PIN."),
    "problem_ewarong": _("Jelaskan masalah e-warong."),
}


class CriterionKind(models.TextChoices):
    DESIL_ABOVE = "desil_di_atas", _("Desil keluarga di atas N")
    INCOME_ABOVE = "pendapatan_di_atas", _("Pendapatan per bulan di atas (Rp)")
    BUSINESS_MONTHS = "usaha_berjalan", _("Usaha berjalan paling sedikit N bulan")
    SELF_DECLARED = "mandiri", _("Keluarga menyatakan diri mampu (graduasi mandiri)")


class PlanStatus(models.TextChoices):
    ACTIVE = "berjalan", _("Berjalan")
    GRADUATED = "lulus", _("Lulus (graduasi)")
    CANCELLED = "batal", _("Dibatalkan")


class Pathway(models.TextChoices):
    """Where a graduated family goes on: a KUBE group, a UEP grant, or on its own."""

    KUBE = "kube", _("Bergabung dengan kelompok KUBE")
    UEP = "uep", _("Menerima hibah UEP")
    INDEPENDENT = "mandiri", _("Mandiri tanpa bantuan usaha")


class Condition(models.TextChoices):
    """How a graduated family fares at a follow-up visit."""

    INDEPENDENT = "mandiri", _("Tetap mandiri")
    NEEDS_SUPPORT = "perlu_dukungan", _("Perlu dukungan")
    FELL_BACK = "kembali_rentan", _("Kembali rentan / miskin")


class FollowUpState(models.TextChoices):
    OVERDUE = "terlambat", _("Terlambat")
    DUE = "jatuh_tempo", _("Jatuh tempo")
    LATER = "akan_datang", _("Akan datang")
    DONE = "selesai", _("Selesai")


class GroupStatus(models.TextChoices):
    ACTIVE = "aktif", _("Aktif")
    DISSOLVED = "bubar", _("Bubar")


class MemberRole(models.TextChoices):
    CHAIR = "ketua", _("Ketua")
    SECRETARY = "sekretaris", _("Sekretaris")
    TREASURER = "bendahara", _("Bendahara")
    MEMBER = "anggota", _("Anggota")
