"""System checks of the operations settings (``check --deploy``)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.checks import Error, Tags, register

MIN_TOKEN = 32


@register(Tags.security, deploy=True)
def metrics_access(app_configs=None, **kwargs) -> list[Error]:
    """A short metrics token can be guessed; a network that is not one opens nothing."""
    errors = []
    token = getattr(settings, "PANDU_METRICS_TOKEN", "") or ""
    if token and len(token) < MIN_TOKEN:
        errors.append(
            Error(
                f"PANDU_METRICS_TOKEN is shorter than {MIN_TOKEN} characters.",
                hint="Use a random token, e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'` (docs/operations.md).",
                id="pandu.E101",
            )
        )
    for net in getattr(settings, "PANDU_METRICS_ALLOWED_NETWORKS", []) or []:
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"PANDU_METRICS_ALLOWED_NETWORKS holds {net!r}, which is not a network.",
                    hint="Comma-separated addresses or networks: 127.0.0.1,10.0.0.0/24.",
                    id="pandu.E102",
                )
            )
    return errors
