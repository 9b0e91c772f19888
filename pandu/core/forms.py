"""Form helpers shared by every app's views."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import versions


def add_action_errors(form, exc: ValidationError | PermissionDenied) -> None:
    """Put an action's refusal on the form: field errors on their fields (or the form when the
    field is not on it), everything else as a form error."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc))
    elif hasattr(exc, "error_dict"):
        for name, errs in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


# --- Forms that edit a versioned record (``core.versions``) ----------------------------------

VERSION_FIELD = "version"
SEAL_FIELD = "version_seen"
_SEAL_SALT = "pandu.core.forms.version"

EXPIRED = _(
    "Formulir ini tidak lengkap atau sudah kedaluwarsa. Muat ulang halaman, lalu ulangi "
    "perubahan Anda."
)
REVIEW = _(
    "Isian Anda tetap di formulir, dan isian yang hanya diubah orang lain sudah diganti dengan "
    "nilainya yang baru. Periksa, lalu simpan lagi bila isian Anda tetap yang benar."
)


def posted_values(form: forms.BaseForm) -> dict[str, Any]:
    """What a browser sends for ``form`` as rendered: text as shown, ticked boxes only, lists for
    multiple choices (keys are the fields' HTML names)."""
    data: dict[str, Any] = {}
    for bf in form:
        widget = bf.field.widget
        value = bf.value()
        if getattr(widget, "allow_multiple_selected", False):
            data[bf.html_name] = [str(v) for v in value or []]
        elif isinstance(widget, forms.CheckboxInput):
            if widget.check_test(value):
                data[bf.html_name] = "on"
        else:
            rendered = widget.format_value(value)
            if isinstance(rendered, list):  # a single select formats its value as a list
                rendered = rendered[0] if rendered else ""
            data[bf.html_name] = "" if rendered is None else str(rendered)
    return data


if TYPE_CHECKING:  # what the mixin is mixed into, for the type checker
    _FormBase = forms.Form
else:
    _FormBase = object


class VersionedForm(_FormBase):
    """A form that edits one record carrying a version (mixed in before the form class).

    Built with ``versioned=True`` and the record (``record_kwarg``: ``instance`` for a model
    form), it carries two hidden fields: the version it showed and a signed seal of the values
    it showed, as fingerprints (never the values). On submit, :meth:`changes` keeps only what the
    user changed and :meth:`seen` tells the action what the user saw; when the action refuses
    with a :class:`~pandu.core.versions.VersionConflict`, :meth:`show_conflict` shows the form
    again on the record as it is now, with the user's changes kept and the message listing what
    someone else changed, their values and who changed them.
    """

    record_kwarg = "instance"
    #: Fields a record keeps but nobody edits on this form (never compared).
    version_ignore: tuple[str, ...] = ()

    def __init__(self, *args: Any, versioned: bool = False, **kwargs: Any) -> None:
        self._version_kwargs = {k: v for k, v in kwargs.items() if k not in ("data", "files")}
        record = kwargs.get(self.record_kwarg)
        if self.record_kwarg != "instance":  # a plain form: the record is the mixin's alone
            kwargs.pop(self.record_kwarg, None)
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.version_record: Any = record if versioned and getattr(record, "pk", None) else None
        self._seal: dict[str, Any] | None = None
        if self.version_record is None:
            return
        self.fields[VERSION_FIELD] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        self.fields[SEAL_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial[VERSION_FIELD] = self.version_record.version
            # Sealed when rendered: after the form's own ``__init__`` has set what it shows.
            self.initial[SEAL_FIELD] = self.make_seal

    # -- what the form showed --------------------------------------------------------------

    def _edited_names(self) -> list[str]:
        return [
            name
            for name, f in self.fields.items()
            if name not in (VERSION_FIELD, SEAL_FIELD)
            and name not in self.version_ignore
            and not f.disabled
        ]

    def _twin(self, record=None, data=None, versioned: bool = False) -> Any:
        """The same form on ``record`` (default: this form's), bound to ``data`` if given."""
        kwargs = dict(self._version_kwargs)
        if record is not None:
            kwargs[self.record_kwarg] = record
            kwargs.pop("initial", None)  # the initial values of the record it replaces
        if data is not None:
            kwargs["data"] = data
        return type(self)(versioned=versioned, **kwargs)  # type: ignore[call-arg]

    def _untouched_values(self) -> dict[str, Any]:
        """Each field's value as this form would clean it when sent back unchanged: shown
        values and submitted ones are then compared like for like."""
        twin = self._twin(data=posted_values(self._twin()))
        twin.is_valid()
        cleaned = getattr(twin, "cleaned_data", {})
        values = {}
        for name in self._edited_names():
            if name in cleaned:
                values[name] = self._comparable(name, cleaned[name])
            else:  # a value the form itself refuses: compare the value as shown
                values[name] = self._comparable(name, twin[name].value())
        return values

    def _comparable(self, name: str, value: Any) -> Any:
        if isinstance(self.fields[name], forms.MultipleChoiceField) and isinstance(
            value, list | tuple
        ):
            return sorted(str(v) for v in value)
        return value

    def make_seal(self) -> str:
        record = self.version_record
        names = set(self._edited_names())
        payload = {
            "k": f"{record._meta.label_lower}:{record.pk}",
            "v": record.version,
            "t": timezone.now().timestamp(),
            "r": {
                name: versions.fingerprint(value)
                for name, value in record.version_values().items()
                if name in names
            },
            "f": {
                name: versions.fingerprint(value)
                for name, value in self._untouched_values().items()
            },
        }
        return signing.dumps(payload, salt=_SEAL_SALT, compress=True)

    def _read_seal(self) -> dict[str, Any] | None:
        record = self.version_record
        raw = self.data.get(self.add_prefix(SEAL_FIELD)) or ""
        try:
            payload = signing.loads(raw, salt=_SEAL_SALT)
        except signing.BadSignature:
            return None
        if not isinstance(payload, dict) or payload.get("k") != (
            f"{record._meta.label_lower}:{record.pk}"
        ):
            return None
        return payload

    def clean(self):
        data = super().clean()  # type: ignore[misc]
        if self.version_record is not None:
            data.pop(VERSION_FIELD, None)
            data.pop(SEAL_FIELD, None)
            self._seal = self._read_seal()
            if self._seal is None:
                raise ValidationError(EXPIRED, code="expired")
        return data

    # -- what the view hands the action ----------------------------------------------------

    def seen(self) -> versions.Seen | None:
        """The version and values the user saw (after ``is_valid()``)."""
        if self._seal is None:
            return None
        return versions.Seen(
            version=int(self._seal["v"]),
            values=dict(self._seal["r"]),
            at=datetime.fromtimestamp(self._seal["t"], tz=UTC),
        )

    def changes(self, data: dict[str, Any]) -> dict[str, Any]:
        """``data`` (the action's input, keyed like the fields) without what the user left as
        it was shown: only the user's changes are written."""
        if self._seal is None:
            return dict(data)
        shown = self._seal["f"]
        kept = {}
        for name, value in data.items():
            if name in shown and name in self.cleaned_data:
                current = self._comparable(name, self.cleaned_data[name])
                if versions.fingerprint(current) == shown[name]:
                    continue
            kept[name] = value
        return kept

    # -- a refusal -------------------------------------------------------------------------

    def _shown(self, fresh: forms.BaseForm, change: versions.Change) -> str:
        """A changed field's value now, worded with the form's own choices where it has them."""
        f = fresh.fields.get(change.name)
        if f is None or isinstance(f, forms.ModelChoiceField):
            return change.shown
        choices = getattr(f, "choices", None)
        if not choices:
            return change.shown
        value = fresh.get_initial_for_field(f, change.name)
        return versions.shown(value, [(k, v) for k, v in choices if not isinstance(v, list)])

    def show_conflict(self, exc: versions.VersionConflict) -> None:
        """Show the form again on the record as it is now: fields someone else changed and the
        user did not take the new values, the user's own changes stay, the message lists what
        changed, and the next save is based on the current version."""
        current = exc.record
        fresh = self._twin(record=current, versioned=True)
        posted = posted_values(fresh)
        mine = set(self.changes(dict.fromkeys(self._edited_names())))
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound
        for change in exc.changes:
            if change.name in mine or change.name not in self.fields:
                continue
            key = self.add_prefix(change.name)
            data.pop(key, None)
            if key in posted:
                value = posted[key]
                if isinstance(value, list) and hasattr(data, "setlist"):
                    data.setlist(key, value)
                else:
                    data[key] = value
        self.version_record = current
        data[self.add_prefix(VERSION_FIELD)] = str(current.version)
        data[self.add_prefix(SEAL_FIELD)] = fresh.make_seal()
        self.data = data
        self._errors = None
        self.full_clean()
        for line in exc.lines(lambda change: self._shown(fresh, change)):
            self.add_error(None, line)
        self.add_error(None, REVIEW)
