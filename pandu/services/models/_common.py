"""What the one-stop service's tables share: the user model they point to."""

from __future__ import annotations

from django.conf import settings

USER = settings.AUTH_USER_MODEL
