"""Which page keeps a body's identity when a partner agency or a PSKS institution owns it.

The apps whose records are also a body (services' partner agencies, the registry's PSKS
institutions) tell this list, from their ``AppConfig.ready()``, the name of the one-to-one
relation that leads from a body to their record and the page where that record is changed.
A page of the list of bodies then links there instead of offering a form
(``update_organisation`` refuses such a body); this layer imports none of those apps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse


@dataclass(frozen=True)
class Keeper:
    relation: str  # the related name on Organisation, e.g. "partner_agency"
    label: Any  # what the record is, e.g. "mitra layanan"
    url_name: str  # the record's page, taking its uid


@dataclass(frozen=True)
class KeptBy:
    label: Any
    url: str
    name: str


_keepers: dict[str, Keeper] = {}


def register(relation: str, label: Any, url_name: str) -> None:
    """Registering the same relation again replaces it (``ready()`` may run twice in tests)."""
    _keepers[relation] = Keeper(relation, label, url_name)


def kept_by(org: Any) -> KeptBy | None:
    """The record that keeps ``org`` and where it is changed; None for a body of its own."""
    for keeper in _keepers.values():
        try:
            record = getattr(org, keeper.relation)
        except (ObjectDoesNotExist, AttributeError):
            continue
        if record is not None:
            return KeptBy(keeper.label, reverse(keeper.url_name, args=[record.uid]), str(record))
    return None
