"""Providers: the list with the re-accreditation reminders, a provider's page (its body,
accreditation history, staff and schemes), and the Dinas's accreditation of it against the
requirements of seed 001."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core.access import deny, get_for_user_or_404
from pandu.core.files import private_file_response
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list

from .. import actions, clock
from ..capabilities import ICap
from ..choices import AccreditationStatus, Finding
from ..defaults import REACCREDITATION_NOTICE_DAYS
from ..filtersets import ProviderFilterSet
from ..forms import (
    AccreditationOpenForm,
    DecisionForm,
    EvidenceForm,
    ProviderForm,
    ReviewForm,
    RevokeForm,
    StaffLinkForm,
)
from ..models import Accreditation
from ..tables import ProviderTable
from ._common import (
    READERS,
    WORKERS,
    accreditations,
    form_page,
    needs,
    providers,
    refused,
)


def _accredited_until():
    today = clock.today()
    return Subquery(
        Accreditation.objects.filter(
            provider=OuterRef("pk"),
            status=AccreditationStatus.ACCREDITED,
            valid_from__lte=today,
            valid_until__gte=today,
        )
        .order_by("-valid_until")
        .values("valid_until")[:1]
    )


def reaccreditation_due(user, within_days: int = REACCREDITATION_NOTICE_DAYS) -> list[dict]:
    """The active providers the user sees whose last accreditation ends within ``within_days``
    or has already ended, the nearest end first, and whether a new application is under way."""
    today = clock.today()
    rows = (
        providers(user)
        .filter(active=True)
        .annotate(
            accredited_until=Max(
                "accreditations__valid_until",
                filter=Q(accreditations__status=AccreditationStatus.ACCREDITED),
            ),
            reapplied=Exists(
                Accreditation.objects.filter(
                    provider=OuterRef("pk"), status=AccreditationStatus.REVIEW
                )
            ),
        )
        .filter(accredited_until__lte=today + timedelta(days=within_days))
        .order_by("accredited_until", "code")[:DUE_SHOWN]
    )
    out = []
    for provider in rows:
        days = (provider.accredited_until - today).days  # type: ignore[attr-defined]
        out.append(
            {
                "provider": provider,
                "until": provider.accredited_until,  # type: ignore[attr-defined]
                "days": abs(days),
                "ended": days < 0,
                "reapplied": provider.reapplied,  # type: ignore[attr-defined]
            }
        )
    return out


#: At most this many providers in the reminder box (the list below has them all).
DUE_SHOWN = 50


@needs(*READERS)
def provider_list(request):
    user = request.user
    rows = providers(user).annotate(
        accredited_until=_accredited_until(),
        member_count=Count("members", filter=Q(members__status="aktif")),
    )
    page = build_list(request, rows, ProviderTable, filterset_class=ProviderFilterSet)
    return render(
        request,
        "insurance/provider_list.html",
        {
            "title": _("Penyelenggara Askesos"),
            "table": page.table,
            "filter": page.filterset,
            "due": reaccreditation_due(user),
            "links": [(reverse("insurance:provider_create"), _("Penyelenggara baru"))]
            if user.can(ICap.MANAGE)
            else [],
        },
    )


@needs(ICap.MANAGE)
@require_http_methods(["GET", "POST"])
def provider_create(request):
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = actions.create_provider(request.user, **form.cleaned_data)
        except PermissionDenied:
            form.add_error("area", _("Wilayah ini di luar wilayah kerja Anda."))
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request, _("Penyelenggara %(name)s dicatat.") % {"name": provider.name}
            )
            return redirect("insurance:provider_detail", uid=provider.uid)
    return form_page(
        request,
        form,
        _("Penyelenggara Askesos baru"),
        back_url=reverse("insurance:provider_list"),
        intro=_(
            "Lembaga kesejahteraan sosial nirlaba; dicatat juga di daftar lembaga. Sesudah "
            "dicatat, buka permohonan akreditasinya."
        ),
    )


@needs(*READERS)
def provider_detail(request, uid):
    user = request.user
    provider = get_for_user_or_404(request, providers(user), uid=uid)
    today = clock.today()
    manage = user.can(ICap.MANAGE) and providers(user, "manage").filter(pk=provider.pk).exists()
    history = list(
        provider.accreditations.select_related("decided_by")
        .prefetch_related("items")
        .order_by("-applied_on", "-id")
    )
    open_application = any(a.status == AccreditationStatus.REVIEW for a in history)
    schemes = list(provider.schemes.prefetch_related("terms").order_by("name"))
    for scheme in schemes:
        scheme.current = scheme.terms_on(today)  # type: ignore[attr-defined]
    return render(
        request,
        "insurance/provider_detail.html",
        {
            "title": provider.name,
            "provider": provider,
            "org": provider.organisation,
            "in_force": provider.accreditation_on(today),
            "accreditations": history,
            "staff": provider.staff.select_related("user").order_by("-active", "user__username"),
            "schemes": schemes,
            "manage": manage,
            "open_form": AccreditationOpenForm() if manage and not open_application else None,
            "staff_form": StaffLinkForm(user=user) if manage else None,
            "history": provider.history.select_related("history_user").order_by("-history_id")[:20],
        },
    )


@needs(ICap.MANAGE)
@require_http_methods(["GET", "POST"])
def provider_edit(request, uid):
    user = request.user
    provider = get_for_user_or_404(request, providers(user, "manage"), uid=uid)
    form = ProviderForm(
        request.POST or None, initial=ProviderForm.initial_of(provider), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_provider(user, provider, **form.cleaned_data)
        except PermissionDenied:
            form.add_error("area", _("Wilayah ini di luar wilayah kerja Anda."))
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Data penyelenggara disimpan."))
            return redirect("insurance:provider_detail", uid=provider.uid)
    return form_page(
        request,
        form,
        _("Ubah penyelenggara %(name)s") % {"name": provider.name},
        back_url=reverse("insurance:provider_detail", args=[provider.uid]),
    )


# --- Staff ------------------------------------------------------------------------------------


@needs(ICap.MANAGE)
@require_http_methods(["GET", "POST"])
def staff_link(request, uid):
    user = request.user
    provider = get_for_user_or_404(request, providers(user, "manage"), uid=uid)
    form = StaffLinkForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            link = actions.link_staff(
                user,
                provider,
                form.cleaned_data["staff_user"],
                position=form.cleaned_data["position"],
            )
        except PermissionDenied:
            deny(request, "staff link refused", provider)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(user)s kini petugas %(provider)s.")
                % {"user": link.user.username, "provider": provider.name},
            )
            return redirect("insurance:provider_detail", uid=provider.uid)
    return form_page(
        request,
        form,
        _("Tambah petugas %(name)s") % {"name": provider.name},
        back_url=reverse("insurance:provider_detail", args=[provider.uid]),
        intro=_(
            "Petugas penyelenggara melihat dan mengelola peserta, iuran dan klaim lembaga ini."
        ),
    )


@needs(ICap.MANAGE)
@require_POST
def staff_unlink(request, uid, user_uid):
    user = request.user
    provider = get_for_user_or_404(request, providers(user, "manage"), uid=uid)
    link = provider.staff.select_related("user").filter(user__uid=user_uid, active=True).first()
    if link is None:
        raise Http404
    try:
        actions.unlink_staff(user, link)
    except (ValidationError, PermissionDenied) as exc:
        refused(request, exc, provider)
    else:
        messages.success(
            request, _("%(user)s bukan lagi petugas lembaga ini.") % {"user": link.user.username}
        )
    return redirect("insurance:provider_detail", uid=provider.uid)


# --- Accreditation ----------------------------------------------------------------------------


@needs(ICap.MANAGE)
@require_http_methods(["GET", "POST"])
def accreditation_open(request, uid):
    user = request.user
    provider = get_for_user_or_404(request, providers(user, "manage"), uid=uid)
    form = AccreditationOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accreditation = actions.open_accreditation(
                user, provider, applied_on=form.cleaned_data["applied_on"]
            )
        except PermissionDenied:
            deny(request, "accreditation refused", provider)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Permohonan akreditasi dibuka."))
            return redirect("insurance:accreditation_detail", uid=accreditation.uid)
    return form_page(
        request,
        form,
        _("Permohonan akreditasi %(name)s") % {"name": provider.name},
        back_url=reverse("insurance:provider_detail", args=[provider.uid]),
        intro=_("Setiap persyaratan diisi buktinya oleh lembaga, lalu diperiksa Dinas."),
    )


def _may(user, accreditation, action: str) -> bool:
    return accreditations(user, action).filter(pk=accreditation.pk).exists()


@needs(*READERS)
def accreditation_detail(request, uid):
    user = request.user
    accreditation = get_for_user_or_404(request, accreditations(user), uid=uid)
    in_review = accreditation.status == AccreditationStatus.REVIEW
    work = in_review and any(user.can(c) for c in WORKERS) and _may(user, accreditation, "work")
    manage = user.can(ICap.MANAGE) and _may(user, accreditation, "manage")
    items = list(accreditation.items.select_related("reviewed_by").order_by("id"))
    for item in items:
        item.evidence_form = (  # type: ignore[attr-defined]
            EvidenceForm(initial={"evidence": item.evidence}, prefix=item.criterion)
            if work
            else None
        )
        item.review_form = (  # type: ignore[attr-defined]
            ReviewForm(
                initial={
                    "finding": item.finding if item.finding != Finding.PENDING else None,
                    "note": item.reviewer_note,
                },
                prefix=item.criterion,
            )
            if manage and in_review
            else None
        )
    all_met = bool(items) and all(i.finding == Finding.MET for i in items)
    return render(
        request,
        "insurance/accreditation_detail.html",
        {
            "title": _("Akreditasi %(name)s") % {"name": accreditation.provider.name},
            "accreditation": accreditation,
            "provider": accreditation.provider,
            "items": items,
            "all_met": all_met,
            "decision_form": DecisionForm(initial={"accredited": "1" if all_met else "0"})
            if manage and in_review
            else None,
            "revoke_form": RevokeForm()
            if manage and accreditation.status == AccreditationStatus.ACCREDITED
            else None,
            "history": accreditation.history.select_related("history_user").order_by("-history_id")[
                :20
            ],
        },
    )


def _item(accreditation, criterion):
    item = accreditation.items.filter(criterion=criterion).first()
    if item is None:
        raise Http404
    return item


@needs(*WORKERS)
@require_http_methods(["GET", "POST"])
def item_evidence(request, uid, criterion):
    user = request.user
    accreditation = get_for_user_or_404(request, accreditations(user, "work"), uid=uid)
    item = _item(accreditation, criterion)
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        initial={"evidence": item.evidence},
        prefix=criterion,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_evidence(
                user,
                item,
                evidence=form.cleaned_data["evidence"],
                evidence_file=form.cleaned_data.get("evidence_file") or None,
            )
        except PermissionDenied:
            deny(request, "evidence refused", accreditation)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request, _("Bukti %(item)s disimpan.") % {"item": item.get_criterion_display()}
            )
            return redirect(
                reverse("insurance:accreditation_detail", args=[accreditation.uid])
                + f"#item-{criterion}"
            )
    return form_page(
        request,
        form,
        _("Bukti: %(item)s") % {"item": item.get_criterion_display()},
        back_url=reverse("insurance:accreditation_detail", args=[accreditation.uid]),
        intro=accreditation.provider.name,
    )


@needs(*READERS)
def item_file(request, uid, criterion):
    accreditation = get_for_user_or_404(request, accreditations(request.user), uid=uid)
    item = _item(accreditation, criterion)
    if not item.evidence_file:
        raise Http404
    return private_file_response(
        item.evidence_file.open("rb"),
        filename=item.evidence_file.name.rsplit("/", 1)[-1],
    )


@needs(ICap.MANAGE)
@require_http_methods(["GET", "POST"])
def item_review(request, uid, criterion):
    user = request.user
    accreditation = get_for_user_or_404(request, accreditations(user, "manage"), uid=uid)
    item = _item(accreditation, criterion)
    form = ReviewForm(
        request.POST or None,
        initial={"finding": item.finding, "note": item.reviewer_note},
        prefix=criterion,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.review_item(
                user, item, finding=form.cleaned_data["finding"], note=form.cleaned_data["note"]
            )
        except PermissionDenied:
            deny(request, "review refused", accreditation)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Temuan %(item)s disimpan.") % {"item": item.get_criterion_display()},
            )
            return redirect(
                reverse("insurance:accreditation_detail", args=[accreditation.uid])
                + f"#item-{criterion}"
            )
    return form_page(
        request,
        form,
        _("Periksa: %(item)s") % {"item": item.get_criterion_display()},
        back_url=reverse("insurance:accreditation_detail", args=[accreditation.uid]),
        intro=item.evidence or _("Lembaga belum mengisi bukti."),
    )


@needs(ICap.MANAGE)
@require_http_methods(["GET", "POST"])
def accreditation_decide(request, uid):
    user = request.user
    accreditation = get_for_user_or_404(request, accreditations(user, "manage"), uid=uid)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decided = actions.decide_accreditation(user, accreditation, **form.cleaned_data)
        except PermissionDenied:
            deny(request, "accreditation decision refused", accreditation)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if decided.status == AccreditationStatus.ACCREDITED:
                messages.success(request, _("Penyelenggara terakreditasi."))
            else:
                messages.success(request, _("Permohonan akreditasi ditolak."))
            return redirect("insurance:accreditation_detail", uid=accreditation.uid)
    return form_page(
        request,
        form,
        _("Keputusan akreditasi %(name)s") % {"name": accreditation.provider.name},
        back_url=reverse("insurance:accreditation_detail", args=[accreditation.uid]),
        intro=_(
            "Terakreditasi: semua persyaratan memenuhi dan masa berlaku diisi. Ditolak: "
            "pertimbangan wajib diisi."
        ),
    )


@needs(ICap.MANAGE)
@require_http_methods(["GET", "POST"])
def accreditation_revoke(request, uid):
    user = request.user
    accreditation = get_for_user_or_404(request, accreditations(user, "manage"), uid=uid)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.revoke_accreditation(user, accreditation, reason=form.cleaned_data["reason"])
        except PermissionDenied:
            deny(request, "revocation refused", accreditation)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Akreditasi dicabut."))
            return redirect("insurance:accreditation_detail", uid=accreditation.uid)
    return form_page(
        request,
        form,
        _("Cabut akreditasi %(name)s") % {"name": accreditation.provider.name},
        back_url=reverse("insurance:accreditation_detail", args=[accreditation.uid]),
        intro=_("Penyelenggara yang akreditasinya dicabut tidak dapat mendaftarkan peserta baru."),
        submit=_("Cabut akreditasi"),
    )
