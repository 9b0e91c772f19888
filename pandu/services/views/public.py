"""Public pages (no login): status of an intake and a referral letter check."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import forms, public


@require_http_methods(["GET", "POST"])
def public_status(request):
    """Anyone may check a ticket with its number and the birth date; only the progress is shown."""
    form = forms.TicketCheckForm(
        request.POST or None, initial={"ticket": request.GET.get("tiket", "")}
    )
    result = None
    not_found = False
    limited = False
    if request.method == "POST" and form.is_valid():
        ticket = form.cleaned_data["ticket"]
        if not public.allow_ticket_check(public.client_ip(request), ticket):
            limited = True
        else:
            result = public.find_ticket(ticket, form.cleaned_data["birth_date"])
            not_found = result is None
    response = render(
        request,
        "services/public_status.html",
        {
            "title": _("Cek status layanan"),
            "form": form,
            "result": result,
            "not_found": not_found,
            "limited": limited,
            "office": settings.PANDU_OFFICE_NAME,
        },
        status=429 if limited else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


def public_letter(request, token):
    """Whether a referral letter is genuine and still valid: number, date, office, status only."""
    referral = public.referral_from_token(token)
    response = render(
        request,
        "services/public_letter.html",
        {
            "title": _("Verifikasi surat rujukan"),
            "referral": referral,
            "valid": referral is not None and public.letter_is_valid(referral),
            "office": settings.PANDU_OFFICE_NAME,
        },
        status=200 if referral is not None else 404,
    )
    response["Cache-Control"] = "no-store"
    return response
