"""The password policy: Django's validators (settings.AUTH_PASSWORD_VALIDATORS) with a minimum
length that depends on the account: longer for the roles that see or change the most
(``roles.PRIVILEGED_ROLES``) and for superusers. Every way a password is set goes through
``actions.check_password`` (the command line, the administrator's one-time password, the user's
own change, the reset by e-mail), so the same rules hold everywhere."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .roles import PRIVILEGED_ROLES


def is_privileged(user: Any) -> bool:
    """Whether ``user`` gets the longer minimum; an account not known yet counts as one."""
    if user is None:
        return True
    return bool(getattr(user, "is_superuser", False)) or getattr(user, "role", "") in (
        PRIVILEGED_ROLES
    )


class RoleMinimumLengthValidator:
    """At least ``min_length`` characters, ``privileged_min_length`` for administrators,
    auditors and superusers."""

    def __init__(self, min_length: int = 10, privileged_min_length: int = 12):
        self.min_length = min_length
        self.privileged_min_length = max(privileged_min_length, min_length)

    def required(self, user: Any = None) -> int:
        return self.privileged_min_length if is_privileged(user) else self.min_length

    def validate(self, password: str, user: Any = None) -> None:
        needed = self.required(user)
        if len(password) < needed:
            raise ValidationError(
                ngettext(
                    "Kata sandi terlalu pendek: paling sedikit %(min)d karakter untuk akun ini.",
                    "Kata sandi terlalu pendek: paling sedikit %(min)d karakter untuk akun ini.",
                    needed,
                )
                % {"min": needed},
                code="password_too_short",
                params={"min": needed},
            )

    def get_help_text(self) -> str:
        return _("Paling sedikit %(min)d karakter (%(priv)d untuk administrator dan auditor).") % {
            "min": self.min_length,
            "priv": self.privileged_min_length,
        }


# Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_password(length: int = 16) -> str:
    """A random password an administrator hands over; the user must change it at next login."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(length))
    return "-".join(body[i : i + 4] for i in range(0, length, 4))
