"""Starting, resuming and configuring imports. Views, the API and the commands call these."""

from __future__ import annotations

import re
import shutil
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.core.jobs import enqueue
from pandu.core.models import Job

from .importer import Report, jobs_dir
from .layout import (
    FIELD_BY_NAME,
    mapping_from_saved,
    mapping_to_saved,
    missing_required,
    normalise_header,
    suggest_mapping,
)
from .models import ColumnMapping, ImportBatch
from .permissions import can_import
from .readers import FileProblem, file_kind, inspect_file_limited

IMPORT_JOB = "exchange.import"
READ_JOB = "exchange.read"
EXPORT_JOB = "exchange.export"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _require_import(user) -> None:
    if user is not None and not can_import(user):
        raise PermissionDenied(_("Akun ini tidak berwenang mengimpor data registri."))


def safe_file_name(name: str) -> str:
    base = Path(name or "berkas").name
    cleaned = _SAFE_NAME.sub("_", base).strip("._") or "berkas"
    return cleaned[-120:]


def create_import(
    user,
    *,
    source: Path | str,
    file_name: str = "",
    copy: bool = True,
    sheet: str = "",
    mapping: ColumnMapping | None = None,
    background: bool = False,
    columns: dict[str, Any] | None = None,
) -> ImportBatch:
    """Record an uploaded (or local) file as an import and read its header.

    ``copy`` keeps the file under ``VAR_DIR/jobs/imports/<uid>/`` so the job, a resume and a
    later audit can read it; the command imports a local file in place. A file that cannot be
    read at all still becomes an ImportBatch, failed, with the reason in its report.

    ``background`` (web pages and the API): a workbook is not opened in the request; the batch
    is ``reading`` until the read job (:data:`READ_JOB`) has found its header. With ``columns``
    (the API) the import then starts by itself when the columns are complete. A CSV is read
    here either way: its header is found in the first 64 KB.
    """
    _require_import(user)
    source = Path(source)
    file_name = (file_name or source.name)[:255]
    batch = ImportBatch(
        user=user,
        area_code=(user.scope_code or "") if user is not None else "",
        file_name=file_name,
        file_path=str(source.resolve()),
        sha256="",
        sheet=sheet[:100],
    )
    folder = jobs_dir() / "imports" / str(batch.uid)
    try:
        if copy:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / safe_file_name(file_name)
            shutil.copyfile(source, target)
            batch.file_path = str(target)
        batch.file_size = Path(batch.file_path).stat().st_size
        try:
            batch.file_kind = file_kind(batch.file_path)
        except FileProblem as exc:
            return _failed(batch, str(exc))
        if background and batch.file_kind == "excel":
            with transaction.atomic():
                batch.status = ImportBatch.Status.READING
                batch.save()
                batch.job = enqueue(
                    READ_JOB,
                    user=user,
                    params={
                        "batch": str(batch.uid),
                        "mapping": mapping.pk if mapping is not None else None,
                        "start": columns is not None,
                        "columns": columns or {},
                    },
                    area_code=batch.area_code,
                    title=_("Membaca %(file)s") % {"file": file_name[:150]},
                )
                batch.save(update_fields=["job"])
            return batch
        return read_file(batch, mapping=mapping)
    except BaseException:
        if copy and not ImportBatch.objects.filter(uid=batch.uid).exists():
            shutil.rmtree(folder, ignore_errors=True)  # no import keeps it: no orphan file
        raise


def read_file(batch: ImportBatch, *, mapping: ColumnMapping | None = None) -> ImportBatch:
    """Find the file's kind, encoding, header row and first rows (a workbook in a forked process
    of capped memory) and suggest the column mapping; the batch waits for the user's mapping,
    or fails with the reason."""
    try:
        info = inspect_file_limited(batch.file_path, sheet=batch.sheet)
    except FileProblem as exc:
        return _failed(batch, str(exc))
    batch.file_size = info.size
    batch.sha256 = info.sha256
    batch.file_kind = info.kind
    batch.encoding = info.encoding
    batch.delimiter = info.delimiter
    batch.sheet = info.sheet
    batch.header_row = info.header_row
    batch.headers = info.headers
    batch.sample = [[str(cell)[:40] for cell in row] for row in info.sample]
    chosen = mapping_from_saved(mapping.columns, info.headers) if mapping is not None else {}
    suggested = suggest_mapping(info.headers)
    batch.mapping = {**suggested, **chosen}
    batch.status = ImportBatch.Status.PENDING
    batch.save()
    return batch


def _failed(batch: ImportBatch, message: str) -> ImportBatch:
    batch.status = ImportBatch.Status.FAILED
    batch.message = message
    batch.finished_at = timezone.now()
    batch.save()
    _write_problem_report(batch, message)
    return batch


def fail_reading(batch: ImportBatch, message: str) -> None:
    """The read job could not finish: the batch fails with the reason in its report."""
    _failed(batch, message)


def column_indexes(batch: ImportBatch, columns: dict[str, Any]) -> dict[str, Any]:
    """Columns named by header text (or given as 0-based indexes) as indexes of this file."""
    indexes: dict[str, Any] = {}
    for name, value in columns.items():
        if isinstance(value, int) or value in (None, ""):
            indexes[name] = value
            continue
        wanted = normalise_header(str(value))
        found = [i for i, h in enumerate(batch.headers) if normalise_header(h) == wanted]
        if not found:
            raise ValidationError(
                _("Tidak ada kolom bernama %(name)s di berkas.") % {"name": repr(value)}
            )
        indexes[name] = found[0]
    return indexes


def stale_upload_folders(max_age: timedelta = timedelta(days=1)) -> list[Path]:
    """Folders under ``jobs/imports/`` that no import names, older than ``max_age``: files left
    by an upload whose request or worker died between copying the file and recording it."""
    root = jobs_dir() / "imports"
    if not root.is_dir():
        return []
    cutoff = time.time() - max_age.total_seconds()
    candidates = {}
    for folder in root.iterdir():
        try:
            uid = uuid.UUID(folder.name)
        except ValueError:
            continue
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            candidates[uid] = folder
    known = set(ImportBatch.objects.filter(uid__in=candidates).values_list("uid", flat=True))
    return [folder for uid, folder in candidates.items() if uid not in known]


def remove_stale_uploads(max_age: timedelta = timedelta(days=1)) -> int:
    """Delete :func:`stale_upload_folders`; for a periodic job. Returns how many went."""
    folders = stale_upload_folders(max_age)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    return len(folders)


def _write_problem_report(batch: ImportBatch, message: str) -> None:
    relative = f"imports/{batch.uid}/laporan-impor-{batch.short_id}.csv"
    report = Report(jobs_dir() / relative)
    report.add({0: [("", "", message)]})
    size = report.flush()
    report.close()
    ImportBatch.objects.filter(pk=batch.pk).update(
        report_path=relative, report_bytes=size, report_lines=1
    )
    batch.report_path, batch.report_bytes, batch.report_lines = relative, size, 1


def clean_mapping(batch: ImportBatch, mapping: dict[str, Any]) -> dict[str, int]:
    """Field → column index, checked: known fields, real columns, each column once, required."""
    cleaned: dict[str, int] = {}
    used: dict[int, str] = {}
    errors = []
    for name, index in mapping.items():
        if index in (None, "", -1, "-1"):
            continue
        if name not in FIELD_BY_NAME:
            errors.append(_("Kolom tujuan %(name)s tidak dikenal.") % {"name": name})
            continue
        try:
            index = int(index)
        except (TypeError, ValueError):
            errors.append(_("Pilihan kolom untuk %(name)s tidak sah.") % {"name": name})
            continue
        if not 0 <= index < len(batch.headers):
            errors.append(_("Pilihan kolom untuk %(name)s tidak ada di berkas.") % {"name": name})
            continue
        if index in used:
            errors.append(
                _("Kolom “%(header)s” dipilih dua kali (%(a)s dan %(b)s).")
                % {
                    "header": batch.headers[index],
                    "a": FIELD_BY_NAME[used[index]].label,
                    "b": FIELD_BY_NAME[name].label,
                }
            )
            continue
        used[index] = name
        cleaned[name] = index
    missing = missing_required(cleaned)
    if missing:
        errors.append(
            _("Kolom wajib belum dipilih: %(fields)s.")
            % {"fields": ", ".join(str(FIELD_BY_NAME[m].label) for m in missing)}
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def start_import(
    user, batch: ImportBatch, mapping: dict[str, Any] | None = None, save_as: str = ""
) -> Job:
    """Confirm the column mapping (optionally saving it by name) and queue the import job."""
    _require_import(user)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError(_("Impor ini sudah dimulai."))
    cleaned = clean_mapping(batch, batch.mapping if mapping is None else mapping)
    batch.mapping = cleaned
    if save_as.strip() and user is not None:
        save_mapping(user, save_as, mapping_to_saved(cleaned, batch.headers))
    return _queue(user, batch)


def _queue(user, batch: ImportBatch) -> Job:
    job = enqueue(
        IMPORT_JOB,
        user=user,
        params={"batch": str(batch.uid)},
        area_code=batch.area_code,
        title=_("Impor %(file)s") % {"file": batch.file_name[:150]},
    )
    batch.job = job
    batch.status = ImportBatch.Status.QUEUED
    batch.save(update_fields=["mapping", "job", "status"])
    return job


@transaction.atomic
def resume_import(user, batch: ImportBatch) -> Job:
    """Continue a cancelled or failed import after its last committed row ("Lanjutkan")."""
    _require_import(user)
    batch = (
        ImportBatch.objects.select_for_update(of=("self",)).select_related("job").get(pk=batch.pk)
    )
    batch.sync_with_job()
    if not batch.resumable or not batch.sha256:
        raise ValidationError(_("Impor ini tidak dapat dilanjutkan."))
    return _queue(user, batch)


def save_mapping(user, name: str, columns: dict[str, str]) -> ColumnMapping:
    name = " ".join(name.split())[:100]
    if not name:
        raise ValidationError(_("Beri nama pemetaan kolom."))
    obj, _created = ColumnMapping.objects.update_or_create(
        owner=user,
        name=name,
        defaults={"columns": columns, "area_code": user.scope_code or ""},
    )
    return obj
