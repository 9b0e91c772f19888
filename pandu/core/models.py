"""Shared pieces: the access log that UU 27/2022 asks of anyone holding specific personal data."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicIdModel(models.Model):
    """Records addressed from outside by a UUID; integer keys stay internal."""

    uid = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class AccessLog(models.Model):
    """Who opened, exported or was refused what. Append-only; never shown a NIK."""

    class Kind(models.TextChoices):
        VIEW_SENSITIVE = "view_sensitive", _("Melihat data sensitif")
        DENIED = "denied", _("Akses di luar wilayah/peran ditolak")
        EXPORT = "export", _("Ekspor data")
        LOOKUP = "lookup", _("Pencarian NIK")

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    object_type = models.CharField(_("jenis data"), max_length=50, blank=True)
    object_uid = models.CharField(_("ID data"), max_length=64, blank=True)
    path = models.CharField(_("alamat halaman"), max_length=300, blank=True)
    detail = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("log akses")
        verbose_name_plural = _("log akses")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.object_type} {self.object_uid}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Access log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Access log entries cannot be deleted.")
