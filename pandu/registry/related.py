"""What other apps hold about a person or a family, shown on the registry's record pages.

The registry never imports the apps built on it: an app that keeps records about people (the
one-stop service's intakes, cases and referrals) registers a provider from its
``AppConfig.ready()`` with :func:`register_provider`. A provider is given the reading user and
the people of the page and returns a :class:`Section` (or ``None`` when the user's role may not
read any of it); it reads through its own ``visible_to`` querysets, so the page shows exactly
what the user may open and only says how many protected records exist beyond that.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Model


@dataclass
class Row:
    """One record: when, what (``label``, with a link where the user may open it), its state."""

    when: datetime | None
    label: str
    url: str = ""
    status: str = ""
    detail: str = ""
    kind: str = ""


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)
    # Records the user may not open, said as a count only ("1 kasus terlindungi").
    protected: str = ""
    empty: str = ""
    key: str = ""


Provider = Callable[[Any, Sequence[Model]], Section | None]

_providers: list[Provider] = []


def register_provider(provider: Provider) -> None:
    """Add ``provider``'s section to every person and household page."""
    if provider not in _providers:
        _providers.append(provider)


def sections_for(user: Any, people: Sequence[Model]) -> list[Section]:
    """The sections the user may read about ``people`` (a person, or a family's members)."""
    found = []
    for provider in _providers:
        section = provider(user, people)
        if section is not None:
            found.append(section)
    return found
