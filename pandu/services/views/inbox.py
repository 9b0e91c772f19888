"""The partner agency's inbox of referrals sent to it."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pandu.core.access import get_for_user_or_404
from pandu.core.lists import build_list

from .. import actions, forms
from .. import choices as c
from ..capabilities import SCap
from ..filtersets import InboxFilterSet
from ..models import Referral
from ..tables import InboxTable
from ._common import _letter_response, _post_action, needs


def _membership(request):
    membership = getattr(request.user, "partner_membership", None)
    return membership if membership is not None and membership.active else None


@needs(SCap.PARTNER)
def inbox(request):
    today = timezone.localdate()
    qs = Referral.objects.inbox_for(request.user).select_related("service")
    referrals = build_list(
        request, qs.order_by("-sent_at", "-id"), InboxTable, filterset_class=InboxFilterSet
    )
    return render(
        request,
        "services/inbox.html",
        {
            "title": _("Rujukan masuk"),
            "table": referrals.table,
            "membership": _membership(request),
            "status": request.GET.get("status") or "",
            "late": request.GET.get("terlambat") == "1",
            "today": today,
            "statuses": [s for s in c.ReferralStatus.choices if s[0] != "draft"],
        },
    )


def _inbox_referral(request, uid, *, shared_only: bool = False) -> Referral:
    """One referral of the inbox; ``shared_only``: not a withdrawn one (its content is no
    longer shared: asking for it is a refusal, logged like any other)."""
    qs = Referral.objects.shared_with if shared_only else Referral.objects.inbox_for
    return get_for_user_or_404(
        request,
        qs(request.user).select_related("service", "agency", "case__service_point"),
        uid=uid,
    )


@needs(SCap.PARTNER)
def inbox_detail(request, uid):
    referral = _inbox_referral(request, uid)
    if referral.status == c.ReferralStatus.SENT:
        # Opening it is the receipt: the sender sees "diterima mitra".
        actions.partner_move(request.user, referral, "receive")
    moves = [
        m
        for m, (allowed, _t) in actions.PARTNER_MOVES.items()
        if m != "receive" and referral.status in allowed
    ]
    # Withdrawn: a stub (number, status); the template shows nothing else.
    withdrawn = referral.status == c.ReferralStatus.WITHDRAWN
    return render(
        request,
        "services/inbox_detail.html",
        {
            "title": referral.number,
            "referral": referral,
            "moves": moves,
            "events": [] if withdrawn else referral.events.select_related("actor"),
            "attachments": [] if withdrawn else referral.attachments.all(),
            "form": forms.PartnerMoveForm(),
            "office": settings.PANDU_OFFICE_NAME,
        },
    )


MOVE_LABELS = {
    "accept": gettext_lazy("Rujukan disetujui."),
    "decline": gettext_lazy("Rujukan ditolak."),
    "start": gettext_lazy("Layanan dimulai."),
    "update": gettext_lazy("Perkembangan dicatat."),
    "complete": gettext_lazy("Layanan selesai."),
    "return": gettext_lazy("Rujukan dikembalikan."),
}


@needs(SCap.PARTNER)
@require_POST
def inbox_move(request, uid, move):
    referral = _inbox_referral(request, uid)
    if move not in MOVE_LABELS:
        raise Http404
    text = request.POST.get("text", "")
    return _post_action(
        request,
        lambda: actions.partner_move(request.user, referral, move, text),
        str(MOVE_LABELS[move]),
        reverse("services:inbox_detail", args=[uid]),
    )


@needs(SCap.PARTNER)
def inbox_letter(request, uid):
    return _letter_response(request, _inbox_referral(request, uid, shared_only=True))
