"""Coded answers of the one-stop service: codes are stored, labels translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PointKind(models.TextChoices):
    SLRT = "slrt", _("Sekretariat SLRT (Dinas Sosial kabupaten/kota)")
    PUSKESOS = "puskesos", _("Puskesos (kecamatan/desa)")


class StaffRole(models.TextChoices):
    MANAGER = "manager", _("Manajer")
    FRONT_OFFICE = "front_office", _("Petugas front office")
    BACK_OFFICE = "back_office", _("Petugas back office")
    SUPERVISOR = "supervisor", _("Supervisor")
    FACILITATOR = "facilitator", _("Fasilitator desa")
    TKSK = "tksk", _("TKSK")
    SOCIAL_WORKER = "social_worker", _("Pekerja sosial")


class AgencyKind(models.TextChoices):
    HEALTH = "health", _("Dinas Kesehatan")
    EDUCATION = "education", _("Dinas Pendidikan")
    CIVIL_REGISTRY = "dukcapil", _("Dinas Kependudukan dan Pencatatan Sipil")
    HOUSING = "housing", _("Dinas Perumahan dan Kawasan Permukiman")
    COOPERATIVES = "cooperatives", _("Dinas Koperasi dan UKM")
    POLICE = "police", _("Kepolisian (Polres)")
    FAMILY_PLANNING = "bkkbn", _("BKKBN / Dinas Pengendalian Penduduk dan KB")
    BPJS = "bpjs", _("BPJS Kesehatan / BPJS Ketenagakerjaan")
    LKS = "lks", _("Lembaga Kesejahteraan Sosial (LKS)")
    WOMEN_CHILDREN = "p3a", _("Dinas Pemberdayaan Perempuan dan Perlindungan Anak / UPTD PPA")
    MANPOWER = "manpower", _("Dinas Tenaga Kerja")
    RELIGIOUS = "religious", _("Kantor Kementerian Agama / BAZNAS")
    OTHER = "other", _("Lainnya")


class NeedArea(models.TextChoices):
    REHABILITATION = "rehabilitation", _("Rehabilitasi sosial")
    PROTECTION = "protection", _("Perlindungan dan jaminan sosial")
    EMPOWERMENT = "empowerment", _("Pemberdayaan sosial dan penanganan kemiskinan")
    CHILD_PROTECTION = "child_protection", _("Perlindungan anak")
    CIVIL_DOCUMENTS = "civil_documents", _("Dokumen kependudukan")
    HEALTH = "health", _("Kesehatan")
    EDUCATION = "education", _("Pendidikan")
    HOUSING = "housing", _("Perumahan")


# Need areas that are need-to-know by themselves (besides sensitive PPKS and the flag).
SENSITIVE_NEEDS = frozenset({NeedArea.CHILD_PROTECTION})
# Assessments of these areas hold health or violence details: read only by the people of the case
# (the assigned worker, the worker's supervisors, the administrator), whoever else sees the case.
PRIVATE_ASSESSMENTS = frozenset({NeedArea.HEALTH, NeedArea.CHILD_PROTECTION})


class IntakeKind(models.TextChoices):
    COMPLAINT = "keluhan", _("Keluhan")
    GRIEVANCE = "pengaduan", _("Pengaduan")
    REQUEST = "permohonan", _("Permohonan")


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Datang langsung")
    PHONE = "phone", _("Telepon")
    OUTREACH = "outreach", _("Kunjungan lapangan")
    LETTER = "letter", _("Surat")
    ONLINE = "online", _("Formulir daring")


class Urgency(models.TextChoices):
    """How soon an intake needs handling; most are ``NORMAL``, which reads as normal."""

    LOW = "low", _("Rendah")
    NORMAL = "normal", _("Biasa")
    HIGH = "high", _("Perlu segera")
    EMERGENCY = "emergency", _("Darurat")


# The order a case list sorts in: the most urgent first (a small number, stored on the case as
# ``urgency_rank`` so lists sort on an indexed integer instead of a CASE over the intake).
URGENCY_RANK: dict[str, int] = {
    Urgency.EMERGENCY: 0,
    Urgency.HIGH: 1,
    Urgency.NORMAL: 2,
    Urgency.LOW: 3,
}


class SensitiveTopic(models.TextChoices):
    NONE = "", _("Tidak ada")
    CHILD = "child", _("Perlindungan anak")
    VIOLENCE = "violence", _("Kekerasan (termasuk KDRT dan kekerasan seksual)")
    TRAFFICKING = "trafficking", _("Perdagangan orang")
    OTHER = "other", _("Lainnya yang perlu dirahasiakan")


class IntakeStatus(models.TextChoices):
    NEW = "new", _("Diterima")
    IN_CASE = "in_case", _("Ditangani")
    CLOSED = "closed", _("Selesai")


class QueueStatus(models.TextChoices):
    WAITING = "waiting", _("Menunggu")
    CALLED = "called", _("Dipanggil")
    SERVED = "served", _("Sudah dilayani")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Dalam penanganan")
    CLOSURE_REQUESTED = "closure_requested", _("Menunggu persetujuan penutupan")
    CLOSED = "closed", _("Ditutup")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Menunggu persetujuan supervisor")
    APPROVED = "approved", _("Disetujui")
    RETURNED = "returned", _("Dikembalikan untuk diperbaiki")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Kebutuhan terpenuhi")
    PARTIAL = "partial", _("Sebagian terpenuhi")
    REFERRED_OUT = "referred_out", _("Ditangani lembaga lain")
    NOT_REACHABLE = "not_reachable", _("Tidak dapat dihubungi")
    REFUSED = "refused", _("Menolak layanan")
    MOVED = "moved", _("Pindah domisili")
    DECEASED = "deceased", _("Meninggal dunia")


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SENT = "sent", _("Terkirim")
    RECEIVED = "received", _("Diterima mitra")
    ACCEPTED = "accepted", _("Disetujui mitra")
    DECLINED = "declined", _("Ditolak mitra")
    IN_SERVICE = "in_service", _("Sedang dilayani")
    COMPLETED = "completed", _("Selesai")
    RETURNED = "returned", _("Dikembalikan")
    WITHDRAWN = "withdrawn", _("Ditarik")


# Referrals still waiting on someone: a case cannot close while one of these exists.
OPEN_REFERRAL = frozenset(
    {
        ReferralStatus.DRAFT,
        ReferralStatus.SENT,
        ReferralStatus.RECEIVED,
        ReferralStatus.ACCEPTED,
        ReferralStatus.IN_SERVICE,
    }
)
AWAITING_RESPONSE = frozenset({ReferralStatus.SENT, ReferralStatus.RECEIVED})
IN_PROGRESS = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE})


class ConsentBy(models.TextChoices):
    SELF = "self", _("Yang bersangkutan")
    GUARDIAN = "guardian", _("Orang tua/wali")


class ConsentMethod(models.TextChoices):
    SIGNED = "signed", _("Formulir bertanda tangan")
    THUMBPRINT = "thumbprint", _("Cap jempol")
    VERBAL = "verbal", _("Lisan, disaksikan petugas")


class AgreementStatus(models.TextChoices):
    PENDING = "pending", _("Belum berlaku")
    ACTIVE = "active", _("Berlaku")
    TERMINATING = "terminating", _("Akan diakhiri")
    TERMINATED = "terminated", _("Diakhiri lebih awal")
    EXPIRED = "expired", _("Berakhir")


class EventKind(models.TextChoices):
    INTAKE = "intake", _("Pengaduan/permohonan diterima")
    OPENED = "opened", _("Kasus dibuka")
    ASSIGNED = "assigned", _("Penanganan ditugaskan")
    ASSESSMENT = "assessment", _("Asesmen disimpan")
    PLAN = "plan", _("Rencana diubah")
    PLAN_SUBMITTED = "plan_submitted", _("Rencana diajukan")
    PLAN_APPROVED = "plan_approved", _("Rencana disetujui")
    PLAN_RETURNED = "plan_returned", _("Rencana dikembalikan")
    NOTE = "note", _("Catatan kasus")
    TASK = "task", _("Tindak lanjut")
    COUNSELLING = "counselling", _("Sesi konsultasi keluarga (K3)")
    REFERRAL = "referral", _("Rujukan")
    CLOSURE_REQUESTED = "closure_requested", _("Penutupan diajukan")
    CLOSURE_REJECTED = "closure_rejected", _("Penutupan ditolak")
    CLOSED = "closed", _("Kasus ditutup")
    REOPENED = "reopened", _("Kasus dibuka kembali")
