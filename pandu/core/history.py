"""The history stamp: who made a change, and why, on the history row the next ``save()`` writes.

django-simple-history keeps the rows (who, when, what changed); actions call :func:`stamp` before
they save, so every change carries the acting user and the reason they gave. When is the time of
the save. A record's history is read back by ``registry.history``.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def stamp(obj: T, user: Any, reason: Any = "") -> T:
    """Mark ``obj`` so its next history row names ``user`` and ``reason``; returns ``obj``."""
    obj._history_user = user  # type: ignore[attr-defined]
    obj._change_reason = str(reason or "")  # type: ignore[attr-defined]
    return obj
