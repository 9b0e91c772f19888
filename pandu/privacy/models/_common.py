"""What the personal-data models share."""

from __future__ import annotations

import uuid

from django.conf import settings

USER = settings.AUTH_USER_MODEL


def consent_form_upload_to(instance, filename: str) -> str:
    """A random name under MEDIA_ROOT/privacy/: the uploader's name is kept in the row."""
    ext = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"privacy/consents/{uuid.uuid4().hex}.{ext}"
