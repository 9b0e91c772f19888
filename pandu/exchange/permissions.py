"""Who may import and export: the capabilities of ``accounts.roles``, for users with an area.

Importing writes to the registry in bulk: ``Cap.IMPORT_REGISTRY`` (admins inside their area and
village operators for their own village only; rows outside it are rejected). Exporting needs
``registry.view`` and is scoped like every list (``visible_to``); sensitive PPKS only for
need-to-know roles.
"""

from __future__ import annotations

from pandu.accounts.roles import Cap, user_can


def can_import(user) -> bool:
    return user_can(user, Cap.IMPORT_REGISTRY) and user.scope_code is not None


def can_export(user) -> bool:
    return user_can(user, Cap.VIEW_REGISTRY) and user.scope_code is not None


def can_see_sensitive(user) -> bool:
    """``None`` is the command line, which exports everything it is asked for."""
    return user is None or user.can(Cap.VIEW_SENSITIVE)
