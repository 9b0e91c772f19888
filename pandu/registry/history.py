"""Reading a record's change history (django-simple-history) as before/after lines.

``history_records`` gives the raw values (the API); ``history_entries`` the same with labels,
choice names and linked records named (the record pages). Links are never integer keys.
"""

from django.db.models import ForeignKey
from django.utils.translation import gettext_lazy as _

TYPE_LABELS = {"+": _("Dibuat"), "~": _("Diubah"), "-": _("Dihapus")}
HIDDEN = {"id", "uid", "created_at", "updated_at", "name_key"}


def history_records(obj, limit: int = 500, *, link=lambda related: str(related.uid)) -> list[dict]:
    """Newest first: when, who, +/~/-, the reason, and each changed field's old → new value.

    Consecutive records are diffed in memory (one query for the whole history). A change to a
    foreign key shows ``link(related_object)`` (by default its uid).
    """
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries = []
    fk_ids: dict[type, set] = {}
    for i, rec in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if prev is not None and rec.history_type == "~":
            for ch in rec.diff_against(prev).changes:
                if ch.field in HIDDEN:
                    continue
                field = model._meta.get_field(ch.field)
                changes.append(
                    {
                        "field": ch.field,
                        "label": str(field.verbose_name),
                        "old": ch.old,
                        "new": ch.new,
                    }
                )
                if isinstance(field, ForeignKey) and field.related_model is not None:
                    fk_ids.setdefault(field.related_model, set()).update(
                        v for v in (ch.old, ch.new) if v is not None
                    )
        entries.append(
            {
                "when": rec.history_date,
                "user": rec.history_user.get_username() if rec.history_user else None,
                "type": rec.history_type,
                "reason": rec.history_change_reason or "",
                "changes": changes,
            }
        )
    if fk_ids:
        linked = {
            (related, o.pk): link(o)
            for related, ids in fk_ids.items()
            for o in related._default_manager.filter(pk__in=ids)  # type: ignore[attr-defined]
        }
        for entry in entries:
            for ch in entry["changes"]:
                related = model._meta.get_field(ch["field"]).related_model
                if related in fk_ids:
                    for key in ("old", "new"):
                        if ch[key] is not None:
                            ch[key] = linked.get((related, ch[key]))
    return entries


def _display(model, field_name: str, value):
    field = model._meta.get_field(field_name)
    if value in (None, "", [], {}):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    return value


def history_entries(obj, limit: int = 200) -> list[dict]:
    """For the record's page: labels, choice names, linked records by name."""
    model = type(obj)
    entries = history_records(obj, limit, link=str)
    for entry in entries:
        entry["type"] = TYPE_LABELS.get(entry["type"], entry["type"])
        entry["user"] = entry["user"] or _("sistem")
        shown = []
        for ch in entry["changes"]:
            name = ch["field"]
            fk = isinstance(model._meta.get_field(name), ForeignKey)
            shown.append(
                {
                    "field": ch["label"],
                    "old": (ch["old"] or "—") if fk else _display(model, name, ch["old"]),
                    "new": (ch["new"] or "—") if fk else _display(model, name, ch["new"]),
                }
            )
        entry["changes"] = shown
    return entries
