"""Record versions: two people editing one record never silently overwrite each other.

Every editable record carries ``version`` (:class:`VersionedModel`), raised by one on each
save. A form remembers the version it showed and a fingerprint of each value it showed
(``core.forms.VersionedForm``); an API client names the version it read in ``If-Match``
(``core.api``). An action then calls :func:`lock`: the row is read again ``SELECT ... FOR
UPDATE``, so the comparison and the write that follows are one step no other writer can enter.

- Same version: nothing changed meanwhile; the action writes what the user changed.
- A form based on an older version: the fields someone else changed meanwhile are found by
  their fingerprints. When none of them is a field the user changed too, the action writes the
  user's fields only and the other person's newer values stay. When one is, that is a
  :class:`VersionConflict`, naming every field someone else changed, its value now and who
  changed it (from the record's history).
- An API call based on an older version is a conflict (HTTP 412): the client only names the
  version it read, so there is nothing to merge against.

A save outside :func:`lock` is still guarded: the ``UPDATE`` only matches the row at the
version the instance was read at, so a write based on a stale copy is refused, never lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from uuid import UUID

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: Fields that are bookkeeping, never something a person edits.
NOT_VALUES = frozenset({"id", "uid", "created_at", "updated_at", "version"})

_SALT = "pandu.core.versions"


def canonical(value: Any) -> Any:
    """``value`` in one comparable form: a record by its key, numbers and dates as text, line
    ends and outer blanks of text ignored, no difference between "" and ``None``."""
    if isinstance(value, models.Model):
        value = value.pk
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value)).normalize()
        except InvalidOperation:
            return str(value)
        return format(number, "f")
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(json.dumps(canonical(v), sort_keys=True) for v in value)
    if hasattr(value, "pk"):
        return canonical(value.pk)
    return str(value)


def shown(value: Any, choices: Iterable[tuple[Any, Any]] | None = None) -> str:
    """``value`` as a person reads it: choices by their label, yes/no, dates as DD-MM-YYYY."""
    labels = {str(k): str(v) for k, v in choices or ()}
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "d-m-Y H:i")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Mapping):
        return ", ".join(f"{labels.get(str(k), k)}: {v}" for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    return labels.get(str(value), str(value))


def fingerprint(value: Any) -> str:
    """A short keyed hash of ``value``: equal values give equal prints, and a print says
    nothing of the value (a NIK or an account number in a form stays out of the page)."""
    text = json.dumps(canonical(value), sort_keys=True, separators=(",", ":"))
    return salted_hmac(_SALT, text).hexdigest()[:16]


# --- The model side --------------------------------------------------------------------------


class VersionedModel(models.Model):
    """A record two people may edit at once: ``version`` counts its saves.

    ``save()`` raises the version and writes only over the version it was read at; a copy read
    before someone else's save is refused with :class:`VersionConflict` instead of overwriting
    their change.
    """

    version = models.PositiveIntegerField(
        gettext_lazy("versi"),
        default=1,
        editable=False,
        help_text=gettext_lazy("Naik satu pada setiap perubahan; dasar pemeriksaan bentrok."),
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding or self.pk is None:
            self._version_read = None
            super().save(*args, **kwargs)
            return
        read = self.version
        self._version_read = read
        self.version = read + 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version = read
            raise
        finally:
            self._version_read = None

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        read = getattr(self, "_version_read", None)
        if read is None:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        updated = super()._do_update(
            base_qs.filter(version=read), using, pk_val, values, update_fields, forced_update
        )
        if not updated and base_qs.filter(pk=pk_val).exists():
            current = type(self)._base_manager.using(using).get(pk=pk_val)
            raise VersionConflict(current, Seen(read))
        return updated

    def version_values(self) -> dict[str, Any]:
        """The record's values by field name, as forms and actions name them (a linked record
        by its key); what fingerprints are taken of."""
        values: dict[str, Any] = {}
        for f in self._meta.concrete_fields:
            if f.name not in NOT_VALUES:
                values[f.name] = f.value_from_object(self)
        return values

    def version_public_value(self, name: str) -> Any:
        """The value of ``name`` as the API shows it: a linked record by its uid (or natural key),
        dates as ISO text. Records with values only some may read override this."""
        try:
            f = self._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if f.is_relation and f.many_to_one:
            related = getattr(self, name, None)
            if related is None:
                return None
            return str(getattr(related, "uid", None) or related.pk)
        value = f.value_from_object(self)  # type: ignore[union-attr]
        if isinstance(value, datetime | date | time):
            return value.isoformat()
        if isinstance(value, Decimal | UUID):
            return str(value)
        return value

    def version_shown(self, name: str) -> str:
        """The value of ``name`` as a person reads it (a choice by its label, a linked record by
        its name); records with values only some may read override this."""
        try:
            f = self._meta.get_field(name)
        except FieldDoesNotExist:
            return "—"
        if f.is_relation and f.many_to_one:
            related = getattr(self, name, None)
            return "—" if related is None else str(related)
        value = f.value_from_object(self)  # type: ignore[union-attr]
        return shown(value, getattr(f, "flatchoices", None) or None)


V = TypeVar("V", bound=VersionedModel)


# --- What the user saw -----------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """The version a change is based on and, from a form, the fingerprint of each value it
    showed (``None`` from an API client, which names only the version)."""

    version: int
    values: Mapping[str, str] | None = None
    #: When the form was shown (a bound on where to look for who changed what since).
    at: datetime | None = None


@dataclass
class Change:
    """A field someone else changed since the version the user saw."""

    name: str
    label: str
    by: Any = None  # the user, or None when the change names nobody (an import without owner)
    at: datetime | None = None
    clash: bool = False  # the user changed this field too
    shown: str = "—"  # its value now, as a person reads it
    public: Any = None  # its value now, as the API shows it

    @property
    def by_name(self) -> str:
        if self.by is None:
            return _("sistem")
        if isinstance(self.by, str):
            return self.by
        return self.by.get_full_name() or self.by.get_username()

    @property
    def by_username(self) -> str | None:
        if self.by is None:
            return None
        return self.by if isinstance(self.by, str) else self.by.get_username()


class VersionConflict(ValidationError):
    """The change is based on a version that is no longer the record's, and someone else
    changed what it changes (or, from the API, anything at all)."""

    def __init__(
        self,
        record: VersionedModel,
        seen: Seen,
        changed: Iterable[str] | None = None,
        clash: Iterable[str] = (),
    ) -> None:
        self.record = record
        self.seen = seen
        self.clash = set(clash)
        self.changes = changes_since(record, seen, names=changed)
        for change in self.changes:
            change.clash = change.name in self.clash
            change.shown = record.version_shown(change.name)
            change.public = record.version_public_value(change.name)
        super().__init__(self.lines(), code="conflict")

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.changes]

    def lines(self, shown: Callable[[Change], str] | None = None) -> list[str]:
        """The refusal, one sentence a line: what happened, then each field someone else
        changed with its value now, who changed it and when (``shown`` may word the values)."""
        lines = [
            _(
                "Data ini sudah diubah orang lain sejak Anda membukanya (versi %(seen)s, kini "
                "versi %(now)s)."
            )
            % {"seen": self.seen.version, "now": self.record.version}
        ]
        for change in self.changes:
            values = {
                "field": change.label,
                "value": shown(change) if shown else change.shown,
                "user": change.by_name,
                "when": shown_time(change.at),
            }
            if change.clash and change.at:
                line = _(
                    "%(field)s kini “%(value)s”, diubah oleh %(user)s pada %(when)s. Anda juga "
                    "mengubah isian ini."
                )
            elif change.clash:
                line = _(
                    "%(field)s kini “%(value)s”, diubah oleh %(user)s. Anda juga mengubah isian "
                    "ini."
                )
            elif change.at:
                line = _("%(field)s kini “%(value)s”, diubah oleh %(user)s pada %(when)s.")
            else:
                line = _("%(field)s kini “%(value)s”, diubah oleh %(user)s.")
            lines.append(line % values)
        return lines


# --- Who changed what ------------------------------------------------------------------------

#: ``source(record, names, since)`` → ``{name: (user or username, when)}`` for changes a record's
#: own history rows do not hold (an import's bulk writes), made after ``since`` when given.
AuthorSource = Callable[[models.Model, set[str], datetime | None], dict[str, tuple[Any, Any]]]

_sources: list[AuthorSource] = []


def register_author_source(source: AuthorSource) -> None:
    """Let an app name who changed a record's fields outside its history rows (``ready()``)."""
    if source not in _sources:
        _sources.append(source)


def label_of(model: type[models.Model], name: str) -> str:
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name


def changes_since(
    record: VersionedModel, seen: Seen, names: Iterable[str] | None = None
) -> list[Change]:
    """The fields changed since ``seen.version`` (``names`` when known), each with who changed
    it last and when, read from the record's history rows; oldest field first."""
    wanted = set(names) if names is not None else None
    found: dict[str, Change] = {}
    since_at = seen.at
    history = getattr(record, "history", None)
    if history is not None:
        before = history.filter(version__lte=seen.version).order_by("-history_id").first()
        rows = list(
            history.filter(version__gt=seen.version)
            .select_related("history_user")
            .order_by("history_id")
        )
        if before is not None and since_at is None:
            since_at = before.history_date
        previous = before
        for row in rows:
            if previous is not None and row.history_type == "~":
                for delta in row.diff_against(previous).changes:
                    if delta.field in NOT_VALUES or (
                        wanted is not None and delta.field not in wanted
                    ):
                        continue
                    found.pop(delta.field, None)  # keep the order of the last change
                    found[delta.field] = Change(
                        delta.field,
                        label_of(type(record), delta.field),
                        by=row.history_user,
                        at=row.history_date,
                    )
            previous = row
    unexplained = (wanted or set()) - set(found)
    for source in _sources:
        if not unexplained:
            break
        for name, (by, at) in source(record, set(unexplained), since_at).items():
            if name in unexplained:
                found[name] = Change(name, label_of(type(record), name), by=by, at=at)
                unexplained.discard(name)
    for name in sorted(unexplained):
        found[name] = Change(name, label_of(type(record), name))
    return list(found.values())


# --- The action side -------------------------------------------------------------------------


def check(record: VersionedModel, changes: Iterable[str], seen: Seen | None) -> None:
    """Refuse ``changes`` to ``record`` (read under lock) when they are based on an older version
    and someone else changed the same fields since (from the API: anything since)."""
    if seen is None or record.version == seen.version:
        return
    if seen.values is None:
        raise VersionConflict(record, seen)
    now = record.version_values()
    theirs = {
        name for name, printed in seen.values.items() if fingerprint(now.get(name)) != printed
    }
    clash = set(changes) & theirs
    if clash:
        raise VersionConflict(record, seen, changed=theirs, clash=clash)


def lock(record: V, changes: Iterable[str] = (), seen: Seen | None = None) -> V:
    """``record`` read again and locked until the transaction ends, after :func:`check`.

    Call inside ``transaction.atomic``; the action then writes the returned copy.
    """
    locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
    check(locked, changes, seen)
    return locked


def shown_time(value: datetime | None) -> str:
    """A change's time as the conflict message shows it (local time)."""
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "d-m-Y H:i")
