"""Background jobs of the exchange app: imports and large exports (see ``pandu.core.jobs``)."""

from __future__ import annotations

from pathlib import Path

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.core.jobs import JobCancelled, job, transient_reason
from pandu.core.models import Job

from . import actions
from .actions import EXPORT_JOB, IMPORT_JOB, READ_JOB
from .importer import Importer, jobs_dir, summary
from .models import ColumnMapping, ImportBatch
from .readers import FileProblem


class ImportFailed(Exception):
    """The import stopped; the message is for the user."""


# The job page shows "<exception name>: <message>" for a failed job; make that read as a
# sentence ("Impor gagal: Berkas kosong ...") rather than a Python path.
ImportFailed.__module__ = "builtins"
ImportFailed.__qualname__ = "Impor gagal"


def _set_batch(batch: ImportBatch, **fields) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(**fields)
    for key, value in fields.items():
        setattr(batch, key, value)


@job(IMPORT_JOB)
def run_import(ctx, timings: dict | None = None) -> str:
    batch = ImportBatch.objects.select_related("user").get(uid=ctx.params["batch"])
    fields: dict = {"status": ImportBatch.Status.RUNNING, "job": ctx.job, "finished_at": None}
    if batch.started_at is None:
        fields["started_at"] = timezone.now()
    _set_batch(batch, **fields)
    importer = Importer(batch, ctx, batch_rows=int(ctx.params.get("batch_rows") or 0))
    result_file = str(importer.report_path().relative_to(jobs_dir()))
    Job.objects.filter(pk=ctx.job.pk).update(result_file=result_file)
    ctx.job.result_file = result_file
    try:
        return _run(importer, batch, ctx, timings)
    finally:
        importer.record_lookup()  # however the run ended, once it checked rows


def _run(importer: Importer, batch: ImportBatch, ctx, timings: dict | None) -> str:
    try:
        try:
            message = importer.run()
        finally:
            if timings is not None:
                timings.update(importer.timings)
    except FileProblem as exc:
        # The file as a whole cannot be read; the reason is also the report's only line.
        _set_batch(
            batch, status=ImportBatch.Status.FAILED, finished_at=timezone.now(), message=str(exc)
        )
        raise ImportFailed(str(exc)) from None
    except JobCancelled:
        batch.refresh_from_db()
        text = _(
            "Dibatalkan. Baris sampai nomor %(row)s sudah tersimpan; tekan “Lanjutkan” "
            "di halaman impor untuk meneruskan dari baris berikutnya. %(summary)s"
        ) % {"row": batch.last_row, "summary": summary(batch)}
        _set_batch(
            batch, status=ImportBatch.Status.CANCELLED, finished_at=timezone.now(), message=text
        )
        ctx.message(text)
        raise
    except Exception as exc:
        batch.refresh_from_db()
        _truncate_report(batch)
        if transient_reason(exc) is not None:
            # A busy or dropped database: the job runs again later from the last saved row.
            _set_batch(batch, status=ImportBatch.Status.QUEUED)
            raise
        text = _(
            "Impor berhenti karena kesalahan: %(error)s. Baris sampai nomor %(row)s sudah "
            "tersimpan; impor dapat dilanjutkan. %(summary)s"
        ) % {"error": exc, "row": batch.last_row, "summary": summary(batch)}
        _set_batch(
            batch, status=ImportBatch.Status.FAILED, finished_at=timezone.now(), message=text
        )
        raise ImportFailed(text) from exc
    _set_batch(
        batch, status=ImportBatch.Status.SUCCEEDED, finished_at=timezone.now(), message=message
    )
    return message


def _truncate_report(batch: ImportBatch) -> None:
    """Drop report lines written for a batch that did not commit."""
    if not batch.report_path:
        return
    path = jobs_dir() / batch.report_path
    if path.is_file() and batch.report_bytes and path.stat().st_size > batch.report_bytes:
        with path.open("r+b") as handle:
            handle.truncate(batch.report_bytes)


@job(READ_JOB)
def run_read(ctx) -> str:
    """Read an uploaded workbook's header (in a forked process of capped memory, never in the
    web request); with ``start`` (the API) queue the import when the columns are complete."""
    batch = ImportBatch.objects.select_related("user").get(uid=ctx.params["batch"])
    if batch.status != ImportBatch.Status.READING:
        return batch.message  # a second delivery of a job already done
    mapping = None
    if ctx.params.get("mapping"):
        mapping = ColumnMapping.objects.filter(pk=ctx.params["mapping"]).first()
    try:
        actions.read_file(batch, mapping=mapping)
    except Exception as exc:
        if transient_reason(exc) is not None:
            raise  # the job runs again later
        actions.fail_reading(batch, _("Berkas tidak dapat dibaca: %(error)s") % {"error": exc})
        raise ImportFailed(batch.message) from exc
    if batch.status == ImportBatch.Status.FAILED:
        raise ImportFailed(batch.message)
    if ctx.params.get("start"):
        try:
            columns = {**batch.mapping, **actions.column_indexes(batch, ctx.params["columns"])}
            actions.start_import(batch.user, batch, columns)
        except ValidationError as exc:
            text = (
                " ".join(exc.messages)
                + " "
                + _("Judul kolom berkas: %(headers)s.") % {"headers": " | ".join(batch.headers)}
            )
            actions.fail_reading(batch, text)
            raise ImportFailed(text) from None
    return _("Berkas dibaca: %(n)s kolom, judul di baris %(row)s.") % {
        "n": len(batch.headers),
        "row": batch.header_row,
    }


@job(EXPORT_JOB)
def run_export(ctx) -> str:
    from .exporter import export_job

    return export_job(ctx)


@shared_task(name="exchange.remove_stale_uploads", ignore_result=True)
def remove_stale_uploads() -> int:
    """Beat, daily: upload folders that no import names (a request or worker died between
    copying the file and recording it) go after a day."""
    return actions.remove_stale_uploads()


def result_path(relative: str) -> Path:
    return jobs_dir() / relative
