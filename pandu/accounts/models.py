"""Users: each has one role and one area; everything they see is inside that area. Their
changes (UserChange), API tokens (ApiToken, kept as a hash). Offices: the letterhead and signers
printed on the papers of an area."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pandu.regions.models import Area

from .roles import Role, user_can


class User(AbstractUser):
    uid = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.OPERATOR)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah kerja"),
    )
    #: Set when an administrator gave a one-time password: every page asks for a new one first.
    must_change_password = models.BooleanField(_("wajib ganti kata sandi"), default=False)
    #: Whether the user has a confirmed authenticator app; kept by the actions that enrol and
    #: reset it, so the login gate asks no query on each request.
    two_factor_enabled = models.BooleanField(_("verifikasi dua langkah aktif"), default=False)

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


class UserChange(models.Model):
    """One change to a user account: who changed whom, when, from where, before and after.

    The auditor reads these. Append-only; never holds a password, a token or a one-time code."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Akun dibuat")
        CHANGED = "changed", _("Data akun diubah")
        DEACTIVATED = "deactivated", _("Akun dinonaktifkan")
        REACTIVATED = "reactivated", _("Akun diaktifkan kembali")
        PASSWORD_SET = "password_set", _("Kata sandi sekali pakai diberikan administrator")
        PASSWORD_CHANGED = "password_changed", _("Kata sandi diganti")
        PASSWORD_RESET = "password_reset", _("Kata sandi diatur ulang lewat surel")
        TWO_FACTOR_ON = "two_factor_on", _("Verifikasi dua langkah diaktifkan")
        TWO_FACTOR_OFF = "two_factor_off", _("Verifikasi dua langkah dimatikan")
        TWO_FACTOR_RESET = "two_factor_reset", _("Verifikasi dua langkah direset administrator")
        RECOVERY_CODES = "recovery_codes", _("Kode cadangan dibuat ulang")
        TOKEN_CREATED = "token_created", _("Token API dibuat")
        TOKEN_REVOKED = "token_revoked", _("Token API dicabut")

    uid = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="changes", verbose_name=_("pengguna")
    )
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diubah oleh"),
        help_text=_("Kosong: dari baris perintah server."),
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    #: ``{field name: [before, after]}``: the role's code, the area's code and name, "1"/"0" for
    #: whether the account is active (named in the reader's language by ``tables.changes_list``).
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    detail = models.CharField(_("keterangan"), max_length=300, blank=True)
    address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("perubahan pengguna")
        verbose_name_plural = _("perubahan pengguna")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.user_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("User changes cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("User changes cannot be deleted.")


class ApiToken(models.Model):
    """A named, expiring, revocable key for the API, kept only as its SHA-256 digest.

    The key is shown once, when it is made; the row remembers when and from where it was last
    used."""

    uid = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("pengguna"),
    )
    name = models.CharField(_("nama"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    #: The first characters of the key, to tell one's tokens apart.
    prefix = models.CharField(_("awalan"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    expires_at = models.DateTimeField(_("berlaku sampai"))
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    last_used_from = models.GenericIPAddressField(_("dipakai dari"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicabut oleh"),
    )

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def active(self) -> bool:
        return self.revoked_at is None and not self.expired

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return str(_("Dicabut"))
        if self.expired:
            return str(_("Kedaluwarsa"))
        return str(_("Aktif"))
