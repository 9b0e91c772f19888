"""The targeting-accuracy report (ketepatan sasaran): the findings of a programme's KPM for an
area and a period, each area one level down, each finding's families with their reasons, the
whole as a workbook or one finding at a time; and the overlapping programmes it reads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import deny, get_for_user_or_404, record_access
from pandu.core.files import private_file_response
from pandu.core.lists import build_list
from pandu.core.models import AccessLog
from pandu.targeting.capabilities import TCap

from .. import accuracy, actions
from ..capabilities import PCap
from ..forms import AccuracyForm, OverlapEndForm, OverlapForm, accuracy_subject
from ..models import ProgrammeOverlap
from ..tables import AccuracyFamilyTable, AccuracyKpmTable
from ._common import form_errors, needs, refused

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Up to this many families a workbook is written while the reader waits; beyond, by a job.
DIRECT_ROWS = 10_000


def _subject(request) -> tuple[AccuracyForm, accuracy.Subject | None]:
    return accuracy_subject(request, request.GET)


def _query(subject: accuracy.Subject, area: str | None = None) -> str:
    """The query string of ``subject`` (for ``area`` instead of its own, if given)."""
    q = QueryDict(mutable=True)
    area = subject.area if area is None else area
    if subject.cycle is not None:
        q["cycle"] = str(subject.cycle.uid)
    else:
        q["programme"] = subject.programme.code
        q["start"] = subject.start.isoformat()
        q["end"] = subject.end.isoformat()
    if area:
        q["area"] = area
    return q.urlencode()


def _filename(subject: accuracy.Subject, what: str) -> str:
    area = subject.area.replace(".", "") or "indonesia"
    return (
        f"ketepatan-sasaran-{subject.programme.code}-{area}-{what}-"
        f"{subject.start:%Y%m%d}-{subject.end:%Y%m%d}.xlsx"
    )


@needs(PCap.ENROLMENT_VIEW)
def accuracy_report(request):
    user = request.user
    form, subject = _subject(request)
    report = accuracy.compute(subject) if subject is not None else None
    rows = [
        {"row": row, "query": _query(report.subject, row.code), "cells": row.cells()}
        for row in (report.rows if report is not None else [])
    ]
    return render(
        request,
        "programs/accuracy/report.html",
        {
            "title": _("Ketepatan sasaran"),
            "form": form,
            "report": report,
            "rows": rows,
            "query": _query(subject) if subject else "",
            "may_see_runs": user.can(TCap.VIEW),
        },
    )


def _figure(request, figure: str) -> accuracy.Figure:
    found = accuracy.BY_KEY.get(figure)
    if found is None:
        deny(request, f"accuracy: unknown finding {figure[:30]}")
    return found


@needs(PCap.ENROLMENT_VIEW)
def accuracy_figure(request, figure):
    found = _figure(request, figure)
    form, subject = _subject(request)
    context = {"title": found.label, "figure": found, "form": form, "subject": subject}
    if subject is None:
        return render(request, "programs/accuracy/figure.html", context)
    table = AccuracyFamilyTable if found.key == accuracy.EXCLUSION else AccuracyKpmTable
    with accuracy.no_jit():
        page = build_list(request, accuracy.ordered(subject, found.key), table)
        records = page.rows
        for record, line in zip(records, accuracy.lines(subject, found.key, records), strict=True):
            record.line = line
    context.update(
        {
            "table": page.table,
            "area_name": accuracy.area_name(subject.area),
            "query": _query(subject),
        }
    )
    return render(request, "programs/accuracy/figure.html", context)


def _back_to_report(request, form) -> object:
    form_errors(request, form)
    return redirect(f"{reverse('programs:accuracy_report')}?{request.GET.urlencode()}")


@needs(PCap.ENROLMENT_VIEW)
def accuracy_xlsx(request):
    form, subject = _subject(request)
    if subject is None:
        return _back_to_report(request, form)
    report = accuracy.compute(subject)
    rows = sum(report.total.counts.values())
    if rows > DIRECT_ROWS:
        return _in_background(request, subject, "", rows)
    data = accuracy.report_workbook(report)
    record_access(
        request,
        AccessLog.Kind.EXPORT,
        None,
        detail=f"accuracy report {subject.programme.code} {subject.area or '*'} "
        f"{subject.start}..{subject.end}",
    )
    return private_file_response(data, filename=_filename(subject, "lengkap"), content_type=XLSX)


@needs(PCap.ENROLMENT_VIEW)
def accuracy_figure_xlsx(request, figure):
    found = _figure(request, figure)
    form, subject = _subject(request)
    if subject is None:
        return _back_to_report(request, form)
    with accuracy.no_jit():
        rows = accuracy.families_with(subject, found.key).count()
    if rows > DIRECT_ROWS:
        return _in_background(request, subject, found.key, rows)
    data = accuracy.figure_workbook(subject, found.key)
    record_access(
        request,
        AccessLog.Kind.EXPORT,
        None,
        detail=f"accuracy {found.key} {subject.programme.code} {subject.area or '*'} "
        f"{subject.start}..{subject.end}",
    )
    return private_file_response(data, filename=_filename(subject, found.key), content_type=XLSX)


def _in_background(request, subject: accuracy.Subject, finding: str, rows: int):
    """A long workbook is written by a job; the reader follows it on the job's page."""
    from pandu.core import jobs

    from ..tasks import ACCURACY_WORKBOOK

    params = {
        "programme": subject.programme.code,
        "area": subject.area,
        "start": subject.start.isoformat(),
        "end": subject.end.isoformat(),
        "cycle": str(subject.cycle.uid) if subject.cycle is not None else "",
        "finding": finding,
        "filename": _filename(subject, finding or "lengkap"),
    }
    title = _("Ketepatan sasaran %(programme)s %(area)s") % {
        "programme": subject.programme.code,
        "area": accuracy.area_name(subject.area),
    }
    try:
        job = jobs.enqueue(
            ACCURACY_WORKBOOK, user=request.user, params=params, area_code=subject.area, title=title
        )
    except jobs.TooManyJobs as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect(f"{reverse('programs:accuracy_report')}?{_query(subject)}")
    messages.info(
        request,
        _("Laporan ini memuat %(n)s keluarga; berkasnya disiapkan di latar belakang.")
        % {"n": rows},
    )
    return redirect("core:job_detail", uid=job.uid)


# --- Overlapping programmes -------------------------------------------------------------------


@needs(PCap.ENROLMENT_VIEW)
@require_http_methods(["GET", "POST"])
def overlap_list(request):
    user = request.user
    may_manage = user.can(PCap.ENROLMENT_MANAGE)
    form = OverlapForm(request.POST or None, user=user) if may_manage else None
    if request.method == "POST":
        if form is None:
            deny(request, "overlap change without the capability")
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.set_overlap(
                    user, data["programme"], data["other"], data["area"], data["note"]
                )
            except PermissionDenied:
                form.add_error("area", _("Wilayah ini di luar wilayah kerja Anda."))
            except ValidationError as exc:
                for text in exc.messages:
                    form.add_error(None, text)
            else:
                messages.success(request, _("Pasangan program tumpang tindih disimpan."))
                return redirect("programs:overlap_list")
    pairs = (
        ProgrammeOverlap.objects.visible_to(user)
        .select_related("programme", "other", "area")
        .order_by("-active", "programme__code", "other__code", "area_id")
    )
    manageable = ProgrammeOverlap.objects.restrict(user, "manage").active()
    if user.scope_code != "":
        manageable = manageable.filter(area__isnull=False)
    return render(
        request,
        "programs/accuracy/overlaps.html",
        {
            "title": _("Program tumpang tindih"),
            "pairs": pairs[:500],
            "form": form,
            "may_end": set(manageable.values_list("pk", flat=True)) if may_manage else set(),
        },
    )


@needs(PCap.ENROLMENT_MANAGE)
@require_POST
def overlap_end(request, uid):
    user = request.user
    pair = get_for_user_or_404(request, ProgrammeOverlap.objects.restrict(user, "manage"), uid=uid)
    form = OverlapEndForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("programs:overlap_list")
    try:
        actions.end_overlap(user, pair, form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Pasangan program tumpang tindih diakhiri."))
    return redirect("programs:overlap_list")
