"""Who may keep the list of bodies: capabilities registered into ``accounts.roles``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pandu.accounts import roles
from pandu.accounts.roles import Role


class OCap:
    MANAGE = "organisations.manage"  # register and change bodies of the user's area


LABELS = {OCap.MANAGE: _("Mengelola daftar lembaga")}
GRANTS: dict[str, set[str]] = {Role.ADMIN: {OCap.MANAGE}}


def register() -> None:
    roles.register(LABELS, GRANTS)
