"""Claims: the list, filing from the member's page (with documents), and a claim's page with the
automatic check, the review, the payout and its receipt. A claim names an illness or an
accident (health data): every opening of its page is written to the access log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.core.access import deny, get_for_user_or_404, record_access
from pandu.core.files import private_file_response
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list
from pandu.core.models import AccessLog
from pandu.core.templatetags.pandu import rupiah
from pandu.services.capabilities import SCap
from pandu.services.models import ServicePoint

from .. import actions, printing
from ..choices import REQUIRED_DOCUMENTS, ClaimStatus, DocumentKind, EventType
from ..filtersets import ClaimFilterSet
from ..forms import ClaimDecisionForm, ClaimForm, ClaimPayForm, DocumentForm, FamilyCaseForm
from ..models import ClaimDocument
from ..tables import ClaimTable
from ._common import READERS, WORKERS, claims, form_page, may_work, members, needs


@needs(*READERS)
def claim_list(request):
    page = build_list(request, claims(request.user), ClaimTable, filterset_class=ClaimFilterSet)
    return render(
        request,
        "insurance/list.html",
        {"title": _("Klaim Askesos"), "table": page.table, "filter": page.filterset, "links": []},
    )


def _required_text() -> list[tuple[str, str]]:
    """Which documents each event needs, for the filing form."""
    out = []
    for event, groups in REQUIRED_DOCUMENTS.items():
        names = [" / ".join(str(DocumentKind(k).label) for k in group) for group in groups]
        out.append((str(EventType(event).label), ", ".join(names)))
    return out


@needs(*WORKERS)
@require_http_methods(["GET", "POST"])
def claim_file(request, uid):
    user = request.user
    membership = get_for_user_or_404(request, members(user, "work"), uid=uid)
    form = ClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = actions.file_claim(
                user,
                membership,
                event_type=data["event_type"],
                event_date=data["event_date"],
                amount_claimed=data.get("amount_claimed"),
                description=data["description"],
                documents=form.documents(),
            )
        except PermissionDenied:
            deny(request, "claim refused", membership)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if claim.status == ClaimStatus.REJECTED:
                messages.warning(
                    request,
                    _("Klaim %(number)s dicatat tetapi ditolak pemeriksaan otomatis.")
                    % {"number": claim.number},
                )
            elif claim.status == ClaimStatus.REVIEW:
                messages.info(
                    request,
                    _("Klaim %(number)s dicatat dan menunggu tinjauan petugas lain.")
                    % {"number": claim.number},
                )
            else:
                messages.success(
                    request,
                    _("Klaim %(number)s disetujui otomatis: %(amount)s.")
                    % {"number": claim.number, "amount": rupiah(claim.amount_approved)},
                )
            return redirect("insurance:claim_detail", uid=claim.uid)
    return form_page(
        request,
        form,
        _("Ajukan klaim untuk %(number)s") % {"number": membership.number},
        back_url=reverse("insurance:member_detail", args=[membership.uid]),
        intro=_("%(name)s · skema %(scheme)s")
        % {"name": membership.person.full_name, "scheme": membership.scheme.name},
        submit=_("Ajukan klaim"),
        required_documents=_required_text(),
    )


def _claim_work(user, claim) -> bool:
    return may_work(user) and claims(user, "work").filter(pk=claim.pk).exists()


@needs(*READERS)
def claim_detail(request, uid):
    user = request.user
    claim = get_for_user_or_404(request, claims(user), uid=uid)
    record_access(request, AccessLog.Kind.VIEW_SENSITIVE, claim, detail="askesos claim")
    work = _claim_work(user, claim)
    filed_by_me = claim.filed_by_id == user.pk
    decide = work and claim.status == ClaimStatus.REVIEW and not filed_by_me
    family = (
        work
        and user.can(SCap.INTAKE)
        and claim.event_type == EventType.DEATH
        and claim.status in (ClaimStatus.APPROVED, ClaimStatus.PAID)
        and claim.intake_id is None
    )
    return render(
        request,
        "insurance/claim_detail.html",
        {
            "title": _("Klaim %(number)s") % {"number": claim.number},
            "claim": claim,
            "m": claim.membership,
            "documents": claim.documents.select_related("uploaded_by").order_by("id"),
            "decision_form": ClaimDecisionForm(initial={"amount": int(claim.benefit)})
            if decide
            else None,
            "filed_by_me": work and claim.status == ClaimStatus.REVIEW and filed_by_me,
            "document_form": DocumentForm()
            if work and claim.status in (ClaimStatus.REVIEW, ClaimStatus.APPROVED)
            else None,
            "pay_form": ClaimPayForm() if work and claim.status == ClaimStatus.APPROVED else None,
            "family_form": FamilyCaseForm(points=_points(user)) if family else None,
            "history": claim.history.select_related("history_user").order_by("-history_id")[:20],
        },
    )


def _points(user):
    return ServicePoint.objects.visible_to(user).filter(active=True).order_by("name")


@needs(*WORKERS)
@require_http_methods(["GET", "POST"])
def claim_document_add(request, uid):
    user = request.user
    claim = get_for_user_or_404(request, claims(user, "work"), uid=uid)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_claim_document(
                user, claim, kind=form.cleaned_data["kind"], file=form.cleaned_data["file"]
            )
        except PermissionDenied:
            deny(request, "claim document refused", claim)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Dokumen ditambahkan."))
            return redirect("insurance:claim_detail", uid=claim.uid)
    return form_page(
        request,
        form,
        _("Tambah dokumen klaim %(number)s") % {"number": claim.number},
        back_url=reverse("insurance:claim_detail", args=[claim.uid]),
    )


@needs(*READERS)
def claim_document(request, uid):
    document = get_for_user_or_404(
        request, ClaimDocument.objects.visible_to(request.user).select_related("claim"), uid=uid
    )
    record_access(
        request, AccessLog.Kind.VIEW_SENSITIVE, document.claim, detail="askesos claim document"
    )
    return private_file_response(document.file.open("rb"), filename=document.file_name)


@needs(*WORKERS)
@require_http_methods(["GET", "POST"])
def claim_decide(request, uid):
    user = request.user
    claim = get_for_user_or_404(request, claims(user, "work"), uid=uid)
    form = ClaimDecisionForm(request.POST or None, initial={"amount": int(claim.benefit)})
    if request.method == "POST" and form.is_valid():
        try:
            decided = actions.decide_claim(user, claim, **form.cleaned_data)
        except PermissionDenied:
            deny(request, "claim decision refused", claim)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if decided.status == ClaimStatus.APPROVED:
                messages.success(request, _("Klaim disetujui."))
            else:
                messages.success(request, _("Klaim ditolak."))
            return redirect("insurance:claim_detail", uid=claim.uid)
    return form_page(
        request,
        form,
        _("Putuskan klaim %(number)s") % {"number": claim.number},
        back_url=reverse("insurance:claim_detail", args=[claim.uid]),
        intro=_("Petugas yang mengajukan klaim tidak dapat memutuskannya."),
    )


@needs(*WORKERS)
@require_http_methods(["GET", "POST"])
def claim_pay(request, uid):
    user = request.user
    claim = get_for_user_or_404(request, claims(user, "work"), uid=uid)
    form = ClaimPayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            paid = actions.pay_claim(user, claim, **form.cleaned_data)
        except PermissionDenied:
            deny(request, "claim payment refused", claim)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Santunan %(amount)s dibayar, kuitansi %(receipt)s.")
                % {"amount": rupiah(paid.amount_approved), "receipt": paid.receipt_number},
            )
            return redirect("insurance:claim_detail", uid=claim.uid)
    return form_page(
        request,
        form,
        _("Bayar santunan klaim %(number)s") % {"number": claim.number},
        back_url=reverse("insurance:claim_detail", args=[claim.uid]),
        intro=_("Nilai disetujui: %(amount)s.") % {"amount": rupiah(claim.amount_approved)},
        submit=_("Catat pembayaran"),
    )


@needs(*READERS)
def claim_receipt(request, uid):
    claim = get_for_user_or_404(request, claims(request.user), uid=uid)
    if claim.status != ClaimStatus.PAID:
        deny(request, "claim not paid", claim)
    return private_file_response(
        printing.claim_receipt_pdf(claim),
        filename=f"kuitansi-klaim-{claim.number}.pdf",
        content_type="application/pdf",
    )


@needs(*WORKERS)
@require_http_methods(["GET", "POST"])
def claim_family_case(request, uid):
    user = request.user
    claim = get_for_user_or_404(request, claims(user, "work"), uid=uid)
    if not user.can(SCap.INTAKE):
        deny(request, "role lacks services.intake", claim)
    form = FamilyCaseForm(request.POST or None, points=_points(user))
    if request.method == "POST" and form.is_valid():
        try:
            intake = actions.open_family_case(
                user, claim, service_point=form.cleaned_data["service_point"]
            )
        except PermissionDenied:
            deny(request, "family case refused", claim)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Layanan terpadu untuk keluarga dibuka: tiket %(ticket)s.")
                % {"ticket": intake.ticket_number},
            )
            return redirect("insurance:claim_detail", uid=claim.uid)
    return form_page(
        request,
        form,
        _("Buka layanan terpadu untuk keluarga %(number)s") % {"number": claim.membership.number},
        back_url=reverse("insurance:claim_detail", args=[claim.uid]),
        intro=_(
            "Keluarga peserta yang meninggal dicatat sebagai permohonan di layanan terpadu "
            "(SLRT/Puskesos) agar kebutuhannya ditangani."
        ),
        submit=_("Buka layanan"),
    )
