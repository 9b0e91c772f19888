"""The providers' books: each provider's month (members, collection, claims, reserves) and the
Dinas's view of every provider side by side, with the workbook and the printable PDF."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from pandu.core.access import get_for_user_or_404, record_access
from pandu.core.files import private_file_response
from pandu.core.models import AccessLog

from .. import reports
from ..forms import MonthForm
from ._common import READERS, needs, providers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(request):
    form = MonthForm(request.GET or None)
    month = form.month()
    if not form.is_bound:
        form = MonthForm(initial={"bulan": month})
    return form, month


def _chosen(request):
    """The providers a download covers: one (``?penyelenggara=<code>``) or every one seen."""
    rows = providers(request.user).order_by("code")
    code = request.GET.get("penyelenggara", "").strip()
    if code:
        rows = rows.filter(code=code)
    return rows


@needs(*READERS)
def books(request):
    form, month = _month(request)
    rows = providers(request.user).order_by("code")
    return render(
        request,
        "insurance/books.html",
        {
            "title": _("Buku penyelenggara Askesos"),
            "form": form,
            "month": month,
            "books": reports.books_side_by_side(rows, month),
            "query": f"bulan={month:%Y-%m}",
        },
    )


@needs(*READERS)
def book_detail(request, uid):
    provider = get_for_user_or_404(request, providers(request.user), uid=uid)
    form, month = _month(request)
    return render(
        request,
        "insurance/book_detail.html",
        {
            "title": _("Buku %(name)s") % {"name": provider.name},
            "provider": provider,
            "form": form,
            "month": month,
            "book": reports.provider_month(provider, month),
            "query": f"bulan={month:%Y-%m}&penyelenggara={provider.code}",
        },
    )


@needs(*READERS)
def books_xlsx(request):
    _form, month = _month(request)
    found = reports.books_side_by_side(_chosen(request), month)
    record_access(request, AccessLog.Kind.EXPORT, detail=f"askesos books {month:%Y-%m} (xlsx)")
    return private_file_response(
        reports.books_workbook(found, month),
        filename=f"buku-askesos-{month:%Y-%m}.xlsx",
        content_type=XLSX,
    )


@needs(*READERS)
def books_pdf(request):
    _form, month = _month(request)
    found = reports.books_side_by_side(_chosen(request), month)
    record_access(request, AccessLog.Kind.EXPORT, detail=f"askesos books {month:%Y-%m} (pdf)")
    return private_file_response(
        reports.books_pdf(
            found,
            month,
            area_code=request.user.scope_code or "",
            printed_by=request.user.get_full_name() or request.user.username,
        ),
        filename=f"buku-askesos-{month:%Y-%m}.pdf",
        content_type="application/pdf",
    )
