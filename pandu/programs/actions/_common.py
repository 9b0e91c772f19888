"""What the programme actions share: the role-and-area checks and the save with history."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from pandu.core.history import stamp


def allowed(user: Any, obj: models.Model, action: str) -> bool:
    """Whether ``obj`` lies among the rows ``user`` may ``action`` (its queryset's restrict)."""
    manager: Any = type(obj)._default_manager
    return manager.restrict(user, action).filter(pk=obj.pk).exists()


def require(user: Any, obj: models.Model, action: str) -> None:
    if obj.pk is None or not allowed(user, obj, action):
        raise PermissionDenied


M = TypeVar("M", bound=models.Model)


def save(obj: M, user: Any, reason: Any) -> M:
    obj.full_clean()
    stamp(obj, user, reason)
    obj.save()
    return obj


def text_list(value: Any) -> list[str]:
    """A list of short texts from a list or from lines typed in a text box; blanks dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple):
        raise ValidationError("not a list")
    return [str(v).strip() for v in value if str(v).strip()]


def set_fields(obj: models.Model, data: dict, fields: set[str]) -> None:
    for key, value in data.items():
        if key in fields:
            setattr(obj, key, value)
