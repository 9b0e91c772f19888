"""Reads of the exchange app: imports and mappings a user may see, and a record's import history."""

from __future__ import annotations

from datetime import datetime
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


def import_history_for(obj, limit: int = 50) -> list[dict[str, Any]]:
    """A Person's or Household's changes made by imports, newest first, as entries of the
    record's history (registered with ``pandu.registry.history``, which merges them into the
    timeline the record's page and the API show): when, user, +/~, reason, raw changes."""
    meta = type(obj)._meta
    if meta.app_label != "registry" or meta.model_name not in ("person", "household"):
        return []
    name = meta.model_name
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
        username = batch.user.get_username() if batch.user else None
        changes: list[dict[str, Any]] = []
        before = change.before or {}
        for key, new in (change.after or {}).items():
            if key == "ppks_added":
                label = _("PPKS ditambahkan")
                changes.append({"field": key, "label": label, "old": None, "new": new})
                continue
            # Keys are columns: a foreign key's value is the linked record's primary key.
            field = key[:-3] if key.endswith("_id") else key
            changes.append({"field": field, "old": before.get(key), "new": new})
        created = change.action == ImportChange.Action.CREATED
        entries.append(
            {
                "when": batch.finished_at or batch.started_at or batch.created_at,
                "user": username,
                "type": "+" if created else "~",
                "type_label": change.get_action_display(),
                "reason": _("Diimpor dalam batch %(batch)s oleh %(user)s dari berkas %(file)s")
                % {
                    "batch": batch.short_id,
                    "user": username or _("sistem"),
                    "file": batch.file_name,
                },
                "changes": changes,
                "import_batch": str(batch.uid),
            }
        )
    return entries


def import_authors(obj, names: set[str], since: datetime | None) -> dict[str, tuple[Any, Any]]:
    """Who changed ``names`` of a Person or Household by import (registered with
    ``core.versions``, which asks about changes its history rows do not hold): for each field,
    the importing user and the time of the latest import that changed it, since ``since``."""
    meta = type(obj)._meta
    if meta.app_label != "registry" or meta.model_name not in ("person", "household"):
        return {}
    logged = ImportChange.objects.filter(
        model=meta.model_name,
        object_id=obj.pk,
        last_object_id__isnull=True,
        action=ImportChange.Action.UPDATED,
    )
    if since is not None:
        unfinished = Q(batch__finished_at__isnull=True)
        logged = logged.filter(unfinished | Q(batch__finished_at__gte=since))
    found: dict[str, tuple[Any, Any]] = {}
    for change in logged.select_related("batch__user").order_by("-id")[:20]:
        batch = change.batch
        for key in change.after or {}:
            name = key[:-3] if key.endswith("_id") else key
            if name in names and name not in found:
                found[name] = (batch.user, batch.finished_at or batch.started_at)
    return found
