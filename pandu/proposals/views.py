"""Proposal pages: batches and their minutes, adding items, the TKSK's visit queue and form, the
administrator's decisions, "my proposals", handovers and the report.

Views only parse input and call ``proposals.actions``. Records are fetched through
``get_for_user_or_404``: outside the user's area (or role) it is a 404 and an access-log row.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.accounts.roles import Cap
from pandu.core.access import get_for_user_or_404, record_access
from pandu.core.forms import add_action_errors
from pandu.core.models import AccessLog
from pandu.regions.models import Area
from pandu.registry.filtersets import search_people
from pandu.registry.forms import HouseholdForm, MemberFormSet, PersonForm
from pandu.registry.history import history_entries
from pandu.registry.models import Household, Person
from pandu.registry.queries import ppks_categories_for

from . import actions
from . import payloads as p
from .forms import (
    BatchFilterForm,
    BatchForm,
    BulkDecisionForm,
    DeathForm,
    DecisionForm,
    HandoverAnswerForm,
    ItemFilterForm,
    ItemReasonForm,
    MinutesForm,
    MoveForm,
    PlanVisitForm,
    PPKSItemForm,
    ReportForm,
    ResolveForm,
    SearchForm,
    VerifyForm,
)
from .models import (
    OPEN_STATUSES,
    BatchStatus,
    Handover,
    HandoverStatus,
    ItemKind,
    ItemStatus,
    ItemSubject,
    MemberResult,
    ProposalBatch,
    ProposalItem,
)
from .permissions import PCap, may, may_see
from .reports import proposal_report, report_xlsx

PAGE_SIZE = 50


# --- Helpers --------------------------------------------------------------------------------


def _deny(request, detail: str):
    """Pages a role may not use are hidden like records outside the area: 404, logged."""
    record_access(request, AccessLog.Kind.DENIED, detail=detail)
    raise Http404


def _need_view(request) -> None:
    if not may_see(request.user):
        _deny(request, "role may not see proposals")


def _need(request, cap: str) -> None:
    if not may(request.user, cap):
        _deny(request, f"role lacks {cap}")


def _batches(user):
    return ProposalBatch.objects.visible_to(user).select_related("village", "created_by")


def _items(user):
    return ProposalItem.objects.visible_to(user).select_related(
        "batch__village", "person", "household", "created_by", "verified_by", "decided_by"
    )


def _batch(request, uid) -> ProposalBatch:
    _need_view(request)
    return get_for_user_or_404(request, _batches(request.user), uid=uid)


def _item(request, uid) -> ProposalItem:
    _need_view(request)
    item = get_for_user_or_404(request, _items(request.user), uid=uid)
    if item.sensitive:
        record_access(request, AccessLog.Kind.VIEW_SENSITIVE, item, detail="sensitive PPKS item")
    return item


_apply_errors = add_action_errors


def _paginate(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _subject_name(item: ProposalItem) -> str:
    if item.person_id and item.person is not None:
        return item.person.full_name
    if item.kind == ItemKind.HOUSEHOLD_NEW:
        members = item.payload.get("members", [])
        head = next(
            (m for m in members if m.get("relationship") == 1), members[0] if members else {}
        )
        return head.get("full_name", "")
    if item.kind == ItemKind.MEMBER_NEW:
        return item.payload.get("member", {}).get("full_name", "")
    if item.household_id and item.household is not None:
        head = item.household.head()
        return head.full_name if head else str(item.household)
    return ""


def _decorate(items) -> list[ProposalItem]:
    """What every list shows: who or what the item is about, and the visit's results."""
    items = list(items)
    for item in items:
        item.subject_name = _subject_name(item)  # type: ignore[attr-defined]
        labels = dict(MemberResult.choices)
        item.result_badges = [  # type: ignore[attr-defined]
            (r.get("name", ""), r.get("result", ""), labels.get(r.get("result", ""), ""))
            for r in (item.member_results or {}).values()
        ]
        item.warning_texts = [  # type: ignore[attr-defined]
            p.WARNING_LABELS.get(w, w) for w in item.warnings or []
        ]
    return items


def _week(today: date) -> tuple[date, date]:
    start = today - timedelta(days=today.weekday())
    return start, start + timedelta(days=6)


# --- Batches --------------------------------------------------------------------------------


@login_required
def batch_list(request):
    _need_view(request)
    user = request.user
    form = BatchFilterForm(request.GET or None)
    qs = _batches(user).annotate(
        n_items=Count("items"),
        n_pending=Count("items", filter=Q(items__status=ItemStatus.PENDING)),
        n_applied=Count("items", filter=Q(items__status=ItemStatus.APPLIED)),
        n_rejected=Count("items", filter=Q(items__status=ItemStatus.REJECTED)),
    )
    if form.is_valid() and form.cleaned_data.get("status"):
        qs = qs.filter(status=form.cleaned_data["status"])
    return render(
        request,
        "proposals/batch_list.html",
        {
            "title": _("Usulan pemutakhiran data"),
            "filter_form": form,
            "page": _paginate(request, qs.order_by("-id")),
            "can_propose": may(user, PCap.PROPOSE),
            "can_verify": may(user, PCap.VERIFY),
            "can_decide": may(user, PCap.DECIDE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_create(request):
    _need(request, PCap.PROPOSE)
    user = request.user
    form = BatchForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = actions.create_batch(
                user,
                village=data["village"],
                meeting_date=data["meeting_date"],
                minutes=data["minutes"],
                note=data.get("note", ""),
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                form.add_error("village", str(exc))
            else:
                _apply_errors(form, exc)
        else:
            messages.success(request, _("Usulan dibuat. Tambahkan butir usulan lalu ajukan."))
            return redirect("proposals:batch_detail", uid=batch.uid)
    return render(
        request,
        "proposals/batch_form.html",
        {"title": _("Buat usulan dari musyawarah desa"), "form": form},
    )


@login_required
def batch_detail(request, uid):
    batch = _batch(request, uid)
    user = request.user
    items = _decorate(_items(user).filter(batch=batch).order_by("id"))
    can_edit = (
        batch.status == BatchStatus.DRAFT
        and may(user, PCap.PROPOSE)
        and user.in_scope(batch.area_code)
    )
    return render(
        request,
        "proposals/batch_detail.html",
        {
            "title": str(batch),
            "batch": batch,
            "items": items,
            "can_edit": can_edit,
            "minutes_form": MinutesForm() if can_edit else None,
            "can_verify": may(user, PCap.VERIFY),
            "can_decide": may(user, PCap.DECIDE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_minutes(request, uid):
    """GET: the minutes, only for users who may see the batch (never a public URL).
    POST: replace them while the batch is a draft."""
    batch = _batch(request, uid)
    if request.method == "POST":
        _need(request, PCap.PROPOSE)
        form = MinutesForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                actions.attach_minutes(request.user, batch, form.cleaned_data["minutes"])
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, " ".join(actions._messages(exc)))
            else:
                messages.success(request, _("Berita acara diunggah."))
        else:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("proposals:batch_detail", uid=batch.uid)
    if not batch.minutes:
        raise Http404
    try:
        handle = batch.minutes.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = batch.minutes_name or PurePosixPath(batch.minutes.name).name
    response = FileResponse(
        handle, content_type=batch.minutes_type or "application/octet-stream", filename=name
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def batch_submit(request, uid):
    batch = _batch(request, uid)
    _need(request, PCap.PROPOSE)
    try:
        actions.submit_batch(request.user, batch)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(actions._messages(exc)))
    else:
        messages.success(request, _("Usulan diajukan. TKSK akan memverifikasi di lapangan."))
    return redirect("proposals:batch_detail", uid=batch.uid)


def _draft_for_proposer(request, uid) -> ProposalBatch:
    batch = _batch(request, uid)
    _need(request, PCap.PROPOSE)
    if batch.status != BatchStatus.DRAFT or not request.user.in_scope(batch.area_code):
        messages.error(request, _("Usulan yang sudah diajukan tidak dapat diubah."))
        raise _Redirect(reverse("proposals:batch_detail", kwargs={"uid": batch.uid}))
    return batch


class _Redirect(Exception):
    def __init__(self, url: str):
        self.url = url


def _redirecting(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Redirect as r:
            return redirect(r.url)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@login_required
@require_http_methods(["GET", "POST"])
@_redirecting
def batch_pick(request, uid):
    """Find the person or family an item is about, inside the batch's village. The query is
    posted, so a NIK typed here never lands in a URL or a server log."""
    batch = _draft_for_proposer(request, uid)
    user = request.user
    form = SearchForm(request.POST or None)
    people = Person.objects.visible_to(user).filter(area_code=batch.area_code)
    q = ""
    if request.method == "POST" and form.is_valid():
        q = form.cleaned_data.get("q") or ""
    if q.strip():
        people = search_people(people, q)
    people = people.select_related("household").order_by(
        "household__rw", "household__rt", "household_id", "relationship", "id"
    )[: PAGE_SIZE + 1]
    rows = list(people)
    households: dict[int, dict] = {}
    for person in rows[:PAGE_SIZE]:
        key = person.household_id or 0
        households.setdefault(key, {"household": person.household, "people": []})
        households[key]["people"].append(person)
    template = "proposals/_pick_results.html" if request.htmx else "proposals/pick.html"
    return render(
        request,
        template,
        {
            "title": _("Pilih penduduk atau keluarga"),
            "batch": batch,
            "form": form,
            "groups": list(households.values()),
            "more": len(rows) > PAGE_SIZE,
            "q": q,
        },
    )


# --- Adding items ---------------------------------------------------------------------------


def _apply_household_errors(form, formset, exc: ValidationError) -> None:
    changed = [f for f in formset.forms if f.has_changed()]
    for f, errs in zip(changed, getattr(exc, "member_errors", None) or [], strict=False):
        for name, msgs in (errs or {}).items():
            f.add_error(name if name in f.fields else None, msgs)
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, msgs in exc.message_dict.items():
        if name == "members":
            formset._non_form_errors = formset.error_class(msgs)
        else:
            form.add_error(name if name in form.fields else None, msgs)


@login_required
@require_http_methods(["GET", "POST"])
@_redirecting
def item_add_household(request, uid):
    """A new family with its members: the registry's own household form."""
    batch = _draft_for_proposer(request, uid)
    data = request.POST or None
    form = HouseholdForm(data, initial={"village": batch.area_code})
    form.fields["village"].disabled = True
    formset = MemberFormSet(data, prefix="m")
    reason_form = ItemReasonForm(data, required=False)
    if request.method == "POST" and form.is_valid() & formset.is_valid() & reason_form.is_valid():
        household = dict(form.cleaned_data)
        household["village"] = batch.village
        members = [f.action_data() for f in formset.forms if f.has_changed() and f.cleaned_data]
        try:
            actions.add_household_item(
                request.user,
                batch,
                household=household,
                members=members,
                reason=reason_form.cleaned_data.get("reason", ""),
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _apply_household_errors(form, formset, exc)
        else:
            messages.success(request, _("Usulan keluarga baru ditambahkan."))
            return redirect("proposals:batch_detail", uid=batch.uid)
    return render(
        request,
        "proposals/household_item_form.html",
        {
            "title": _("Usulkan keluarga baru"),
            "batch": batch,
            "form": form,
            "formset": formset,
            "reason_form": reason_form,
        },
    )


# slug in the URL → (subject type, item kind, page title)
ITEM_KINDS = {
    "anggota": ("household", ItemKind.MEMBER_NEW),
    "ubah-penduduk": ("person", ItemKind.PERSON_CHANGE),
    "ubah-keluarga": ("household", ItemKind.HOUSEHOLD_CHANGE),
    "kematian": ("person", ItemKind.DEATH),
    "pindah": ("household", ItemKind.MOVE),
    "ppks": ("person", ItemKind.PPKS),
    "ppks-keluarga": ("household", ItemKind.PPKS),
}


def _item_forms(request, slug: str, subject, data):
    """The forms for one kind of item, and a function that calls the action with them."""
    user = request.user
    kind = ITEM_KINDS[slug][1]
    if kind == ItemKind.MEMBER_NEW:
        person_form = PersonForm(data)
        reason = ItemReasonForm(data, required=False)
        return [person_form, reason], lambda batch: actions.add_member_item(
            user, batch, subject, person_form.action_data(), reason.cleaned_data.get("reason", "")
        )
    if kind == ItemKind.PERSON_CHANGE:
        person_form = PersonForm(data, instance=subject)
        reason = ItemReasonForm(data)

        def person_change(batch):
            changes = {
                k: person_form.cleaned_data[k]
                for k in person_form.changed_data
                if k in p.PERSON_CHANGE_FIELDS
            }
            return actions.add_person_change_item(
                user, batch, subject, changes, reason.cleaned_data["reason"]
            )

        return [person_form, reason], person_change
    if kind == ItemKind.HOUSEHOLD_CHANGE:
        hh_form = HouseholdForm(data, instance=subject)
        hh_form.fields["village"].disabled = True
        reason = ItemReasonForm(data)

        def household_change(batch):
            changes = {
                k: hh_form.cleaned_data[k]
                for k in hh_form.changed_data
                if k in p.HOUSEHOLD_CHANGE_FIELDS
            }
            return actions.add_household_change_item(
                user, batch, subject, changes, reason.cleaned_data["reason"]
            )

        return [hh_form, reason], household_change
    if kind == ItemKind.DEATH:
        death = DeathForm(data)
        return [death], lambda batch: actions.add_death_item(
            user,
            batch,
            subject,
            on=death.cleaned_data["on"],
            reason=death.cleaned_data["reason"],
        )
    if kind == ItemKind.MOVE:
        move = MoveForm(data)
        return [move], lambda batch: actions.add_move_item(
            user,
            batch,
            subject,
            village=move.cleaned_data["village"],
            rt=move.cleaned_data["rt"],
            rw=move.cleaned_data["rw"],
            address=move.cleaned_data.get("address", ""),
            reason=move.cleaned_data["reason"],
        )
    household_level = slug == "ppks-keluarga"
    ppks = PPKSItemForm(
        data,
        categories=ppks_categories_for(user).filter(household_level=household_level),
        initial={"identified_on": date.today()},
    )
    return [ppks], lambda batch: actions.add_ppks_item(
        user,
        batch,
        category=ppks.cleaned_data["category"],
        person=None if household_level else subject,
        household=subject if household_level else None,
        identified_on=ppks.cleaned_data["identified_on"],
        note=ppks.cleaned_data.get("note", ""),
        reason=ppks.cleaned_data["reason"],
    )


@login_required
@require_http_methods(["GET", "POST"])
@_redirecting
def item_add(request, uid, kind, subject):
    """A new member, a change, a death, a move or a PPKS for someone already in the registry."""
    if kind not in ITEM_KINDS:
        raise Http404
    batch = _draft_for_proposer(request, uid)
    user = request.user
    subject_type, item_kind = ITEM_KINDS[kind]
    if subject_type == "person":
        obj = get_for_user_or_404(
            request, Person.objects.visible_to(user).select_related("household"), uid=subject
        )
        household = obj.household
    else:
        obj = get_for_user_or_404(request, Household.objects.visible_to(user), uid=subject)
        household = obj
    forms, submit = _item_forms(request, kind, obj, request.POST or None)
    valid = [f.is_valid() for f in forms]  # every form, so every error is shown
    if request.method == "POST" and all(valid):
        try:
            submit(batch)
        except (ValidationError, PermissionDenied) as exc:
            _apply_errors(forms[0], exc)
        else:
            messages.success(request, _("Usulan ditambahkan."))
            return redirect("proposals:batch_detail", uid=batch.uid)
    return render(
        request,
        "proposals/item_form.html",
        {
            "title": ItemKind(item_kind).label,
            "batch": batch,
            "forms": forms,
            "subject": obj,
            "household": household,
        },
    )


@login_required
@require_POST
@_redirecting
def item_remove(request, uid):
    item = _item(request, uid)
    batch = _draft_for_proposer(request, item.batch.uid)
    try:
        actions.remove_item(request.user, item)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(actions._messages(exc)))
    else:
        messages.success(request, _("Butir usulan dihapus dari draf."))
    return redirect("proposals:batch_detail", uid=batch.uid)


# --- One item -------------------------------------------------------------------------------


def _related_items(item: ProposalItem, user) -> list[ProposalItem]:
    """Other proposals on the same people or family, newest first (open and past)."""
    keys = ItemSubject.objects.filter(item=item).values("key")
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
        may(user, PCap.DECIDE)
        and in_scope
        and item.batch.status != BatchStatus.DRAFT
        and item.status in (ItemStatus.PENDING, ItemStatus.VERIFIED)
    )
    can_resolve = (
        bool(stale)
        and in_scope
        and item.batch.status != BatchStatus.DRAFT
        and (may(user, PCap.DECIDE) or may(user, PCap.VERIFY))
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
            "can_verify": may(user, PCap.VERIFY)
            and in_scope
            and item.batch.status != BatchStatus.DRAFT
            and item.status in (ItemStatus.PENDING, ItemStatus.VERIFIED),
            "can_retry": may(user, PCap.DECIDE)
            and in_scope
            and item.status == ItemStatus.APPROVED
            and not stale
            and not any(h.status == HandoverStatus.AWAITING for h in handovers),
            "can_remove": item.batch.status == BatchStatus.DRAFT
            and may(user, PCap.PROPOSE)
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
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def item_verify(request, uid):
    """After the visit: a result per person, a note, a photo; big buttons for one thumb."""
    item = _item(request, uid)
    _need(request, PCap.VERIFY)
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
            )
        except (ValidationError, PermissionDenied) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Hasil kunjungan untuk %(name)s disimpan.") % {"name": _subject_name(item)},
            )
            return redirect("proposals:verify_queue")
    return render(
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


@login_required
@require_POST
def item_plan(request, uid):
    item = _item(request, uid)
    _need(request, PCap.VERIFY)
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
    _need(request, PCap.DECIDE)
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
    if not (may(request.user, PCap.DECIDE) or may(request.user, PCap.VERIFY)):
        _deny(request, "role may not resolve conflicts")
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
    _need(request, PCap.DECIDE)
    try:
        item = actions.apply_item(request.user, item)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(actions._messages(exc)))
    else:
        _decision_message(request, item)
    return redirect("proposals:item_detail", uid=item.uid)


# --- Queues ---------------------------------------------------------------------------------


@login_required
def verify_queue(request):
    """The TKSK's week: visits planned for this week, late ones, and those not yet planned."""
    _need_view(request)
    _need(request, PCap.VERIFY)
    user = request.user
    today = timezone.localdate()
    start, end = _week(today)
    pending = _decorate(
        _items(user)
        .filter(status=ItemStatus.PENDING)
        .exclude(batch__status=BatchStatus.DRAFT)
        .order_by("visit_planned_on", "batch__submitted_at", "id")[:500]
    )
    groups = {"late": [], "week": [], "unplanned": [], "later": []}
    for item in pending:
        planned = item.visit_planned_on
        if planned is None:
            groups["unplanned"].append(item)
        elif planned < start:
            groups["late"].append(item)
        elif planned <= end:
            groups["week"].append(item)
        else:
            groups["later"].append(item)
    recent = _decorate(
        _items(user)
        .filter(status=ItemStatus.VERIFIED, verified_by=user)
        .order_by("-verified_at")[:20]
    )
    return render(
        request,
        "proposals/verify_queue.html",
        {
            "title": _("Kunjungan verifikasi"),
            "groups": [
                ("late", _("Terlambat"), groups["late"]),
                ("week", _("Minggu ini"), groups["week"]),
                ("unplanned", _("Belum dijadwalkan"), groups["unplanned"]),
                ("later", _("Minggu berikutnya"), groups["later"]),
            ],
            "week_start": start,
            "week_end": end,
            "recent": recent,
            "count": len(pending),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide_list(request):
    """The administrator's desk: verified items, approved or rejected one by one or in bulk."""
    _need_view(request)
    _need(request, PCap.DECIDE)
    user = request.user
    area = (request.GET.get("area") or "").strip()
    batch_uid = (request.GET.get("batch") or "").strip()
    qs = (
        _items(user)
        .filter(status=ItemStatus.VERIFIED)
        .exclude(batch__status=BatchStatus.DRAFT)
        .prefetch_related("conflicts_with", "conflicted_by")
    )
    if area:
        qs = qs.filter(area_code__prefix=area)
    if batch_uid:
        try:
            qs = qs.filter(batch__uid=batch_uid)
        except ValidationError:
            qs = qs.none()
    items = _decorate(qs.order_by("batch__submitted_at", "id")[:300])
    for item in items:
        item.supported = _supported(item)  # type: ignore[attr-defined]
    form = BulkDecisionForm(request.POST or None, uids=[str(i.uid) for i in items])
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["items"])
        selected = [i for i in items if str(i.uid) in chosen]
        approve = form.cleaned_data["decision"] == "approve"
        try:
            result = actions.decide_items(
                user, selected, approve=approve, reason=form.cleaned_data.get("reason", "")
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            _bulk_messages(request, result, approve)
            return redirect(request.get_full_path())
    stuck = _decorate(_items(user).filter(status=ItemStatus.APPROVED).order_by("-decided_at")[:100])
    return render(
        request,
        "proposals/decide_list.html",
        {
            "title": _("Penetapan usulan"),
            "items": items,
            "form": form,
            "stuck": stuck,
            "area": area,
        },
    )


def _supported(item: ProposalItem) -> bool:
    results = [r.get("result") for r in (item.member_results or {}).values()]
    if p.is_person_level(item):
        return bool(results) and results[0] in p.supporting_results(item)
    return MemberResult.CONFIRMED in results


def _bulk_messages(request, result, approve: bool) -> None:
    if approve:
        messages.success(
            request,
            _("%(n)s usulan disetujui, %(applied)s sudah masuk registri.")
            % {"n": len(result.decided), "applied": len(result.applied)},
        )
        if result.not_applied:
            messages.warning(
                request,
                _("%(n)s usulan disetujui tetapi belum masuk registri; lihat daftar di bawah.")
                % {"n": len(result.not_applied)},
            )
    else:
        messages.success(request, _("%(n)s usulan ditolak.") % {"n": len(result.decided)})
    for item, why in result.skipped:
        messages.error(
            request,
            _("%(name)s: %(why)s") % {"name": _subject_name(item) or item.uid, "why": why},
        )


@login_required
def my_items(request):
    """What I proposed, with the status and, when rejected or stuck, the reason."""
    _need_view(request)
    user = request.user
    form = ItemFilterForm(request.GET or None)
    qs = _items(user).filter(created_by=user)
    if form.is_valid():
        if form.cleaned_data.get("status"):
            qs = qs.filter(status=form.cleaned_data["status"])
        if form.cleaned_data.get("kind"):
            qs = qs.filter(kind=form.cleaned_data["kind"])
    page = _paginate(request, qs.order_by("-id"))
    page.object_list = _decorate(page.object_list)
    return render(
        request,
        "proposals/my_items.html",
        {"title": _("Usulan saya"), "page": page, "filter_form": form},
    )


# --- Handovers ------------------------------------------------------------------------------


def _handovers(user):
    return Handover.objects.visible_to(user).select_related(
        "from_village", "to_village", "household", "released_by", "answered_by", "item__batch"
    )


@login_required
def handover_list(request):
    _need_view(request)
    user = request.user
    scope = user.scope_code or ""
    rows = list(_handovers(user).order_by("-id")[:200])
    incoming = [
        h for h in rows if h.to_code.startswith(scope) and not h.from_code.startswith(scope)
    ]
    outgoing = [h for h in rows if h not in incoming]
    return render(
        request,
        "proposals/handover_list.html",
        {"title": _("Serah terima keluarga"), "incoming": incoming, "outgoing": outgoing},
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover_detail(request, uid):
    _need_view(request)
    user = request.user
    handover = get_for_user_or_404(request, _handovers(user), uid=uid)
    can_answer = (
        handover.status == HandoverStatus.AWAITING
        and may(user, PCap.DECIDE)
        and user.in_scope(handover.to_code)
    )
    form = HandoverAnswerForm(request.POST or None) if can_answer else None
    if request.method == "POST":
        if form is None:
            _deny(request, "may not answer this handover")
        elif form.is_valid():
            try:
                if form.cleaned_data["decision"] == "accept":
                    actions.accept_handover(user, handover, form.cleaned_data.get("note", ""))
                    messages.success(
                        request, _("Keluarga diterima dan kini tercatat di wilayah Anda.")
                    )
                    return redirect("registry:household_detail", uid=handover.household.uid)
                actions.refuse_handover(user, handover, form.cleaned_data.get("note", ""))
            except (ValidationError, PermissionDenied) as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Serah terima ditolak; daerah asal melihat alasannya."))
                return redirect("proposals:handover_list")
    members = Person.objects.filter(household=handover.household, status="active").order_by(
        "relationship", "birth_date"
    )
    return render(
        request,
        "proposals/handover_detail.html",
        {
            "title": _("Serah terima keluarga"),
            "handover": handover,
            "members": members,
            "form": form,
            "new_address": {
                "rt": handover.changes.get("rt"),
                "rw": handover.changes.get("rw"),
                "address": handover.changes.get("address"),
            },
        },
    )


# --- Report ---------------------------------------------------------------------------------


def _report_from_request(request):
    user = request.user
    if not user.can(Cap.VIEW_FIGURES):
        _deny(request, f"role lacks {Cap.VIEW_FIGURES}")
    today = timezone.localdate()
    initial = {"date_from": date(today.year, 1, 1), "date_to": today, "group": "village"}
    form = ReportForm(request.GET or None, user=user, initial=initial)
    params = dict(initial, area="")
    if form.is_bound and form.is_valid():
        params.update({k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    if params["area"] and not user.in_scope(params["area"]):
        params["area"] = ""
    report = proposal_report(
        user,
        area=params["area"],
        group=params["group"],
        date_from=params["date_from"],
        date_to=params["date_to"],
    )
    return form, params, report


def _period_text(params) -> str:
    area = Area.objects.filter(code=params["area"]).first() if params["area"] else None
    return _("Wilayah: %(area)s · diajukan %(start)s s.d. %(end)s") % {
        "area": area.display_name if area else _("seluruh wilayah kerja"),
        "start": date_format(params["date_from"], "d-m-Y") if params["date_from"] else "—",
        "end": date_format(params["date_to"], "d-m-Y") if params["date_to"] else "—",
    }


@login_required
def report(request):
    form, params, data = _report_from_request(request)
    return render(
        request,
        "proposals/report.html",
        {
            "title": _("Laporan usulan dan penetapan"),
            "form": form,
            "report": data,
            "period": _period_text(params),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def report_xlsx_view(request):
    _form, params, data = _report_from_request(request)
    record_access(request, AccessLog.Kind.EXPORT, detail="proposal report (counts only)")
    content = report_xlsx(
        data, title=str(_("Laporan usulan dan penetapan")), filters=_period_text(params)
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="laporan-usulan-{stamp}.xlsx"'
    return response
