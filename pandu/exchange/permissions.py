"""Who may import and export.

Importing writes to the registry in bulk: ``Cap.IMPORT_REGISTRY`` (admins inside their area and
village operators for their own village only; rows outside it are rejected). Exporting needs
``registry.view`` and is scoped like every list (``visible_to``); sensitive PPKS only for
need-to-know roles.
"""

from __future__ import annotations

from pandu.accounts.roles import Cap


def can_import(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.scope_code is None:
        return False
    return user.can(Cap.IMPORT_REGISTRY)


def can_export(user) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.can(Cap.VIEW_REGISTRY)
        and user.scope_code is not None
    )


def can_see_sensitive(user) -> bool:
    return user is None or user.can(Cap.VIEW_SENSITIVE)
