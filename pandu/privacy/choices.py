"""Coded answers of the personal-data records: purposes of consent, kinds and steps of a data
subject's request, kinds of record under a retention rule, breach categories and notices."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    REGISTRATION = "registration", _("Pendaftaran ke registri kesejahteraan sosial")
    PROGRAMME = "programme", _("Berbagi data dengan program bantuan/layanan")
    AGENCY = "agency", _("Berbagi data dengan instansi/lembaga lain")


class GivenBy(models.TextChoices):
    # The same values as a referral's consent (services.choices.ConsentBy).
    SELF = "self", _("Yang bersangkutan")
    GUARDIAN = "guardian", _("Orang tua/wali")


class Method(models.TextChoices):
    # The same values as a referral's consent (services.choices.ConsentMethod).
    SIGNED = "signed", _("Formulir bertanda tangan (diunggah)")
    THUMBPRINT = "thumbprint", _("Cap jempol pada formulir (diunggah)")
    VERBAL = "verbal", _("Lisan, disaksikan")


#: Methods whose proof is the uploaded form.
WITH_FORM = (Method.SIGNED, Method.THUMBPRINT)


class ConsentState(models.TextChoices):
    ACTIVE = "active", _("Berlaku")
    WITHDRAWN = "withdrawn", _("Dicabut")
    EXPIRED = "expired", _("Berakhir")
    NOT_YET = "not_yet", _("Belum berlaku")


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Akses dan salinan data")
    CORRECTION = "correction", _("Perbaikan data")
    ERASURE = "erasure", _("Penghapusan data")
    RESTRICTION = "restriction", _("Pembatasan pemrosesan")
    OBJECTION = "objection", _("Keberatan atas keputusan otomatis (penetapan sasaran)")


#: Kinds whose outcome a second person approves.
NEEDS_APPROVAL = (RequestKind.ERASURE, RequestKind.RESTRICTION)


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    ACKNOWLEDGED = "acknowledged", _("Tanda terima dikirim")
    IN_PROGRESS = "in_progress", _("Diproses")
    AWAITING_APPROVAL = "awaiting_approval", _("Menunggu persetujuan")
    COMPLETED = "completed", _("Selesai")
    REFUSED = "refused", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Dibatalkan pemohon")


OPEN_REQUEST = (
    RequestStatus.RECEIVED,
    RequestStatus.ACKNOWLEDGED,
    RequestStatus.IN_PROGRESS,
    RequestStatus.AWAITING_APPROVAL,
)
CLOSED_REQUEST = (RequestStatus.COMPLETED, RequestStatus.REFUSED, RequestStatus.WITHDRAWN)


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Datang langsung")
    LETTER = "letter", _("Surat")
    EMAIL = "email", _("Surel")
    PHONE = "phone", _("Telepon/WhatsApp")


class Requester(models.TextChoices):
    SELF = "self", _("Yang bersangkutan")
    GUARDIAN = "guardian", _("Orang tua/wali")
    REPRESENTATIVE = "representative", _("Kuasa (dengan surat kuasa)")


class IdentityMethod(models.TextChoices):
    KTP = "ktp", _("KTP-el ditunjukkan dan dicocokkan")
    KK = "kk", _("Kartu Keluarga ditunjukkan dan dicocokkan")
    POWER = "power", _("Surat kuasa dan KTP-el penerima kuasa")
    GUARDIAN = "guardian", _("Dokumen wali (KK/akta) dan KTP-el wali")
    OTHER = "other", _("Cara lain (jelaskan)")


class Outcome(models.TextChoices):
    ERASE = "erase", _("Anonimkan data (penghapusan)")
    RESTRICT = "restrict", _("Batasi pemrosesan")
    REFUSE = "refuse", _("Tolak permintaan")


class RecordKind(models.TextChoices):
    """Kinds of record a retention rule sets a period for, each found and anonymised by
    the privacy app (``retention.py``)."""

    PERSON_INACTIVE = "person_inactive", _("Penduduk yang pindah, meninggal atau data ganda")
    INTAKE_CLOSED = "intake_closed", _("Pengaduan/permohonan layanan yang sudah selesai")
    CONSENT_ENDED = "consent_ended", _("Persetujuan yang sudah dicabut atau berakhir")
    REQUEST_CLOSED = "request_closed", _("Permintaan subjek data yang sudah selesai")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu keputusan")
    KEPT = "kept", _("Tetap disimpan")
    ANONYMISED = "anonymised", _("Dianonimkan")


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Sedang ditangani")
    CONTAINED = "contained", _("Sudah dikendalikan")
    CLOSED = "closed", _("Selesai")


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("Identitas (NIK, nama, tanggal lahir)")
    CONTACT = "contact", _("Alamat dan kontak")
    FAMILY = "family", _("Susunan keluarga")
    HEALTH = "health", _("Kesehatan dan disabilitas")
    CHILDREN = "children", _("Data anak")
    FINANCIAL = "financial", _("Keuangan (rekening, bantuan yang diterima)")
    CRIMINAL = "criminal", _("Catatan kejahatan")
    SENSITIVE_PPKS = (
        "sensitive_ppks",
        _("Kategori PPKS sensitif (kekerasan, perdagangan orang, ...)"),
    )
    PHOTOS = "photos", _("Foto dan dokumen pindaian")
    OTHER = "other", _("Lainnya")


#: Specific personal data under UU 27/2022 (health, children, finance, criminal records, ...).
SPECIFIC = frozenset(
    {
        DataCategory.HEALTH,
        DataCategory.CHILDREN,
        DataCategory.FINANCIAL,
        DataCategory.CRIMINAL,
        DataCategory.SENSITIVE_PPKS,
    }
)


class NoticeRecipient(models.TextChoices):
    SUBJECTS = "subjects", _("Subjek data yang terdampak")
    AUTHORITY = "authority", _("Lembaga pelindungan data pribadi")
    OTHER = "other", _("Pihak lain (kepolisian, kementerian, ...)")


class NoticeMethod(models.TextChoices):
    LETTER = "letter", _("Surat tertulis")
    EMAIL = "email", _("Surel")
    MESSAGE = "message", _("Pesan (SMS/WhatsApp)")
    IN_PERSON = "in_person", _("Disampaikan langsung")
    ANNOUNCEMENT = "announcement", _("Pengumuman umum")
    PORTAL = "portal", _("Laman/portal lembaga")


# Fields of a person a data subject may ask to correct through a request. The identity facts
# are proven by the documents shown at the desk and applied at once through the registry's
# action; the welfare facts change a family's targeting and go through the village's proposal
# and its field verification (``PANDU_PRIVACY_VERIFIED_FIELDS``). Anything else is written in
# the request's description.
DIRECT_FIELDS = ("full_name", "birth_place", "birth_date", "sex", "phone")
VERIFIED_FIELDS = (
    "marital_status",
    "education",
    "work_status",
    "disability_type",
    "chronic_illness",
)
CORRECTABLE = DIRECT_FIELDS + VERIFIED_FIELDS
DATE_FIELDS = frozenset({"birth_date"})
TEXT_FIELDS = frozenset({"full_name", "birth_place", "sex", "phone"})
