"""Users: each has one role and one area; everything they see is inside that area. Offices:
the letterhead and signers printed on the papers of an area."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from pandu.regions.models import Area

from .roles import Role, user_can


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.OPERATOR)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah kerja"),
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def can(self, cap: str) -> bool:
        """Whether the user's role holds ``cap`` (see ``accounts/roles.py``)."""
        return user_can(self, cap)

    @property
    def scope_code(self) -> str | None:
        """Code prefix of the user's area; '' means the whole country; None means nothing."""
        if self.is_superuser and self.area_id is None:
            return ""
        return self.area_id

    def in_scope(self, code: str | None) -> bool:
        scope = self.scope_code
        if scope is None or code is None:
            return False
        return code.startswith(scope)


class DocumentKind(models.TextChoices):
    """The printed papers that carry a signature; each may name its own signer."""

    DEFAULT = "default", _("Semua dokumen (bawaan)")
    RECEIPT = "receipt", _("Tanda terima")
    REFERRAL = "referral", _("Surat rujukan")
    PROFILE = "profile", _("Profil keluarga dan perorangan")
    CASE = "case", _("Ringkasan kasus")
    DECISION = "decision", _("Daftar penetapan usulan")
    REPORT = "report", _("Laporan dasbor layanan")


def _logo_path(instance: "Office", filename: str) -> str:
    return f"offices/{instance.uid}/logo"


class Office(models.Model):
    """Kop surat: the office (a regency's Dinas Sosial) whose letterhead is printed on the papers
    of its area; the nearest office above a record's village is the one used."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.OneToOneField(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    government = models.CharField(
        _("pemerintah"),
        max_length=150,
        blank=True,
        help_text=_("Baris pertama kop, misalnya “Pemerintah Kabupaten Maros”."),
    )
    name = models.CharField(_("nama kantor"), max_length=150)
    address = models.TextField(_("alamat"), max_length=500)
    phone = models.CharField(_("telepon"), max_length=50, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    website = models.CharField(_("situs web"), max_length=100, blank=True)
    place = models.CharField(
        _("tempat penandatanganan"),
        max_length=100,
        blank=True,
        help_text=_("Kota yang ditulis sebelum tanggal surat; kosong: nama wilayah kantor."),
    )
    logo = models.FileField(_("logo"), upload_to=_logo_path, blank=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    updated_by = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("kop surat kantor")
        verbose_name_plural = _("kop surat kantor")

    def __str__(self) -> str:
        return self.name


class Signer(models.Model):
    """Who signs one kind of paper for an office: name, position and NIP as printed."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="signers")
    document = models.CharField(_("jenis dokumen"), max_length=20, choices=DocumentKind.choices)
    name = models.CharField(_("nama"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=150)
    rank = models.CharField(_("pangkat/golongan"), max_length=100, blank=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("penanda tangan")
        verbose_name_plural = _("penanda tangan")
        constraints = [
            models.UniqueConstraint(fields=["office", "document"], name="one_signer_per_document")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"
