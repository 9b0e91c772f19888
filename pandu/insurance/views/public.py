"""The membership card's check (no login): anyone holding the card's QR code may see whether it
is genuine and the membership in force, and nothing more: the number, scheme, provider, status
and cover, with the name masked. Never the NIK."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import clock, printing
from ..choices import MemberStatus


def card_check(request, token):
    membership = printing.member_from_token(token)
    today = clock.today()
    context = {"title": _("Verifikasi kartu peserta Askesos"), "found": membership is not None}
    if membership is not None:
        context.update(
            {
                "number": membership.number,
                "name": printing.masked_name(membership.person.full_name),
                "scheme": membership.scheme.name,
                "provider": membership.provider.organisation.name,
                "status": membership.get_status_display(),
                "active": printing.card_is_valid(membership),
                "enrolled_on": membership.enrolled_on,
                "paid_through": membership.paid_through,
                "lapse_on": membership.lapse_on
                if membership.status == MemberStatus.ACTIVE
                else None,
                "today": today,
            }
        )
    response = render(
        request, "insurance/card_check.html", context, status=200 if membership else 404
    )
    response["Cache-Control"] = "no-store"
    return response
