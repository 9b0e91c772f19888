"""Model fields whose column holds ciphertext (decision 0019, ``core.crypto``).

The model and everything above it (forms, pages, the API, history) see the plain value; only
the column is encrypted. Such a column cannot be searched, compared or sorted in the database:
a lookup other than ``isnull`` or an equality with the empty text is refused with a
``FieldError`` naming the field, rather than quietly matching nothing.
"""

from __future__ import annotations

import json

from django.core.exceptions import FieldError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.lookups import Exact, IsNull

from . import crypto


class EmptyOnlyExact(Exact):
    """``field=""``: whether the text is empty is the one thing the column tells."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: it can only be compared with the "
                "empty text"
            )
        return super().get_prep_lookup()


class EncryptedMixin:
    """What every encrypted field shares: the lookups it allows."""

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return EmptyOnlyExact
        return None

    def get_transform(self, lookup_name):
        return None


class EncryptedTextField(EncryptedMixin, models.TextField):
    """Free text, encrypted in its column; an empty text stays empty."""

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)


class EncryptedCharField(EncryptedTextField):
    """One line of text (what was a ``CharField``): the same one-line input and length limit
    on the plain text, while the column holds the longer ciphertext."""

    def __init__(self, *args, **kwargs):
        if kwargs.get("max_length") is None:
            raise TypeError("EncryptedCharField needs max_length")
        super().__init__(*args, **kwargs)
        self.validators.append(MaxLengthValidator(kwargs["max_length"]))

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"max_length": self.max_length, **kwargs})


class EncryptedJSONField(EncryptedMixin, models.JSONField):
    """A JSON value (a dict of answers), serialised and encrypted into a text column."""

    description = "JSON encrypted at rest"

    def get_internal_type(self):
        return "TextField"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        text = crypto.decrypt(value)
        try:
            return json.loads(text, cls=self.decoder)
        except json.JSONDecodeError:
            return text

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        if isinstance(value, models.expressions.Value) and value.value is None:
            return None
        return crypto.encrypt(json.dumps(value, cls=self.encoder))
