"""What the personal-data pages share: the capability gate, refusals as messages, and the
scoped querysets each page starts from."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from pandu.core.access import deny
from pandu.core.access import needs as needs  # re-exported: the views import it from here

from ..models import Breach, ConsentRecord, SubjectRequest


def refused(request, exc: ValidationError | PermissionDenied) -> None:
    """An action's refusal shown on the next page; a permission refusal is the logged 404."""
    if isinstance(exc, PermissionDenied):
        deny(request, "privacy action refused")
    for text in exc.messages:
        messages.error(request, text)


def form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for text in errors:
            messages.error(request, f"{label}: {text}" if label else text)


def requests_of(user, action: str = "view"):
    return SubjectRequest.objects.restrict(user, action).select_related(
        "person__household__village", "assignee", "proposed_by", "approved_by"
    )


def consents_of(user, action: str = "view"):
    return ConsentRecord.objects.restrict(user, action).select_related(
        "person", "programme", "organisation", "recorded_by"
    )


def breaches_of(user, action: str = "view"):
    return Breach.objects.restrict(user, action).select_related("recorded_by")
