"""Who may propose, verify and decide. Capabilities, not roles: nothing here names a user.

``accounts/roles.py`` is the one table of capabilities per role. Until it lists the three below,
``FALLBACK_CAPS`` gives them to the roles the update cycle names (operator and front office
propose, TKSK and social workers verify, the Dinas Sosial administrator decides); once
``ROLE_CAPS`` holds them this table can go.
"""

from __future__ import annotations

from typing import Any

from pandu.accounts.roles import ROLE_CAPS, Cap, Role


class PCap:
    PROPOSE = "proposals.propose"
    VERIFY = "proposals.verify"
    DECIDE = "proposals.decide"


FALLBACK_CAPS: dict[str, frozenset[str]] = {
    Role.OPERATOR: frozenset({PCap.PROPOSE}),
    Role.FRONT_OFFICE: frozenset({PCap.PROPOSE}),
    Role.TKSK: frozenset({PCap.VERIFY}),
    Role.SOCIAL_WORKER: frozenset({PCap.VERIFY}),
    Role.ADMIN: frozenset({PCap.DECIDE}),
}


def _roles_table_knows(cap: str) -> bool:
    return any(cap in caps for caps in ROLE_CAPS.values())


def may(user: Any, cap: str) -> bool:
    """``user.can(cap)``, with the fallback table while roles.py does not list proposal caps."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.can(cap):
        return True
    if not user.is_active or _roles_table_knows(cap):
        return False
    # Proposals change the registry in the end: a role that may not do that may not take part.
    return cap in FALLBACK_CAPS.get(user.role, frozenset()) and user.can(Cap.CHANGE_REGISTRY)


def may_see(user: Any) -> bool:
    """Proposals show people by name and NIK: the same right as reading the registry."""
    return getattr(user, "is_authenticated", False) and user.can(Cap.VIEW_REGISTRY)
