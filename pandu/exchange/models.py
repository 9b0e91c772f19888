"""Bulk import and export of the registry: import batches, their per-record changes, and the
column mappings users save for spreadsheets whose headers differ from the documented layout."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pandu.accounts.roles import Cap
from pandu.core.querysets import OwnedQuerySet


class ColumnMapping(models.Model):
    """A named answer to "which column of my spreadsheet is the NIK?", reused on later imports.

    Saved by a user; visible to that user and to everyone working in the same area (office).
    ``columns`` maps a layout field name to the normalised header text of the file's column.
    """

    name = models.CharField(_("nama pemetaan"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    area_code = models.CharField(_("wilayah kantor"), max_length=13, blank=True, db_index=True)
    columns = models.JSONField(_("kolom"), default=dict)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("pemetaan kolom impor")
        verbose_name_plural = _("pemetaan kolom impor")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="one_mapping_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name


class ImportBatchQuerySet(OwnedQuerySet):
    """An import is seen by its importer and by the administrator of the area it was made in."""

    owner_field = "user"
    area_field = "area_code"
    overseer_cap = Cap.MANAGE_USERS


class ImportBatch(models.Model):
    """One file imported into the registry: who, which file (name and SHA-256), and the outcome.

    Rows are committed in batches of whole households; ``last_row`` is the spreadsheet row number
    (header = row 1) of the last committed batch, so an interrupted import continues after it.
    Counts always satisfy ``rows_read = created + updated + unchanged + rejected + skipped_empty``.
    """

    class Status(models.TextChoices):
        READING = "reading", _("Membaca berkas")
        PENDING = "pending", _("Menunggu pemetaan kolom")
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Berjalan")
        SUCCEEDED = "succeeded", _("Selesai")
        FAILED = "failed", _("Gagal")
        CANCELLED = "cancelled", _("Dibatalkan")

    uid = models.UUIDField(_("ID publik"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diimpor oleh"),
    )
    area_code = models.CharField(_("wilayah pengimpor"), max_length=13, blank=True, db_index=True)
    job = models.ForeignKey(
        "core.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tugas terakhir"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    message = models.TextField(_("pesan"), blank=True)
    # The file
    file_name = models.CharField(_("nama berkas"), max_length=255)
    file_path = models.CharField(_("lokasi berkas"), max_length=500)
    file_size = models.PositiveBigIntegerField(_("ukuran berkas"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file_kind = models.CharField(_("jenis berkas"), max_length=10, blank=True)
    encoding = models.CharField(_("pengodean"), max_length=20, blank=True)
    delimiter = models.CharField(_("pemisah kolom"), max_length=1, blank=True)
    sheet = models.CharField(_("lembar"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("baris judul"), default=1)
    headers = models.JSONField(_("judul kolom"), default=list, blank=True)
    mapping = models.JSONField(_("pemetaan kolom"), default=dict, blank=True)
    #: The first data rows as text, kept when the file is read (the column-matching page shows
    #: them without opening the file again).
    sample = models.JSONField(_("contoh baris"), default=list, blank=True)
    # Progress and outcome
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    rows_total = models.PositiveBigIntegerField(_("jumlah baris data"), null=True, blank=True)
    last_row = models.PositiveBigIntegerField(_("baris terakhir yang tersimpan"), default=0)
    batches_committed = models.PositiveIntegerField(_("kelompok tersimpan"), default=0)
    rows_read = models.PositiveBigIntegerField(_("baris dibaca"), default=0)
    created = models.PositiveBigIntegerField(_("penduduk baru"), default=0)
    updated = models.PositiveBigIntegerField(_("penduduk diubah"), default=0)
    unchanged = models.PositiveBigIntegerField(_("tidak berubah"), default=0)
    rejected = models.PositiveBigIntegerField(_("ditolak"), default=0)
    skipped_empty = models.PositiveBigIntegerField(_("baris kosong"), default=0)
    households_created = models.PositiveBigIntegerField(_("keluarga baru"), default=0)
    households_updated = models.PositiveBigIntegerField(_("keluarga diubah"), default=0)
    ppks_created = models.PositiveBigIntegerField(_("PPKS baru"), default=0)
    #: Rejected rows whose NIK or KK is registered outside the importer's area (for the access
    #: log only: the importer is told no more than for any number they may not register).
    outside_scope = models.PositiveBigIntegerField(
        _("baris dengan data di luar wilayah"), default=0
    )
    report_path = models.CharField(_("laporan"), max_length=500, blank=True)
    report_bytes = models.PositiveBigIntegerField(default=0)
    report_lines = models.PositiveBigIntegerField(default=0)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch impor")
        verbose_name_plural = _("batch impor")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.short_id} {self.file_name}"

    @property
    def short_id(self) -> str:
        return str(self.uid)[:8]

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED, self.Status.CANCELLED}

    @property
    def resumable(self) -> bool:
        return self.status in {self.Status.FAILED, self.Status.CANCELLED}

    def sync_with_job(self) -> None:
        """A job cancelled while still queued never ran the handler, so the batch still says
        "queued": take the job's outcome so the import can be continued."""
        active = (self.Status.READING, self.Status.QUEUED, self.Status.RUNNING)
        if self.status not in active or self.job is None:
            return
        if not self.job.finished or self.job.status == self.job.Status.SUCCEEDED:
            return
        status = self.Status.CANCELLED if self.job.status == "cancelled" else self.Status.FAILED
        ImportBatch.objects.filter(pk=self.pk, status=self.status).update(
            status=status, finished_at=self.job.finished_at
        )
        self.status = status

    def counts(self) -> dict[str, int]:
        return {
            "rows_read": self.rows_read,
            "accepted": self.accepted,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "skipped_empty": self.skipped_empty,
            "households_created": self.households_created,
            "households_updated": self.households_updated,
            "ppks_created": self.ppks_created,
        }


class ImportChange(models.Model):
    """One record created or changed by an import batch: the import's history, in bulk.

    A million people cannot each get a django-simple-history row within the time an import has,
    so the import writes one of these per changed record in the same transaction (``before`` and
    ``after`` hold the changed fields of an update) and one per run of consecutive records it
    created (``object_id`` to ``last_object_id``: a creation stores only the batch).
    ``object_id`` is the record's internal key: it grows with every insert, so the index is
    appended to rather than scattered (the public uid is one join away).
    """

    class Model(models.TextChoices):
        PERSON = "person", _("Penduduk")
        HOUSEHOLD = "household", _("Keluarga")

    class Action(models.TextChoices):
        CREATED = "created", _("Dibuat lewat impor")
        UPDATED = "updated", _("Diubah lewat impor")

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="changes")
    model = models.CharField(max_length=10, choices=Model.choices)
    object_id = models.BigIntegerField()
    #: A creation covers the records ``object_id`` to ``last_object_id`` (one row per run of
    #: consecutive keys created by a batch); empty for a single record.
    last_object_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("perubahan lewat impor")
        verbose_name_plural = _("perubahan lewat impor")
        indexes = [
            models.Index(fields=["model", "object_id"], name="importchange_record"),
            models.Index(
                fields=["model", "last_object_id"],
                name="importchange_range",
                condition=models.Q(last_object_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model}:{self.object_id} {self.action} in {self.batch_id}"


class DeferredIndex(models.Model):
    """A registry index that a large import dropped and has not yet created again.

    Written in the same transaction as the ``DROP INDEX`` (see ``pandu.exchange.bulkload``), so
    an import killed half-way leaves the exact statement to rebuild it with.
    """

    name = models.CharField(_("nama indeks"), max_length=128, unique=True)
    table = models.CharField(_("tabel"), max_length=64)
    definition = models.TextField(_("definisi"))
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("batch impor"),
    )
    deferred_at = models.DateTimeField(_("disisihkan"), auto_now_add=True)

    class Meta:
        verbose_name = _("indeks yang disisihkan")
        verbose_name_plural = _("indeks yang disisihkan")

    def __str__(self) -> str:
        return self.name
