"""The page of one item: verification, decision, conflict resolution, application."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.accounts.roles import Cap
from pandu.core.access import deny, require
from pandu.core.files import private_file_response
from pandu.core.middleware import permissions_policy
from pandu.registry.history import history_entries
from pandu.registry.models import Household, Person

from .. import actions
from .. import payloads as p
from ..forms import DecisionForm, PlanVisitForm, ResolveForm, VerifyForm
from ..models import (
    OPEN_STATUSES,
    BatchStatus,
    HandoverStatus,
    ItemStatus,
    MemberResult,
    ProposalItem,
)
from ._common import _apply_errors, _decorate, _item, _items, _subject_name


def _related_items(item: ProposalItem, user) -> list[ProposalItem]:
    """Other proposals on the same people or family, newest first (open and past)."""
    keys = item.subjects.values("key")
    return _decorate(
        _items(user)
        .filter(subjects__key__in=keys)
        .exclude(pk=item.pk)
        .distinct()
        .order_by("-id")[:20]
    )


def _stale_rows(item: ProposalItem, stale: dict) -> list[dict]:
    model = p.target_model(item)
    return [
        {
            "name": name,
            "label": p.field_label(model, name),
            "before": p.display(model, name, v["before"]),
            "current": p.display(model, name, v["current"]),
            "proposed": p.display(model, name, v["proposed"]),
        }
        for name, v in stale.items()
    ]


def _live_stale(item: ProposalItem) -> dict:
    if item.status not in OPEN_STATUSES or not p.proposed_fields(item):
        return {}
    try:
        return actions.stale_fields(item)
    except (Person.DoesNotExist, Household.DoesNotExist):
        return {}


def _timeline(item: ProposalItem) -> list[dict]:
    labels = dict(ItemStatus.choices)
    out = []
    for rec in item.history.select_related("history_user").order_by("history_date", "history_id"):
        out.append(
            {
                "when": rec.history_date,
                "user": rec.history_user.get_username() if rec.history_user else _("sistem"),
                "status": labels.get(rec.status, rec.status),
                "reason": rec.history_change_reason or "",
            }
        )
    return out


def _subject_history(item: ProposalItem, user) -> list[dict] | None:
    """The household's (or person's) history, for the verifier before he knocks."""
    if not user.can(Cap.VIEW_HISTORY):
        return None
    obj = item.household or item.person
    if obj is None:
        return []
    return history_entries(obj, limit=30)


@login_required
def item_detail(request, uid):
    item = _item(request, uid)
    user = request.user
    stale = _live_stale(item)
    in_scope = user.in_scope(item.area_code)
    can_decide = (
        user.can(Cap.DECIDE)
        and in_scope
        and item.batch.status != BatchStatus.DRAFT
        and item.status in (ItemStatus.PENDING, ItemStatus.VERIFIED)
    )
    can_resolve = (
        bool(stale)
        and in_scope
        and item.batch.status != BatchStatus.DRAFT
        and (user.can(Cap.DECIDE) or user.can(Cap.VERIFY))
    )
    handovers = list(item.handovers.select_related("to_village", "from_village").order_by("-id"))
    return render(
        request,
        "proposals/item_detail.html",
        {
            "title": item.get_kind_display(),
            "item": _decorate([item])[0],
            "rows": p.field_rows(item),
            "members": p.member_rows(item),
            "subjects": p.verification_subjects(item),
            "related": _related_items(item, user),
            "stale_rows": _stale_rows(item, stale),
            "timeline": _timeline(item),
            "decision_form": DecisionForm(item=item, stale=stale) if can_decide else None,
            "resolve_form": ResolveForm(item=item, stale=stale)
            if can_resolve and item.status == ItemStatus.APPROVED
            else None,
            "can_verify": user.can(Cap.VERIFY)
            and in_scope
            and item.batch.status != BatchStatus.DRAFT
            and item.status in (ItemStatus.PENDING, ItemStatus.VERIFIED),
            "can_retry": user.can(Cap.DECIDE)
            and in_scope
            and item.status == ItemStatus.APPROVED
            and not stale
            and not any(h.status == HandoverStatus.AWAITING for h in handovers),
            "can_remove": item.batch.status == BatchStatus.DRAFT
            and user.can(Cap.PROPOSE)
            and in_scope,
            "handovers": handovers,
            "result_labels": dict(MemberResult.choices),
        },
    )


@login_required
def item_photo(request, uid):
    item = _item(request, uid)
    if not item.visit_photo:
        raise Http404
    try:
        handle = item.visit_photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    ext = PurePosixPath(item.visit_photo.name).suffix.lower()
    content_type = {".png": "image/png", ".webp": "image/webp"}.get(ext, "image/jpeg")
    return private_file_response(
        handle, filename=f"foto-kunjungan-{item.uid}{ext}", content_type=content_type
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_verify(request, uid):
    """After the visit: a result per person, a note, a photo; big buttons for one thumb."""
    item = _item(request, uid)
    require(request, Cap.VERIFY)
    user = request.user
    stale = _live_stale(item)
    form = VerifyForm(request.POST or None, request.FILES or None, item=item, stale=stale)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.verify_item(
                user,
                item,
                results=form.results(),
                note=data.get("note", ""),
                visited=data.get("visited", False),
                photo=data.get("photo") or None,
                resolutions=form.stale_choices() or None,
                location=actions.VisitLocation(
                    latitude=data.get("latitude"),
                    longitude=data.get("longitude"),
                    accuracy=data.get("accuracy"),
                    taken_at=data.get("located_at"),
                ),
            )
        except (ValidationError, PermissionDenied) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Hasil kunjungan untuk %(name)s disimpan.") % {"name": _subject_name(item)},
            )
            return redirect("proposals:verify_queue")
    response = render(
        request,
        "proposals/verify.html",
        {
            "title": _("Verifikasi lapangan"),
            "item": _decorate([item])[0],
            "form": form,
            "rows": p.field_rows(item),
            "members": p.member_rows(item),
            "stale_rows": _stale_rows(item, stale),
            "related": _related_items(item, user),
            "history": _subject_history(item, user),
            "household": item.household,
        },
    )
    # The "Catat lokasi saya" button asks the browser for the phone's position on this page only.
    response["Permissions-Policy"] = permissions_policy(allow=("geolocation",))
    return response


@login_required
@require_POST
def item_plan(request, uid):
    item = _item(request, uid)
    require(request, Cap.VERIFY)
    form = PlanVisitForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            item = actions.plan_visit(request.user, item, form.cleaned_data.get("on"))
        except (ValidationError, PermissionDenied) as exc:
            error = " ".join(actions._messages(exc))
    else:
        error = _("Tanggal tidak sah.")
    if request.htmx:
        return render(request, "proposals/_plan.html", {"item": item, "error": error})
    if error:
        messages.error(request, error)
    return redirect("proposals:verify_queue")


def _decision_message(request, item: ProposalItem) -> None:
    if item.status == ItemStatus.APPLIED:
        messages.success(request, _("Usulan disetujui dan sudah masuk registri."))
    elif item.status == ItemStatus.REJECTED:
        messages.success(request, _("Usulan ditolak; alasannya dapat dilihat pengusul."))
    elif item.handovers.filter(status=HandoverStatus.AWAITING).exists():
        messages.info(request, _("Usulan disetujui; menunggu penerimaan daerah tujuan."))
    else:
        messages.warning(
            request,
            _("Usulan disetujui tetapi belum masuk registri: %(error)s")
            % {"error": item.apply_error},
        )


@login_required
@require_POST
def item_decide(request, uid):
    item = _item(request, uid)
    require(request, Cap.DECIDE)
    stale = _live_stale(item)
    form = DecisionForm(request.POST, item=item, stale=stale)
    if form.is_valid():
        try:
            item = actions.decide_item(
                request.user,
                item,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data.get("reason", ""),
                resolutions=form.stale_choices() or None,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(actions._messages(exc)))
        else:
            _decision_message(request, item)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("proposals:item_detail", uid=item.uid)


@login_required
@require_POST
def item_resolve(request, uid):
    item = _item(request, uid)
    if not (request.user.can(Cap.DECIDE) or request.user.can(Cap.VERIFY)):
        deny(request, "role may not resolve conflicts")
    stale = _live_stale(item)
    form = ResolveForm(request.POST, item=item, stale=stale)
    if form.is_valid():
        try:
            item = actions.resolve_conflict(request.user, item, form.stale_choices())
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(actions._messages(exc)))
        else:
            if item.status == ItemStatus.APPLIED or item.apply_error:
                _decision_message(request, item)
            else:
                messages.success(request, _("Pilihan nilai disimpan."))
    else:
        messages.error(request, _("Pilih nilai untuk setiap isian yang berbeda."))
    return redirect("proposals:item_detail", uid=item.uid)


@login_required
@require_POST
def item_apply(request, uid):
    item = _item(request, uid)
    require(request, Cap.DECIDE)
    try:
        item = actions.apply_item(request.user, item)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(actions._messages(exc)))
    else:
        _decision_message(request, item)
    return redirect("proposals:item_detail", uid=item.uid)
