"""What the programme pages share: the capability gate and turning refusals into messages."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError

from pandu.core.access import deny, require


def needs(*caps: str):
    """The page is for roles holding any of ``caps``; others get the logged 404."""

    def wrap(view):
        @login_required
        @wraps(view)
        def inner(request, *args, **kwargs):
            require(
                request, any(request.user.can(cap) for cap in caps), "role lacks " + "/".join(caps)
            )
            return view(request, *args, **kwargs)

        return inner

    return wrap


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
