"""Import and export pages: upload, match columns, watch the job, download the report; filtered
exports of people and families as CSV (streamed) or Excel."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandu.core.access import deny, get_for_user_or_404
from pandu.core.files import private_file_response
from pandu.core.jobs import TooManyJobs, enqueue
from pandu.core.lists import build_list
from pandu.core.uploads import upload_limit
from pandu.registry.filtersets import names_only

from . import actions
from .exporter import (
    KINDS,
    XLSX_INLINE_LIMIT,
    ExportCounter,
    csv_chunks,
    export_rows,
    file_name,
    filtered_people,
    log_export,
    write_xlsx,
)
from .filtersets import ImportBatchFilterSet
from .forms import MappingForm, UploadForm
from .importer import jobs_dir
from .models import ImportBatch
from .permissions import can_export, can_import
from .queries import imports_visible_to
from .readers import sample_rows
from .tables import ImportBatchTable
from .template import import_template_xlsx


def _deny(request, what: str, obj=None) -> NoReturn:
    deny(request, f"exchange: {what}", obj)


def _imports(request):
    return build_list(
        request,
        imports_visible_to(request.user),
        ImportBatchTable,
        filterset_class=ImportBatchFilterSet,
    )


@login_required
def index(request):
    user = request.user
    if not (can_import(user) or can_export(user)):
        _deny(request, "no import or export rights")
    imports = _imports(request)
    return render(
        request,
        "exchange/index.html",
        {
            "title": _("Impor dan ekspor"),
            "form": UploadForm(user=user) if can_import(user) else None,
            "imports": imports.table,
            "import_filter": imports.filterset,
            "can_export": can_export(user),
        },
    )


def _upload_page(request, form):
    """The page again with the refused upload's reasons (nothing was kept)."""
    imports = _imports(request)
    return render(
        request,
        "exchange/index.html",
        {
            "title": _("Impor dan ekspor"),
            "form": form,
            "imports": imports.table,
            "import_filter": imports.filterset,
            "can_export": can_export(request.user),
        },
        status=400,
    )


@login_required
def import_template(request):
    """The workbook to fill in: the layout, an example row and the code lists."""
    if not can_import(request.user):
        _deny(request, "no import rights")
    return private_file_response(
        import_template_xlsx(request.user),
        filename="templat-impor-pandu.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@upload_limit("PANDU_IMPORT_MAX_BYTES")
@login_required
@require_POST
def import_upload(request):
    user = request.user
    if not can_import(user):
        _deny(request, "import upload")
    form = UploadForm(request.POST, request.FILES, user=user)
    if not form.is_valid():
        return _upload_page(request, form)
    upload = form.cleaned_data["file"]
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / "upload"
        if hasattr(upload, "temporary_file_path"):
            local = Path(upload.temporary_file_path())
        else:
            with local.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
        try:
            # A workbook is read by a background job, never in this request.
            batch = actions.create_import(
                user,
                source=local,
                file_name=upload.name,
                copy=True,
                sheet=form.cleaned_data["sheet"],
                mapping=form.cleaned_data["mapping"],
                background=True,
            )
        except TooManyJobs as exc:
            form.add_error("file", exc.messages)
            return _upload_page(request, form)
    if batch.status == ImportBatch.Status.FAILED:
        messages.error(request, batch.message)
    return redirect("exchange:import_detail", uid=batch.uid)


@login_required
def import_detail(request, uid):
    user = request.user
    batch = get_for_user_or_404(request, imports_visible_to(user), uid=uid)
    batch.sync_with_job()
    form = None
    if batch.status == ImportBatch.Status.PENDING:
        if request.method == "POST":
            if not can_import(user):
                _deny(request, "import start", batch)
            form = MappingForm(request.POST, batch=batch)
            if form.is_valid():
                try:
                    job = actions.start_import(
                        user, batch, form.mapping(), form.cleaned_data["save_as"]
                    )
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
                except PermissionDenied:
                    _deny(request, "import start", batch)
                else:
                    return redirect("core:job_detail", uid=job.uid)
        else:
            form = MappingForm(batch=batch)
    return render(
        request,
        "exchange/import_detail.html",
        {
            "title": _("Impor %(file)s") % {"file": batch.file_name},
            "batch": batch,
            "form": form,
            "sample": sample_rows(batch) if form is not None else [],
            "can_import": can_import(user),
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def import_resume(request, uid):
    user = request.user
    batch = get_for_user_or_404(request, imports_visible_to(user), uid=uid)
    if not can_import(user):
        _deny(request, "import resume", batch)
    try:
        job = actions.resume_import(user, batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("exchange:import_detail", uid=batch.uid)
    return redirect("core:job_detail", uid=job.uid)


@login_required
def import_report(request, uid):
    batch = get_for_user_or_404(request, imports_visible_to(request.user), uid=uid)
    root = jobs_dir().resolve()
    path = (root / batch.report_path).resolve() if batch.report_path else None
    if path is None or root not in path.parents or not path.is_file():
        raise Http404
    size = batch.report_bytes or path.stat().st_size
    return private_file_response(
        _limited(path.open("rb"), size), filename=path.name, content_type="text/csv"
    )


def _limited(handle, size: int):
    """The committed part of a report (a running import may have written ahead)."""
    try:
        left = size
        while left > 0:
            data = handle.read(min(65536, left))
            if not data:
                break
            left -= len(data)
            yield data
    finally:
        handle.close()


@login_required
def export(request, kind: str):
    user = request.user
    if kind not in KINDS:
        raise Http404
    if not can_export(user):
        _deny(request, "export")
    params = {k: v for k, v in request.GET.items() if k != "format"}
    fmt = request.GET.get("format")
    # The page's filters travel in the address: names only, a NIK or KK is refused.
    people, fs = filtered_people(user, kind, params, prepare=names_only)
    if fmt not in ("csv", "xlsx") or not fs.is_valid():
        return render(
            request,
            "exchange/export.html",
            {
                "title": _("Ekspor penduduk") if kind == "persons" else _("Ekspor keluarga"),
                "kind": kind,
                "filter": fs,
                "query": request.GET.urlencode(),
            },
            status=400 if fmt and not fs.is_valid() else 200,
        )
    if fmt == "csv":
        return stream_csv(request, user, kind, params, people)
    return xlsx_response(request, user, kind, params, people)


def stream_csv(request, user, kind: str, params: dict, people) -> HttpResponseBase:
    counter = ExportCounter()

    def logged():
        try:
            yield from csv_chunks(export_rows(user, people), counter)
        finally:
            log_export(
                request, kind, "csv", params, counter.rows, "" if counter.finished else "terputus"
            )

    return private_file_response(
        logged(), filename=file_name(kind, "csv"), content_type="text/csv; charset=utf-8"
    )


def xlsx_response(request, user, kind: str, params: dict, people) -> HttpResponseBase:
    total = people.count()
    if total > XLSX_INLINE_LIMIT:
        try:
            job = enqueue(
                actions.EXPORT_JOB,
                user=user,
                params={"kind": kind, "format": "xlsx", "filters": params},
                area_code=user.scope_code or "",
                title=_("Ekspor %(kind)s ke Excel (%(n)s baris)")
                % {
                    "kind": _("penduduk") if kind == "persons" else _("keluarga"),
                    "n": f"{total:,}".replace(",", "."),
                },
            )
        except TooManyJobs as exc:
            messages.error(request, exc.messages[0])
            return redirect(f"{request.path}?{urlencode(params)}")
        messages.info(
            request,
            _(
                "Ekspor besar dibuat di latar belakang; unduh berkasnya dari halaman ini "
                "setelah selesai."
            ),
        )
        return redirect("core:job_detail", uid=job.uid)
    folder = tempfile.mkdtemp(prefix="pandu-export-")
    path = Path(folder) / file_name(kind, "xlsx")
    n = write_xlsx(path, export_rows(user, people))
    log_export(request, kind, "xlsx", params, n)
    handle = path.open("rb")
    shutil.rmtree(folder, ignore_errors=True)  # the open handle keeps the data readable
    return private_file_response(
        handle,
        filename=path.name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
