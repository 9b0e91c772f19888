"""Pages of handovers of a moved household between regencies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pandu.accounts.roles import Cap
from pandu.core.access import deny, get_for_user_or_404
from pandu.core.lists import first_rows

from .. import actions
from ..filtersets import HandoverFilterSet
from ..forms import HandoverAnswerForm
from ..models import Handover, HandoverStatus
from ._common import _apply_errors, _need_view

# Incoming and outgoing handovers are one page, split from the same rows: past these many it says
# how many were left out and asks for a narrower filter.
HANDOVER_LIMIT = 200


def _handovers(user):
    return Handover.objects.visible_to(user).select_related(
        "from_village", "to_village", "household", "released_by", "answered_by", "item__batch"
    )


@login_required
def handover_list(request):
    _need_view(request)
    user = request.user
    scope = user.scope_code or ""
    handovers = _handovers(user)
    filters = HandoverFilterSet(request.GET or None, queryset=handovers, request=request)
    if filters.is_bound:
        handovers = filters.qs if filters.is_valid() else handovers.none()
    first = first_rows(handovers.order_by("-id"), HANDOVER_LIMIT)
    rows = first.rows
    incoming = [
        h for h in rows if h.to_code.startswith(scope) and not h.from_code.startswith(scope)
    ]
    outgoing = [h for h in rows if h not in incoming]
    return render(
        request,
        "proposals/handover_list.html",
        {
            "title": _("Serah terima keluarga"),
            "incoming": incoming,
            "outgoing": outgoing,
            "first": first,
            "filter_form": filters.form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover_detail(request, uid):
    _need_view(request)
    user = request.user
    handover = get_for_user_or_404(request, _handovers(user), uid=uid)
    can_answer = (
        handover.status == HandoverStatus.AWAITING
        and user.can(Cap.DECIDE)
        and user.in_scope(handover.to_code)
    )
    form = HandoverAnswerForm(request.POST or None) if can_answer else None
    if request.method == "POST":
        if form is None:
            deny(request, "may not answer this handover")
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
    # The handover opens its household to the destination before it is theirs.
    members = handover.household.members.filter(status="active").order_by(
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
