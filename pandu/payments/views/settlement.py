"""After approval: the reconciliation imports (upload, progress, report of rejected rows), the
retry list and its carrying into a cycle, returned funds and their deposit to the treasury,
and a cycle's conditionality records with the scheme's consequence."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import deny, get_for_user_or_404
from pandu.core.files import private_file_response
from pandu.core.forms import add_action_errors
from pandu.core.jobs import TooManyJobs
from pandu.core.lists import build_list
from pandu.core.uploads import upload_limit
from pandu.registry.filtersets import names_only
from pandu.registry.models import Household, Person

from .. import actions
from ..capabilities import PayCap
from ..choices import ImportStatus, PaymentStatus
from ..filtersets import EntitlementFilterSet, ImportFilterSet
from ..forms import ConditionalityForm, TreasuryForm, UploadForm
from ..models import ConditionalityRecord, Entitlement, Payment, ReconciliationImport
from ..tables import ImportTable, RetryTable, ReturnedTable
from ._common import cycle_for, needs, refused


def _imports(user):
    return ReconciliationImport.objects.visible_to(user).select_related("user", "job")


@needs(PayCap.VIEW)
def import_list(request, form=None):
    user = request.user
    page = build_list(request, _imports(user), ImportTable, filterset_class=ImportFilterSet)
    may_upload = user.can(PayCap.MANAGE)
    return render(
        request,
        "payments/import_list.html",
        {
            "title": _("Rekonsiliasi penyaluran"),
            "table": page.table,
            "filter": page.filterset,
            "form": form or (UploadForm() if may_upload else None),
        },
    )


@upload_limit("PANDU_IMPORT_MAX_BYTES")
@login_required
@require_POST
@needs(PayCap.MANAGE)
def import_upload(request):
    """The file is kept and imported by a background job (a workbook is never opened here)."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return import_list(request, form=form)
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
            batch = actions.start_reconciliation(
                request.user, local, file_name=upload.name, background=True
            )
        except TooManyJobs as exc:
            form.add_error("file", exc.messages)
            return import_list(request, form=form)
        except PermissionDenied:
            deny(request, "payments: reconciliation upload")
    messages.success(request, _("Berkas diterima; rekonsiliasi sedang diproses."))
    return redirect("payments:import_detail", uid=batch.uid)


@needs(PayCap.VIEW)
def import_detail(request, uid):
    batch = get_for_user_or_404(request, _imports(request.user), uid=uid)
    rejected = []
    if batch.status == ImportStatus.DONE and batch.report_path:
        rejected = _first_rejections(batch.report_path, 200)
    template = "payments/_import_main.html" if request.htmx else "payments/import_detail.html"
    return render(
        request,
        template,
        {"title": batch.file_name, "batch": batch, "rejected": rejected},
    )


def _first_rejections(path: str, limit: int) -> list[list[str]]:
    import csv

    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            return [row for _i, row in zip(range(limit), reader, strict=False)]
    except OSError:
        return []


@needs(PayCap.VIEW)
def import_report(request, uid):
    batch = get_for_user_or_404(request, _imports(request.user), uid=uid)
    path = Path(batch.report_path) if batch.report_path else None
    if path is None or not path.is_file():
        raise Http404
    return private_file_response(
        path.open("rb"), filename=f"ditolak-{batch.file_name}.csv", content_type="text/csv"
    )


@needs(PayCap.VIEW)
def retry_list(request):
    rows = (
        Entitlement.objects.visible_to(request.user)
        .retry_list()
        .select_related("cycle", "household", "organisation", "recipient", "retry_in")
    )
    page = build_list(
        request,
        rows.order_by("cycle", "area_code", "id"),
        RetryTable,
        filterset_class=EntitlementFilterSet,
        prepare_filters=names_only,  # the KK number stays out of the address
    )
    return render(
        request,
        "payments/retry_list.html",
        {"title": _("Daftar bayar ulang"), "table": page.table, "filter": page.filterset},
    )


@login_required
@require_POST
@needs(PayCap.MANAGE)
def retry_schedule(request, uid):
    cycle = cycle_for(request, uid, "manage")
    try:
        carried = actions.schedule_retries(request.user, cycle)
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            _("%(n)s pembayaran gagal masuk daftar bayar siklus ini.") % {"n": carried},
        )
    return redirect("payments:cycle_detail", uid=cycle.uid)


@needs(PayCap.VIEW)
def returned_list(request):
    rows = (
        Payment.objects.visible_to(request.user)
        .filter(status=PaymentStatus.RETURNED)
        .select_related("cycle", "household", "organisation", "treasury_return")
    )
    page = build_list(request, rows, ReturnedTable)
    return render(
        request,
        "payments/returned_list.html",
        {"title": _("Dana dikembalikan"), "table": page.table},
    )


@needs(PayCap.MANAGE)
@require_http_methods(["GET", "POST"])
def treasury_return(request, uid):
    cycle = cycle_for(request, uid, "manage")
    form = TreasuryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deposit = actions.record_treasury_return(
                request.user,
                cycle,
                returned_on=data["returned_on"],
                reference=data["reference"],
                amount=data["amount"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        except PermissionDenied:
            deny(request, "payments: deposit refused", cycle)
        else:
            messages.success(request, _("Setoran %(ref)s dicatat.") % {"ref": deposit.reference})
            return redirect("payments:cycle_detail", uid=cycle.uid)
    return render(
        request,
        "payments/form.html",
        {
            "title": _("Setoran dana dikembalikan ke kas negara"),
            "intro": _(
                "Jumlah yang disetor adalah seluruh dana dikembalikan siklus ini yang belum "
                "disetor: Rp%(due)s."
            )
            % {
                "due": number_format(
                    (cycle.figures or {}).get("returned_open_amount", 0), force_grouping=True
                )
            },
            "form": form,
            "back_url": _cycle_url(cycle),
        },
    )


def _cycle_url(cycle) -> str:
    from django.urls import reverse

    return reverse("payments:cycle_detail", args=[cycle.uid])


@needs(PayCap.VIEW)
@require_http_methods(["GET", "POST"])
def conditionality(request, uid):
    user = request.user
    cycle = cycle_for(request, uid)
    may_record = user.can(PayCap.CONDITIONALITY)
    form = ConditionalityForm(request.POST or None) if may_record else None
    if request.method == "POST":
        if form is None:
            deny(request, "payments: conditionality refused", cycle)
        if form.is_valid():
            data = form.cleaned_data
            household = (
                Household.objects.visible_to(user).filter(kk_number=data["kk_number"]).first()
            )
            person = None
            if data["nik"]:
                person = Person.objects.visible_to(user).filter(nik=data["nik"]).first()
            if household is None:
                form.add_error("kk_number", _("Nomor KK ini tidak ada di wilayah Anda."))
            elif data["nik"] and person is None:
                form.add_error("nik", _("NIK ini tidak ada di wilayah Anda."))
            else:
                try:
                    actions.record_conditionality(
                        user, cycle, household=household, person=person, kind=data["kind"],
                        result=data["result"], note=data["note"],
                    )  # fmt: skip
                except ValidationError as exc:
                    add_action_errors(form, exc)
                except PermissionDenied:
                    deny(request, "payments: conditionality outside scope", cycle)
                else:
                    messages.success(request, _("Kewajiban dicatat."))
                    return redirect("payments:conditionality", uid=cycle.uid)
    records = (
        ConditionalityRecord.objects.visible_to(user)
        .filter(cycle=cycle)
        .select_related("household", "person", "recorded_by")
        .order_by("-recorded_at")[:200]
    )
    return render(
        request,
        "payments/conditionality.html",
        {
            "title": _("Pemenuhan kewajiban"),
            "cycle": cycle,
            "form": form,
            "records": records,
            "may_apply": user.can(PayCap.MANAGE) and user.in_scope(cycle.area_id),
        },
    )


@login_required
@require_POST
@needs(PayCap.MANAGE)
def conditionality_apply(request, uid):
    cycle = cycle_for(request, uid, "manage")
    try:
        suspended = actions.apply_conditionality(request.user, cycle)
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    else:
        messages.success(request, _("%(n)s KPM ditangguhkan sesuai skema.") % {"n": len(suspended)})
    return redirect("payments:conditionality", uid=cycle.uid)
