"""What the programme pages share: the capability gate and turning refusals into messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from pandu.core.access import deny
from pandu.core.access import needs as needs  # re-exported: the views import it from here


def refused(request, exc: ValidationError | PermissionDenied) -> None:
    """An action's refusal on the next page: a permission refusal is the logged 404."""
    if isinstance(exc, PermissionDenied):
        deny(request, "action refused")
    for text in exc.messages:
        messages.error(request, text)


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for text in errors:
            messages.error(request, f"{label}: {text}" if label else text)
