"""Reading a record's change history (django-simple-history) as before/after lines."""

from django.utils.translation import gettext_lazy as _

TYPE_LABELS = {"+": _("Dibuat"), "~": _("Diubah"), "-": _("Dihapus")}
HIDDEN = {"name_key", "updated_at", "created_at", "id", "uid"}


def _display(model, field_name: str, value):
    try:
        field = model._meta.get_field(field_name)
    except Exception:
        return value
    if value in (None, "", [], {}):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    return value


def history_entries(obj, limit: int = 200) -> list[dict]:
    """Newest first: when, who, what kind of change, the reason, and each field's old → new."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    model = type(obj)
    entries = []
    for i, rec in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if prev is not None and rec.history_type == "~":
            delta = rec.diff_against(prev)
            for ch in delta.changes:
                if ch.field in HIDDEN:
                    continue
                field = model._meta.get_field(ch.field)
                changes.append(
                    {
                        "field": field.verbose_name,
                        "old": _display(model, ch.field, ch.old),
                        "new": _display(model, ch.field, ch.new),
                    }
                )
        entries.append(
            {
                "when": rec.history_date,
                "user": rec.history_user.get_username() if rec.history_user else _("sistem"),
                "type": TYPE_LABELS.get(rec.history_type, rec.history_type),
                "reason": rec.history_change_reason or "",
                "changes": changes,
            }
        )
    return entries
