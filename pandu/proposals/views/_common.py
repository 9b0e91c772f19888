"""What the proposal pages share: role checks, scoped fetches, paging, subject names."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core.access import get_for_user_or_404, record_access, require
from pandu.core.forms import add_action_errors
from pandu.core.models import AccessLog

from .. import payloads as p
from ..models import BatchStatus, ItemKind, MemberResult, ProposalBatch, ProposalItem

PAGE_SIZE = 50


def _need_view(request) -> None:
    """Proposals show people by name and NIK: the same right as reading the registry."""
    require(request, Cap.VIEW_REGISTRY, "role may not see proposals")


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


def _draft_for_proposer(request, uid) -> ProposalBatch:
    batch = _batch(request, uid)
    require(request, Cap.PROPOSE)
    if batch.status != BatchStatus.DRAFT or not request.user.in_scope(batch.area_code):
        messages.error(request, _("Usulan yang sudah diajukan tidak dapat diubah."))
        raise _Redirect(reverse("proposals:batch_detail", kwargs={"uid": batch.uid}))
    return batch
