"""Reads of the exchange app: imports and mappings a user may see, and a record's import history."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .models import ColumnMapping, ImportBatch, ImportChange


def imports_visible_to(user) -> QuerySet[ImportBatch]:
    """Own imports; admins also those started inside their area (like the job list)."""
    return ImportBatch.objects.visible_to(user).select_related("user", "job")


def mappings_for(user) -> QuerySet[ColumnMapping]:
    """Mappings the user saved, and those saved by colleagues of the same office (area)."""
    if not getattr(user, "is_authenticated", False):
        return ColumnMapping.objects.none()
    scope = user.scope_code
    condition = Q(owner=user)
    if scope is not None:
        condition |= Q(area_code=scope)
    return ColumnMapping.objects.filter(condition).select_related("owner").order_by("name")


def _display(model, name: str, value: Any) -> Any:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return value
    if value in (None, "", [], {}):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    return value


def _label(model, name: str) -> str:
    if name == "ppks_added":
        return _("PPKS ditambahkan")
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def import_history_for(obj, limit: int = 50) -> list[dict]:
    """A Person's or Household's changes made by imports, newest first, shaped like
    ``pandu.registry.history.history_entries``: when, user, type, reason, changes."""
    model = type(obj)
    name = model._meta.model_name
    if name not in ("person", "household"):
        return []
    logged = ImportChange.objects.filter(model=name).select_related("batch__user")
    # Updates name the record; creations name a run of keys that contains it.
    rows = sorted(
        [
            *logged.filter(object_id=obj.pk, last_object_id__isnull=True).order_by("-id")[:limit],
            *logged.filter(last_object_id__gte=obj.pk, object_id__lte=obj.pk).order_by("-id")[
                :limit
            ],
        ],
        key=lambda change: -change.id,
    )[:limit]
    entries = []
    for change in rows:
        batch = change.batch
        user = batch.user.get_username() if batch.user else _("sistem")
        changes = []
        before = change.before or {}
        for key, new in (change.after or {}).items():
            if key == "ppks_added":
                changes.append({"field": _label(model, key), "old": "—", "new": new})
                continue
            field = key[:-3] if key.endswith("_id") else key
            changes.append(
                {
                    "field": _label(model, field),
                    "old": _display(model, field, before.get(key)),
                    "new": _display(model, field, new),
                }
            )
        entries.append(
            {
                "when": batch.finished_at or batch.started_at or batch.created_at,
                "user": user,
                "type": change.get_action_display(),
                "reason": _("Diimpor dalam batch %(batch)s oleh %(user)s dari berkas %(file)s")
                % {"batch": batch.short_id, "user": user, "file": batch.file_name},
                "changes": changes,
                "import_batch": str(batch.uid),
            }
        )
    return entries
