"""Kept only while modules still import from here: the service's capabilities are registered into
the one table of ``accounts.roles`` (see ``capabilities.py``) and checked with ``user.can``."""

from __future__ import annotations

from pandu.accounts.roles import user_can as can

from .capabilities import GRANTS, LABELS, SCap

CASEWORKER_ROLES = frozenset(role for role, caps in GRANTS.items() if SCap.CASE_ASSIGNABLE in caps)
CAP_LABELS = LABELS

__all__ = ["CAP_LABELS", "CASEWORKER_ROLES", "SCap", "can"]
