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
        USER_CHANGE = "user_change", _("Perubahan akun pengguna")
        NIK_REVEAL = "nik_reveal", _("Menampilkan NIK lengkap")

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
    #: The caller's address as the site's trusted proxies saw it (``core.ratelimit.client_ip``);
    #: empty for work done outside a request (a background job, the command line).
    address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    user_agent = models.CharField(_("peramban"), max_length=200, blank=True)
    #: The area the entry concerns: the record's area where it has one, else the acting user's.
    #: The audit pages show an administrator or auditor the entries inside their own area.
    area_code = models.CharField(_("wilayah"), max_length=13, blank=True, db_index=True)

    class Meta:
        verbose_name = _("log akses")
        verbose_name_plural = _("log akses")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_uid"], name="core_accesslog_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.object_type} {self.object_uid}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Access log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Access log entries cannot be deleted.")


class Job(models.Model):
    """Long work (imports, deduplication, big exports) as a persisted job a user can watch.

    Celery runs it (``pandu.core.jobs``); this row stays the truth a worker goes by: a worker
    claims it before running it, keeps ``heartbeat_at`` fresh while it runs, and a job whose
    worker died is put back in the queue by the sweep.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        SUCCEEDED = "succeeded", _("Selesai")
        FAILED = "failed", _("Gagal")
        CANCELLED = "cancelled", _("Dibatalkan")

    uid = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("jenis"), max_length=50, db_index=True)
    title = models.CharField(_("judul"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimulai oleh"),
    )
    area_code = models.CharField(_("wilayah"), max_length=13, blank=True, db_index=True)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    done = models.PositiveBigIntegerField(_("diproses"), default=0)
    total = models.PositiveBigIntegerField(_("jumlah"), null=True, blank=True)
    counts = models.JSONField(_("hitungan"), default=dict, blank=True)
    message = models.TextField(_("pesan"), blank=True)
    result_file = models.CharField(_("berkas hasil"), max_length=300, blank=True)
    cancel_requested = models.BooleanField(_("diminta batal"), default=False)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    #: When a message to run it was last sent to the queue (or when a retry is due).
    sent_at = models.DateTimeField(_("dikirim ke antrean"), null=True, blank=True)
    #: The process running it ("host:pid"), so a dead one is recognised on the same machine.
    worker = models.CharField(_("pekerja"), max_length=200, blank=True)
    #: What happened to the job on its way (a worker that died, a busy database, retries):
    #: one line per event, shown on the job page beside the job's own message.
    notice = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("tugas latar belakang")
        verbose_name_plural = _("tugas latar belakang")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.uid} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED, self.Status.CANCELLED}

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))

    @property
    def rate(self) -> float | None:
        """Items per second since the job started."""
        from django.utils import timezone

        if not self.started_at or not self.done:
            return None
        end = self.finished_at or timezone.now()
        seconds = (end - self.started_at).total_seconds()
        return self.done / seconds if seconds > 0 else None


class Worker(models.Model):
    """A Celery worker as last heard of: pages warn when none has been seen for a while."""

    name = models.CharField(_("nama"), max_length=200, unique=True)
    host = models.CharField(_("mesin"), max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(_("mulai"))
    seen_at = models.DateTimeField(_("terakhir terlihat"), db_index=True)
    stopped_at = models.DateTimeField(_("berhenti"), null=True, blank=True)

    class Meta:
        verbose_name = _("pekerja latar belakang")
        verbose_name_plural = _("pekerja latar belakang")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return self.name
