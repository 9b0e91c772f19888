"""Starting, resuming and configuring imports. Views, the API and the commands call these."""

from __future__ import annotations

import re
import shutil
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
    suggest_mapping,
)
from .models import ColumnMapping, ImportBatch
from .permissions import can_import
from .readers import FileProblem, inspect_file

IMPORT_JOB = "exchange.import"
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
) -> ImportBatch:
    """Record an uploaded (or local) file as an import and read its header.

    ``copy`` keeps the file under ``VAR_DIR/jobs/imports/<uid>/`` so the job, a resume and a
    later audit can read it; the command imports a local file in place. A file that cannot be
    read at all still becomes an ImportBatch, failed, with the reason in its report.
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
    )
    if copy:
        folder = jobs_dir() / "imports" / str(batch.uid)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / safe_file_name(file_name)
        shutil.copyfile(source, target)
        batch.file_path = str(target)
    try:
        info = inspect_file(batch.file_path, sheet=sheet)
    except FileProblem as exc:
        batch.status = ImportBatch.Status.FAILED
        batch.message = str(exc)
        batch.finished_at = timezone.now()
        batch.file_size = Path(batch.file_path).stat().st_size
        batch.save()
        _write_problem_report(batch, str(exc))
        return batch
    batch.file_size = info.size
    batch.sha256 = info.sha256
    batch.file_kind = info.kind
    batch.encoding = info.encoding
    batch.delimiter = info.delimiter
    batch.sheet = info.sheet
    batch.header_row = info.header_row
    batch.headers = info.headers
    chosen = mapping_from_saved(mapping.columns, info.headers) if mapping is not None else {}
    suggested = suggest_mapping(info.headers)
    batch.mapping = {**suggested, **chosen}
    batch.save()
    batch.sample = info.sample  # type: ignore[attr-defined]  # for the mapping page only
    return batch


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
