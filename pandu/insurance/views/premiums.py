"""Premiums: payments and their receipts, a payment recorded from the member's page, the list
of members in arrears (and its workbook), and the bulk payment import with its row report."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.core.access import deny, get_for_user_or_404, record_access
from pandu.core.files import private_file_response, safe_filename
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list
from pandu.core.models import AccessLog
from pandu.core.spreadsheets import safe_row
from pandu.core.templatetags.pandu import rupiah
from pandu.core.uploads import upload_limit

from .. import actions, printing, reports
from ..filtersets import ImportFilterSet, PaymentFilterSet, ReminderFilterSet
from ..forms import ImportForm, PaymentForm
from ..models import PremiumImport
from ..tables import ImportTable, PaymentTable, ReminderTable
from ._common import READERS, WORKERS, form_page, may_work, members, needs, payments, providers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@needs(*READERS)
def payment_list(request):
    user = request.user
    page = build_list(request, payments(user), PaymentTable, filterset_class=PaymentFilterSet)
    links = []
    if may_work(user):
        links.append((reverse("insurance:import_list"), _("Impor pembayaran")))
    return render(
        request,
        "insurance/list.html",
        {
            "title": _("Pembayaran iuran"),
            "table": page.table,
            "filter": page.filterset,
            "links": links,
        },
    )


@needs(*WORKERS)
@require_http_methods(["GET", "POST"])
def payment_record(request, uid):
    user = request.user
    membership = get_for_user_or_404(request, members(user, "work"), uid=uid)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment = actions.record_payment(user, membership, **form.cleaned_data)
        except PermissionDenied:
            deny(request, "payment refused", membership)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            membership.refresh_from_db()
            messages.success(
                request,
                _("Pembayaran %(amount)s dicatat, kuitansi %(receipt)s.")
                % {"amount": rupiah(payment.amount), "receipt": payment.receipt_number},
            )
            if membership.credit:
                messages.info(
                    request,
                    _(
                        "Pembayaran melebihi tunggakan: %(credit)s disimpan sebagai titipan "
                        "untuk iuran bulan berikutnya."
                    )
                    % {"credit": rupiah(membership.credit)},
                )
            return redirect(reverse("insurance:member_detail", args=[membership.uid]) + "#ledger")
    return form_page(
        request,
        form,
        _("Catat pembayaran iuran %(number)s") % {"number": membership.number},
        back_url=reverse("insurance:member_detail", args=[membership.uid]),
        intro=_("Tunggakan saat ini: %(arrears)s.") % {"arrears": rupiah(membership.arrears)},
    )


@needs(*READERS)
def payment_receipt(request, uid):
    payment = get_for_user_or_404(request, payments(request.user), uid=uid)
    return private_file_response(
        printing.receipt_pdf(payment),
        filename=f"kuitansi-{payment.receipt_number}.pdf",
        content_type="application/pdf",
    )


# --- Members in arrears -----------------------------------------------------------------------


def _in_arrears(request):
    rows = reports.reminders(members(request.user))
    filterset = ReminderFilterSet(request.GET or None, queryset=rows, request=request)
    return filterset, (filterset.qs if filterset.is_bound else rows)


@needs(*READERS)
def reminders(request):
    page = build_list(
        request,
        reports.reminders(members(request.user)),
        ReminderTable,
        filterset_class=ReminderFilterSet,
    )
    query = request.GET.urlencode()
    return render(
        request,
        "insurance/list.html",
        {
            "title": _("Pengingat tunggakan iuran"),
            "intro": _(
                "Peserta yang menunggak, diurutkan menurut tanggal gugur: yang paling dulu "
                "gugur di atas."
            ),
            "table": page.table,
            "filter": page.filterset,
            "links": [
                (
                    reverse("insurance:reminders_xlsx") + (f"?{query}" if query else ""),
                    _("Unduh XLSX"),
                )
            ],
        },
    )


@needs(*READERS)
def reminders_xlsx(request):
    from openpyxl import Workbook

    _filters, rows = _in_arrears(request)
    record_access(request, AccessLog.Kind.EXPORT, detail="askesos members in arrears")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(_("Tunggakan")))
    ws.append(
        safe_row(
            [
                str(_("Nomor peserta")),
                str(_("Nama")),
                str(_("Penyelenggara")),
                str(_("Skema")),
                str(_("Desa/kelurahan")),
                str(_("Bulan menunggak")),
                str(_("Tunggakan (Rp)")),
                str(_("Lunas sampai")),
                str(_("Gugur setelah")),
                str(_("Status")),
            ]
        )
    )
    for m in rows.iterator(chunk_size=2000):
        ws.append(
            safe_row(
                [
                    m.number,
                    m.person.full_name,
                    m.provider.code,
                    m.scheme.name,
                    m.area_code,
                    m.months_unpaid,
                    m.arrears,
                    m.paid_through.strftime("%m-%Y") if m.paid_through else "",
                    m.lapse_on,
                    m.get_status_display(),
                ]
            )
        )
    out = io.BytesIO()
    wb.save(out)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return private_file_response(
        out.getvalue(), filename=f"tunggakan-askesos-{stamp}.xlsx", content_type=XLSX
    )


# --- Bulk import ------------------------------------------------------------------------------


def _imports(user):
    return PremiumImport.objects.visible_to(user).select_related("provider", "started_by")


@upload_limit("PANDU_IMPORT_MAX_BYTES")
@needs(*WORKERS)
@require_http_methods(["GET", "POST"])
def import_list(request):
    user = request.user
    own = providers(user, "work").order_by("code")
    form = ImportForm(request.POST or None, request.FILES or None, providers=own)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            local = Path(folder) / safe_filename(upload.name, default="pembayaran.csv")
            with local.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                batch = actions.import_premiums(
                    user, local, provider=form.cleaned_data.get("provider")
                )
            except PermissionDenied:
                deny(request, "askesos payment import refused")
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(accepted)s dari %(read)s baris diterima, %(rejected)s ditolak.")
                    % {
                        "accepted": batch.accepted,
                        "read": batch.rows_read,
                        "rejected": batch.rejected,
                    },
                )
                return redirect("insurance:import_detail", uid=batch.uid)
    page = build_list(request, _imports(user), ImportTable, filterset_class=ImportFilterSet)
    return render(
        request,
        "insurance/import_list.html",
        {
            "title": _("Impor pembayaran iuran"),
            "form": form,
            "table": page.table,
            "filter": page.filterset,
        },
    )


@needs(*WORKERS)
def import_detail(request, uid):
    batch = get_for_user_or_404(request, _imports(request.user), uid=uid)
    return render(
        request,
        "insurance/import_detail.html",
        {
            "title": batch.file_name,
            "batch": batch,
            "payments": batch.payments.select_related("membership").order_by("id")[:200],
        },
    )


@needs(*WORKERS)
def import_report(request, uid):
    batch = get_for_user_or_404(request, _imports(request.user), uid=uid)
    if not batch.report:
        raise Http404
    return private_file_response(
        batch.report.open("rb"),
        filename=f"ditolak-{Path(batch.file_name).stem}.csv",
        content_type="text/csv",
    )
