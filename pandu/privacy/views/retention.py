"""Retention pages: the records past their period waiting for a decision, one review with the
record and what must still be kept, the rules, and a check started by hand."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import deny, get_for_user_or_404
from pandu.core.forms import add_action_errors
from pandu.core.jobs import TooManyJobs, enqueue
from pandu.core.lists import build_list

from .. import actions
from .. import choices as c
from ..capabilities import PCap
from ..filtersets import ReviewFilterSet, RuleFilterSet
from ..forms import ReviewForm, RuleForm
from ..models import RetentionReview, RetentionRule
from ..retention import record_of
from ..tables import ReviewTable, RuleTable
from ._common import needs, refused


def _reviews(user, action: str = "view"):
    return RetentionReview.objects.restrict(user, action).select_related("rule", "decided_by")


@needs(PCap.RETENTION)
def review_list(request):
    qs = _reviews(request.user)
    if not request.GET:
        qs = qs.pending()
    page = build_list(
        request, qs.order_by("due_since", "id"), ReviewTable, filterset_class=ReviewFilterSet
    )
    return render(
        request,
        "privacy/review_list.html",
        {"title": _("Tinjauan masa simpan"), "table": page.table, "filter": page.filterset},
    )


def _describe(review: RetentionReview) -> list[tuple[str, str]]:
    """What the reviewer needs to decide: which record, when it ended; no more of its data."""
    record = record_of(review.kind, review.record_id)
    if record is None:
        return [(_("Data"), _("sudah tidak ada"))]
    rows = [(_("Jenis data"), review.get_kind_display())]
    if review.kind == c.RecordKind.PERSON_INACTIVE:
        rows += [
            (_("Nama"), record.full_name),
            (_("Status"), f"{record.get_status_display()} · {record.status_date or '—'}"),
        ]
    elif review.kind == c.RecordKind.INTAKE_CLOSED:
        rows += [(_("Nomor tiket"), record.ticket_number), (_("Nama"), record.name)]
    elif review.kind == c.RecordKind.CONSENT_ENDED:
        rows += [(_("Persetujuan"), str(record)), (_("Penduduk"), record.person.full_name)]
    else:
        rows += [(_("Nomor permintaan"), record.number), (_("Penduduk"), record.person.full_name)]
    return rows


@needs(PCap.RETENTION)
@require_http_methods(["GET", "POST"])
def review_detail(request, uid):
    review = get_for_user_or_404(request, _reviews(request.user), uid=uid)
    pending = review.status == c.ReviewStatus.PENDING
    form = ReviewForm(request.POST or None) if pending else None
    if request.method == "POST":
        if not pending:
            messages.error(request, _("Tinjauan ini sudah diputuskan."))
            return redirect("privacy:review_detail", uid=review.uid)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.decide_review(
                    request.user,
                    review,
                    keep=data["decision"] == "keep",
                    reason=data["reason"],
                    keep_until=data["keep_until"],
                )
            except PermissionDenied:
                deny(request, "review refused", review)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Keputusan dicatat."))
                return redirect("privacy:review_list")
    return render(
        request,
        "privacy/review_detail.html",
        {
            "title": _("Tinjauan masa simpan"),
            "review": review,
            "rows": _describe(review),
            "holds": actions.review_holds(review) if pending else [],
            "form": form,
            "history": review.history.select_related("history_user").order_by("-history_id"),
        },
    )


@needs(PCap.RETENTION)
@require_POST
def review_scan(request):
    """The periodic check, started now (a background job the user can watch)."""
    try:
        job = enqueue(
            "privacy.retention_review",
            user=request.user,
            area_code=request.user.scope_code or "",
            title=_("Pemeriksaan masa simpan"),
        )
    except TooManyJobs as exc:
        refused(request, exc)
        return redirect("privacy:review_list")
    return redirect("core:job_detail", uid=job.uid)


@needs(PCap.RETENTION)
def rule_list(request):
    page = build_list(
        request,
        RetentionRule.objects.visible_to(request.user).order_by("kind", "area_code"),
        RuleTable,
        filterset_class=RuleFilterSet,
    )
    return render(
        request,
        "privacy/rule_list.html",
        {"title": _("Ketentuan masa simpan"), "table": page.table, "filter": page.filterset},
    )


@needs(PCap.RETENTION)
@require_http_methods(["GET", "POST"])
def rule_create(request):
    form = RuleForm(request.POST or None, initial={"area_code": request.user.scope_code or ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.in_scope(data["area_code"]):
            form.add_error("area_code", _("Wilayah ini di luar wilayah kerja Anda."))
        else:
            try:
                actions.save_rule(request.user, **data)
            except PermissionDenied:
                deny(request, "retention rule refused")
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Ketentuan masa simpan disimpan."))
                return redirect("privacy:rule_list")
    return render(
        request,
        "privacy/simple_form.html",
        {
            "title": _("Ketentuan masa simpan wilayah"),
            "intro": _(
                "Ketentuan wilayah menggantikan ketentuan nasional untuk jenis data yang sama di "
                "wilayah itu. Ketentuan yang sama untuk wilayah yang sama diperbarui."
            ),
            "form": form,
            "submit": _("Simpan"),
            "back_url": reverse("privacy:rule_list"),
        },
    )
