"""Data-subject request pages: the list (with the overdue ones), a new request from a person's
page, and one request with its clocks, the check of what must be kept, and each step's form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.accounts.roles import Cap
from pandu.core.access import deny, get_for_user_or_404
from pandu.core.files import private_file_response
from pandu.core.forms import add_action_errors
from pandu.core.lists import build_list
from pandu.registry.models import Person

from .. import actions, deadlines, export
from .. import choices as c
from ..capabilities import PCap
from ..filtersets import RequestFilterSet
from ..forms import (
    AssignForm,
    DecideForm,
    IdentityForm,
    NoteForm,
    OutcomeForm,
    ProposeForm,
    ReasonForm,
    RequestForm,
)
from ..holds import holds_for
from ..tables import RequestTable
from ._common import form_errors, needs, refused, requests_of


@needs(PCap.HANDLE)
def request_list(request):
    page = build_list(
        request,
        requests_of(request.user).order_by("due_on", "-id"),
        RequestTable,
        filterset_class=RequestFilterSet,
    )
    return render(
        request,
        "privacy/request_list.html",
        {
            "title": _("Permintaan subjek data"),
            "table": page.table,
            "filter": page.filterset,
            "overdue": requests_of(request.user).overdue().count(),
        },
    )


@needs(PCap.HANDLE)
@require_http_methods(["GET", "POST"])
def request_create(request, person):
    person = get_for_user_or_404(
        request, Person.objects.visible_to(request.user).select_related("household"), uid=person
    )
    form = RequestForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = actions.receive_request(
                request.user,
                person,
                kind=data["kind"],
                channel=data["channel"],
                requester=data["requester"],
                description=data["description"],
                received_at=data["received_at"],
                requester_name=data["requester_name"],
                requester_relationship=data["requester_relationship"],
                contact=data["contact"],
                changes=form.changes(),
                identity_method=data["identity_method"],
                identity_note=data["identity_note"],
            )
        except PermissionDenied:
            deny(request, "request refused", person)
        except ValidationError as exc:
            add_action_errors(form, _on_correction_fields(form, exc))
        else:
            messages.success(request, _("Permintaan %(number)s dicatat.") % {"number": req.number})
            return redirect("privacy:request_detail", uid=req.uid)
    return render(
        request,
        "privacy/request_form.html",
        {
            "title": _("Permintaan subjek data: %(name)s") % {"name": person.full_name},
            "form": form,
            "person": person,
            "ack_hours": deadlines.ack_hours(),
        },
    )


def _on_correction_fields(form, exc: ValidationError) -> ValidationError:
    """The registry's field names of a refused correction are the form's ``fix_`` fields."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {
            f"fix_{name}"
            if name not in form.fields and f"fix_{name}" in form.fields
            else name: errs
            for name, errs in exc.error_dict.items()
        }
    )


def _changes(req) -> list[dict]:
    person = req.person
    rows = []
    for name, value in (req.changes or {}).items():
        field = person._meta.get_field(name)
        shown = dict(field.choices).get(value, value) if field.choices else value
        current = (
            getattr(person, f"get_{name}_display")() if field.choices else getattr(person, name)
        )
        state = (
            _("sudah diperbaiki")
            if name in req.applied_fields
            else _("diteruskan ke pemutakhiran desa")
            if name in req.routed_fields
            else _("belum")
        )
        rows.append(
            {
                "label": field.verbose_name,
                "asked": shown,
                "current": current,
                "state": state,
                "verified": name in actions.verified_fields(),
            }
        )
    return rows


@needs(PCap.HANDLE)
def request_detail(request, uid):
    user = request.user
    req = get_for_user_or_404(request, requests_of(user), uid=uid)
    handling = req.status == c.RequestStatus.IN_PROGRESS
    early = req.status in (c.RequestStatus.RECEIVED, c.RequestStatus.ACKNOWLEDGED)
    holds = holds_for(req.person) if req.needs_approval and req.is_open else []
    now = timezone.now()
    return render(
        request,
        "privacy/request_detail.html",
        {
            "title": _("Permintaan %(number)s") % {"number": req.number},
            "req": req,
            "ack_state": deadlines.state(
                req.ack_due, done=req.acknowledged_at is not None, now=now
            ),
            "ack_left": deadlines.left_text(
                req.ack_due, done=req.acknowledged_at is not None or not req.is_open, now=now
            ),
            "due_end": deadlines.end_of_day(req.due_on),
            "due_state": deadlines.state(
                deadlines.end_of_day(req.due_on), done=not req.is_open, now=now
            ),
            "due_left": deadlines.left_text(
                deadlines.end_of_day(req.due_on), done=not req.is_open, now=now
            ),
            "changes": _changes(req),
            "holds": holds,
            "ack_form": NoteForm(prefix="ack") if early and req.acknowledged_at is None else None,
            "identity_form": IdentityForm(prefix="id") if early else None,
            "assign_form": AssignForm(
                prefix="as",
                handlers=actions.handlers_for(req),
                initial={"assignee": req.assignee_id},
            )
            if req.is_open
            else None,
            "may_export": handling and req.kind == c.RequestKind.ACCESS,
            "export_blocked": handling
            and req.kind == c.RequestKind.ACCESS
            and export.has_sensitive(req.person)
            and not user.can(Cap.VIEW_SENSITIVE),
            "may_correct": handling
            and req.kind == c.RequestKind.CORRECTION
            and bool(set(req.changes) - set(req.applied_fields) - set(req.routed_fields)),
            "review_form": ReasonForm(prefix="rv")
            if handling and req.kind == c.RequestKind.OBJECTION and req.appeal_id is None
            else None,
            "propose_form": ProposeForm(
                prefix="pr", allowed=actions.requests.ALLOWED_OUTCOMES[req.kind]
            )
            if handling and req.needs_approval
            else None,
            "decide_form": DecideForm(prefix="dc")
            if req.status == c.RequestStatus.AWAITING_APPROVAL
            and user.can(PCap.APPROVE)
            and req.proposed_by_id != user.pk
            else None,
            "complete_form": OutcomeForm(prefix="ok")
            if handling and not req.needs_approval
            else None,
            "refuse_form": ReasonForm(prefix="rf")
            if req.is_open and not req.needs_approval
            else None,
            "withdraw_form": ReasonForm(prefix="wd") if req.is_open else None,
            "history": req.history.select_related("history_user").order_by("-history_id")[:50],
        },
    )


def _said(request, exc: ValidationError | PermissionDenied) -> None:
    """A refusal after the request was found in the user's scope: the user may see the
    request, so a rule of another app (the registry's, targeting's) is said, not hidden."""
    if isinstance(exc, ValidationError):
        refused(request, exc)
    else:
        messages.error(request, " ".join(str(a) for a in exc.args) or _("Anda tidak berwenang."))


def _step(request, uid, form_class, prefix, run, done_message, *, action="change", **form_kwargs):
    """A POSTed step of a request: its form parsed, its action run, back to the request."""
    req = get_for_user_or_404(request, requests_of(request.user, action), uid=uid)
    form = form_class(request.POST, prefix=prefix, **form_kwargs)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("privacy:request_detail", uid=req.uid)
    try:
        run(req, form.cleaned_data)
    except (PermissionDenied, ValidationError) as exc:
        _said(request, exc)
    else:
        messages.success(request, done_message)
    return redirect("privacy:request_detail", uid=req.uid)


@needs(PCap.HANDLE)
@require_POST
def request_acknowledge(request, uid):
    return _step(
        request, uid, NoteForm, "ack",
        lambda req, d: actions.acknowledge_request(request.user, req, note=d["note"]),
        _("Tanda terima dicatat."),
    )  # fmt: skip


@needs(PCap.HANDLE)
@require_POST
def request_identity(request, uid):
    return _step(
        request, uid, IdentityForm, "id",
        lambda req, d: actions.check_identity(
            request.user, req, method=d["method"], verified=d["verified"], note=d["note"]
        ),
        _("Pemeriksaan identitas dicatat."),
    )  # fmt: skip


@needs(PCap.HANDLE)
@require_POST
def request_assign(request, uid):
    req = get_for_user_or_404(request, requests_of(request.user, "change"), uid=uid)
    return _step(
        request, uid, AssignForm, "as",
        lambda req, d: actions.assign_request(request.user, req, d["assignee"]),
        _("Petugas ditetapkan."),
        handlers=actions.handlers_for(req),
    )  # fmt: skip


@needs(PCap.HANDLE)
@require_POST
def request_correct(request, uid):
    req = get_for_user_or_404(request, requests_of(request.user, "change"), uid=uid)
    try:
        actions.apply_correction(request.user, req)
    except (PermissionDenied, ValidationError) as exc:
        _said(request, exc)
    else:
        messages.success(request, _("Perbaikan diterapkan atau diteruskan."))
    return redirect("privacy:request_detail", uid=req.uid)


@needs(PCap.HANDLE)
@require_POST
def request_review(request, uid):
    return _step(
        request, uid, ReasonForm, "rv",
        lambda req, d: actions.open_objection_review(request.user, req, reason=d["reason"]),
        _("Peninjauan oleh petugas dibuka."),
    )  # fmt: skip


@needs(PCap.HANDLE)
@require_POST
def request_propose(request, uid):
    return _step(
        request, uid, ProposeForm, "pr",
        lambda req, d: actions.propose_outcome(
            request.user, req, outcome=d["outcome"], reason=d["reason"]
        ),
        _("Usulan dikirim untuk disetujui."),
    )  # fmt: skip


@needs(PCap.APPROVE)
@require_POST
def request_decide(request, uid):
    return _step(
        request, uid, DecideForm, "dc",
        lambda req, d: actions.decide_proposal(
            request.user, req, approve=d["decision"] == "approve", note=d["note"]
        ),
        _("Keputusan dicatat."),
        action="approve",
    )  # fmt: skip


@needs(PCap.HANDLE)
@require_POST
def request_complete(request, uid):
    return _step(
        request, uid, OutcomeForm, "ok",
        lambda req, d: actions.complete_request(request.user, req, outcome=d["outcome"]),
        _("Permintaan selesai."),
    )  # fmt: skip


@needs(PCap.HANDLE)
@require_POST
def request_refuse(request, uid):
    return _step(
        request, uid, ReasonForm, "rf",
        lambda req, d: actions.refuse_request(request.user, req, reason=d["reason"]),
        _("Permintaan ditolak."),
    )  # fmt: skip


@needs(PCap.HANDLE)
@require_POST
def request_withdraw(request, uid):
    return _step(
        request, uid, ReasonForm, "wd",
        lambda req, d: actions.withdraw_request(request.user, req, reason=d["reason"]),
        _("Permintaan dibatalkan."),
    )  # fmt: skip


@needs(PCap.HANDLE)
def request_export(request, uid, fmt):
    """The copy of the person's data, as PDF or JSON (a download, logged as an export)."""
    req = get_for_user_or_404(request, requests_of(request.user, "change"), uid=uid)
    if fmt not in ("pdf", "json"):
        deny(request, "unknown export format", req)
    try:
        data = actions.record_export(request.user, req, fmt)
    except (ValidationError, PermissionDenied) as exc:
        _said(request, exc)
        return redirect("privacy:request_detail", uid=req.uid)
    name = f"salinan-data-{req.number}.{fmt}"
    if fmt == "json":
        return private_file_response(
            export.as_json(data), filename=name, content_type="application/json"
        )
    return private_file_response(
        export.person_pdf(req.person, data), filename=name, content_type="application/pdf"
    )


@needs(PCap.HANDLE)
@require_POST
def restriction_lift(request, uid):
    from ..models import Restriction

    restriction = get_for_user_or_404(
        request, Restriction.objects.restrict(request.user, "change"), uid=uid
    )
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            actions.lift_restriction(request.user, restriction, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Pembatasan dicabut."))
    else:
        form_errors(request, form)
    return redirect("privacy:person", uid=restriction.person.uid)
