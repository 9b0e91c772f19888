"""Pages of proposal batches (usulan) and their minutes."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.accounts.roles import Cap
from pandu.core.access import require
from pandu.core.files import private_file_response
from pandu.core.lists import build_list
from pandu.registry.filtersets import search_people
from pandu.registry.models import Person

from .. import actions
from ..filtersets import BatchFilterSet, web_filters
from ..forms import BatchForm, MinutesForm, SearchForm
from ..models import BatchStatus, ItemStatus
from ..tables import BatchTable
from ._common import (
    PAGE_SIZE,
    _apply_errors,
    _batch,
    _batches,
    _decorate,
    _draft_for_proposer,
    _items,
    _need_view,
    _redirecting,
)


@login_required
def batch_list(request):
    _need_view(request)
    user = request.user
    qs = _batches(user).annotate(
        n_items=Count("items"),
        n_pending=Count("items", filter=Q(items__status=ItemStatus.PENDING)),
        n_applied=Count("items", filter=Q(items__status=ItemStatus.APPLIED)),
        n_rejected=Count("items", filter=Q(items__status=ItemStatus.REJECTED)),
    )
    page = build_list(
        request,
        qs.order_by("-id"),
        BatchTable,
        filterset_class=BatchFilterSet,
        prepare_filters=web_filters,
    )
    return render(
        request,
        "proposals/batch_list.html",
        {
            "title": _("Usulan pemutakhiran data"),
            "filter_form": page.filterset.form,
            "table": page.table,
            "can_propose": user.can(Cap.PROPOSE),
            "can_verify": user.can(Cap.VERIFY),
            "can_decide": user.can(Cap.DECIDE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_create(request):
    require(request, Cap.PROPOSE)
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


def _walk_in_date(batch):
    from datetime import date

    try:
        return date.fromisoformat((batch.walk_in or {}).get("birth_date") or "")
    except ValueError:
        return None


@login_required
def batch_detail(request, uid):
    batch = _batch(request, uid)
    user = request.user
    items = _decorate(_items(user).filter(batch=batch).order_by("id"))
    can_edit = (
        batch.status == BatchStatus.DRAFT
        and user.can(Cap.PROPOSE)
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
            "walk_in_birth_date": _walk_in_date(batch),
            "can_verify": user.can(Cap.VERIFY),
            "can_decide": user.can(Cap.DECIDE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_minutes(request, uid):
    """GET: the minutes, only for users who may see the batch (never a public URL).
    POST: replace them while the batch is a draft."""
    batch = _batch(request, uid)
    if request.method == "POST":
        require(request, Cap.PROPOSE)
        form = MinutesForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                actions.attach_minutes(
                    request.user,
                    batch,
                    form.cleaned_data["minutes"],
                    meeting_date=form.cleaned_data.get("meeting_date"),
                )
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
    return private_file_response(
        handle, filename=name, content_type=batch.minutes_type or "application/octet-stream"
    )


@login_required
@require_POST
def batch_submit(request, uid):
    batch = _batch(request, uid)
    require(request, Cap.PROPOSE)
    try:
        actions.submit_batch(request.user, batch)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(actions._messages(exc)))
    else:
        messages.success(request, _("Usulan diajukan. TKSK akan memverifikasi di lapangan."))
    return redirect("proposals:batch_detail", uid=batch.uid)


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
