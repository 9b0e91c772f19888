"""Who may propose, verify and decide. Capabilities, not roles: nothing here names a user.

``accounts/roles.py`` is the one table of capabilities per role: operator and front office
propose, TKSK and social workers verify, the Dinas Sosial administrator decides.
"""

from __future__ import annotations

from typing import Any

from pandu.accounts.roles import Cap


class PCap:
    PROPOSE = Cap.PROPOSE
    VERIFY = Cap.VERIFY
    DECIDE = Cap.DECIDE


def may(user: Any, cap: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.can(cap))


def may_see(user: Any) -> bool:
    """Proposals show people by name and NIK: the same right as reading the registry."""
    return getattr(user, "is_authenticated", False) and user.can(Cap.VIEW_REGISTRY)
