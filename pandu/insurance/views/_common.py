"""What the Askesos pages share: the capability gates, refusals as messages, and the scoped
querysets each page starts from.

Two kinds of users work here: the Dinas's staff, who read what lies in their area (``VIEW``)
and whose administrator manages providers and schemes (``MANAGE``), and a provider's own staff
(``PROVIDER``), who see and keep their provider's records through their staff link. ``"work"``
(enrol, collect, file and settle claims) is either of them on the records they may act on.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render

from pandu.core.access import deny
from pandu.core.access import needs as needs  # re-exported: the views import it from here

from ..capabilities import ICap
from ..models import Accreditation, Claim, Member, PremiumPayment, Provider, Scheme

#: Who opens the Askesos pages at all.
READERS = (ICap.VIEW, ICap.PROVIDER)
#: Who may do a provider's daily work (on the records ``restrict(user, "work")`` leaves them).
WORKERS = (ICap.MANAGE, ICap.PROVIDER)


def refused(request, exc: ValidationError | PermissionDenied, obj=None) -> None:
    """An action's refusal on the next page: a permission refusal is the logged 404."""
    if isinstance(exc, PermissionDenied):
        deny(request, "action refused", obj)
    for text in exc.messages:
        messages.error(request, text)


def may_work(user) -> bool:
    return any(user.can(cap) for cap in WORKERS)


def providers(user, action: str = "view"):
    return Provider.objects.restrict(user, action).select_related("organisation")


def accreditations(user, action: str = "view"):
    return Accreditation.objects.restrict(user, action).select_related(
        "provider__organisation", "decided_by"
    )


def schemes(user, action: str = "view"):
    return Scheme.objects.restrict(user, action).select_related("provider__organisation")


def members(user, action: str = "view"):
    return Member.objects.restrict(user, action).select_related(
        "person", "scheme", "provider__organisation"
    )


def payments(user, action: str = "view"):
    return PremiumPayment.objects.restrict(user, action).select_related(
        "membership__person", "provider"
    )


def claims(user, action: str = "view"):
    return Claim.objects.restrict(user, action).select_related(
        "membership__person", "membership__scheme", "provider__organisation"
    )


def form_page(request, form, title, *, back_url: str = "", intro="", submit="", **extra):
    """A page of one form (the inline forms of a record's page post here too, so an action's
    refusal is shown on the form it concerns)."""
    context = {
        "title": title,
        "form": form,
        "back_url": back_url,
        "intro": intro,
        "submit": submit,
        "multipart": any(getattr(f.field.widget, "needs_multipart_form", False) for f in form),
    }
    context.update(extra)
    return render(request, "insurance/form.html", context)
