"""Who may review duplicate pairs and who may start a registry-wide search.

Reviewing needs the registry inside the user's area and ``Cap.REVIEW_DUPLICATES`` (admin, social
worker, TKSK); a registry-wide search needs ``Cap.RUN_DEDUP`` (admin). See ``accounts/roles.py``.
"""

from __future__ import annotations

from pandu.accounts.roles import Cap


def _has(user, cap: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.can(cap))


def can_review(user) -> bool:
    """See the review queue and confirm, dismiss, merge or undo inside the user's area."""
    return _has(user, Cap.REVIEW_DUPLICATES)


def can_run(user) -> bool:
    """Start a search for duplicates (a background job) over the user's area."""
    return _has(user, Cap.RUN_DEDUP)


def can_check(user) -> bool:
    """Ask "is this person already registered?" while registering (forms and importer)."""
    return bool(getattr(user, "is_authenticated", False) and user.can(Cap.VIEW_REGISTRY))
