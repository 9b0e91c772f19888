"""Who may review duplicate pairs and who may start a registry-wide search.

Reviewing needs the registry inside the user's area and the review capability. Until
``accounts/roles.py`` carries ``Cap.REVIEW_DUPLICATES`` / ``Cap.RUN_DEDUP`` the roles named below
stand in for them (admin, social worker, TKSK review; admin runs), as the dedup issue specifies.
"""

from __future__ import annotations

from pandu.accounts.roles import Cap

REVIEW_CAP = getattr(Cap, "REVIEW_DUPLICATES", None)
RUN_CAP = getattr(Cap, "RUN_DEDUP", None)
# Stand-ins until roles.py has the capabilities above (see the module docstring).
_REVIEW_ROLES = frozenset({"admin", "social_worker", "tksk"})
_RUN_ROLES = frozenset({"admin"})


def _has(user, cap: str | None, roles: frozenset[str]) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if cap is not None:
        return bool(user.can(cap))
    if user.is_superuser:
        return True
    return getattr(user, "role", None) in roles and user.can(Cap.CHANGE_REGISTRY)


def can_review(user) -> bool:
    """See the review queue and confirm, dismiss, merge or undo inside the user's area."""
    return _has(user, REVIEW_CAP, _REVIEW_ROLES)


def can_run(user) -> bool:
    """Start a search for duplicates (a background job) over the user's area."""
    return _has(user, RUN_CAP, _RUN_ROLES)


def can_check(user) -> bool:
    """Ask "is this person already registered?" while registering (forms and importer)."""
    return bool(getattr(user, "is_authenticated", False) and user.can(Cap.VIEW_REGISTRY))
