"""A record's whole history: one timeline, read the same way by its page and by the API.

Changes made one by one are django-simple-history rows (the actions stamp them). Other apps
keep some changes their own way (an import logs a million records in bulk, see
``exchange.ImportChange``) and plug their entries in with :func:`register_source`, so the
registry never imports them and no reader forgets them.

``history_records`` gives the raw values (the API); ``history_entries`` the same timeline with
labels, choice names and linked records named (the record pages). Links are never integer keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey, Model
from django.utils.translation import gettext_lazy as _

from .masking import mask_nik
from .validation import mask_account

TYPE_LABELS = {"+": _("Dibuat"), "~": _("Diubah"), "-": _("Dihapus")}
HIDDEN = {"id", "uid", "created_at", "updated_at", "name_key"}
MASKED = {"bank_account"}

#: A source of history entries another app keeps: ``source(record, limit)`` returns at most
#: ``limit`` entries of the record, newest first (``[]`` for a record it knows nothing of). An
#: entry is ``{"when", "user" (username or None), "type" ("+", "~" or "-"), "reason",
#: "changes": [{"field", "old", "new"}]}`` with raw values (a foreign key by its primary key);
#: a change of something that is not a field of the model also gives its ``"label"``, and an
#: entry may give a ``"type_label"`` for the page (e.g. "created by import").
HistorySource = Callable[[Model, int], list[dict[str, Any]]]

_sources: list[HistorySource] = []


def register_source(source: HistorySource) -> None:
    """Add ``source``'s entries to every record's history (from an ``AppConfig.ready()``)."""
    if source not in _sources:
        _sources.append(source)


def _public_key(related: Model) -> str:
    """How the API names a linked record: its uid, or its natural key (an area's code)."""
    return str(getattr(related, "uid", None) or related.pk)


def _changes_one_by_one(obj: Model, limit: int) -> list[dict[str, Any]]:
    """The simple-history rows, newest first, each diffed against the one before (one query)."""
    records = list(
        obj.history.select_related("history_user").order_by(  # type: ignore[attr-defined]
            "-history_date", "-history_id"
        )[: limit + 1]
    )
    entries = []
    for i, rec in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if prev is not None and rec.history_type == "~":
            for ch in rec.diff_against(prev).changes:
                if ch.field in HIDDEN:
                    continue
                old, new = ch.old, ch.new
                if ch.field in MASKED:  # financial numbers: the history shows that they changed
                    old, new = mask_account(old), mask_account(new)
                changes.append({"field": ch.field, "old": old, "new": new})
        entries.append(
            {
                "when": rec.history_date,
                "user": rec.history_user.get_username() if rec.history_user else None,
                "type": rec.history_type,
                "reason": rec.history_change_reason or "",
                "changes": changes,
            }
        )
    return entries


def _field(model: type[Model], name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def history_records(
    obj: Model,
    limit: int = 500,
    *,
    link: Callable[[Model], str] = _public_key,
    full_nik: bool = True,
) -> list[dict[str, Any]]:
    """Newest first: when, who, +/~/-, the reason, and each changed field's old → new value.

    The record's own change log and every registered source, merged by time. A changed foreign
    key shows ``link(related_object)`` (by default its uid); each change carries its label. With
    ``full_nik`` False a corrected NIK shows masked, as it does on the reader's pages.
    """
    model = type(obj)
    entries = _changes_one_by_one(obj, limit)
    for source in _sources:
        entries += source(obj, limit)
    # Stable: entries of the same moment keep the order their source gave them.
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    entries = entries[:limit]
    if not full_nik:
        for entry in entries:
            for ch in entry["changes"]:
                if ch["field"] == "nik":
                    ch["old"], ch["new"] = (mask_nik(v) if v else v for v in (ch["old"], ch["new"]))

    fk_ids: dict[type[Model], set] = {}
    for entry in entries:
        for ch in entry["changes"]:
            field = _field(model, ch["field"])
            if field is None:
                ch.setdefault("label", ch["field"])
                continue
            ch["label"] = str(field.verbose_name)
            if isinstance(field, ForeignKey) and field.related_model is not None:
                fk_ids.setdefault(field.related_model, set()).update(  # type: ignore[arg-type]
                    v for v in (ch["old"], ch["new"]) if v is not None
                )
    if fk_ids:
        linked = {
            (related, o.pk): link(o)
            for related, ids in fk_ids.items()
            for o in related._default_manager.filter(pk__in=ids)
        }
        for entry in entries:
            for ch in entry["changes"]:
                field = _field(model, ch["field"])
                related = field.related_model if isinstance(field, ForeignKey) else None
                if related in fk_ids:
                    for key in ("old", "new"):
                        if ch[key] is not None:
                            ch[key] = linked.get((related, ch[key]))
    return entries


def _display(model, field_name: str, value):
    field = _field(model, field_name)
    if value in (None, "", [], {}):
        return "—"
    if field is not None and field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def history_entries(obj: Model, limit: int = 200, *, full_nik: bool = True) -> list[dict[str, Any]]:
    """For the record's page: the same timeline with labels, choice names, linked records by
    name."""
    model = type(obj)
    entries = history_records(obj, limit, link=str, full_nik=full_nik)
    for entry in entries:
        entry["type"] = entry.pop("type_label", None) or TYPE_LABELS.get(
            entry["type"], entry["type"]
        )
        entry["user"] = entry["user"] or _("sistem")
        shown = []
        for ch in entry["changes"]:
            name = ch["field"]
            fk = isinstance(_field(model, name), ForeignKey)
            shown.append(
                {
                    "field": ch["label"],
                    "old": (ch["old"] or "—") if fk else _display(model, name, ch["old"]),
                    "new": (ch["new"] or "—") if fk else _display(model, name, ch["new"]),
                }
            )
        entry["changes"] = shown
    return entries
