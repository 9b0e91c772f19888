"""System checks of the deployment settings Django does not know about."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def development_key_in_production(app_configs=None, **kwargs) -> list[Error]:
    """The committed development key signs sessions and password-reset links; anyone who read
    the repository could forge them."""
    development_key = getattr(settings, "PANDU_DEVELOPMENT_KEY", None)
    if settings.DEBUG or development_key != settings.SECRET_KEY:
        return []
    return [
        Error(
            "SECRET_KEY is the development key committed in the repository, and DEBUG is off.",
            hint="Set SECRET_KEY to 50+ random characters of this site's own (docs/deploy.md).",
            id="pandu.E001",
        )
    ]


@register(Tags.security, deploy=True)
def data_key_ring_private(app_configs=None, **kwargs) -> list[Error]:
    """The data-key ring (``core.crypto``) opens every encrypted note: its owner alone may read
    it. A missing ring is not an error here: ``migrate`` makes it on a new site."""
    from pathlib import Path

    path = Path(settings.PANDU_DATA_KEY_FILE)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return []
    if not mode & 0o077:
        return []
    return [
        Error(
            f"The data-key ring {path} can be read by other users of the server.",
            hint=f"chmod 600 {path} (and 700 its folder); docs/operations.md, key rotation.",
            id="pandu.E002",
        )
    ]
