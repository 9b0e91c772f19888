"""The main menu: each app registers the pages it offers and the check that decides who sees them.

Apps call :func:`section` and :func:`item` from their ``AppConfig.ready()``; ``base.html`` shows
what :func:`for_user` returns. Core keeps the list and never imports the apps, and a page shows in
the menu only when its check says the user may open it, so nobody is led into a "not found".
The check should ask what the view asks (usually ``user.can(cap)``: see :func:`has_any`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

TOOLS = "tools"  # Alat: checks and pages every signed-in user may use

Check = Callable[[Any], bool]


def everyone(user: Any) -> bool:
    """Pages every signed-in user may open (the menu is shown to signed-in users only)."""
    return True


def has_any(*caps: str) -> Check:
    """A check: the user holds at least one of ``caps`` (``accounts.roles``)."""

    def check(user: Any) -> bool:
        return any(user.can(cap) for cap in caps)

    return check


@dataclass(frozen=True)
class Section:
    """A dropdown of the menu bar; shown when at least one of its items is."""

    key: str
    label: Any
    order: int


@dataclass(frozen=True)
class Item:
    label: Any
    url_name: str
    allowed: Check
    section: str | None  # None: a link on the menu bar itself
    order: int
    icon: str = ""  # a Bootstrap Icons name, e.g. "search"


@dataclass
class Entry:
    """What the template draws: a link (``url``) or a dropdown (``links``)."""

    label: Any
    url: str = ""
    icon: str = ""
    links: list[Entry] = field(default_factory=list)


_sections: dict[str, Section] = {}
_items: list[Item] = []


def section(key: str, label: Any, *, order: int) -> None:
    """Declare a dropdown. Declaring it again with the same label and order changes nothing."""
    new = Section(key, label, order)
    old = _sections.get(key)
    if old is not None and (old.label is not label or old.order != order):
        raise ValueError(f"menu section {key!r} is already declared differently")
    _sections[key] = new


def item(
    label: Any,
    url_name: str,
    *,
    order: int,
    allowed: Check = everyone,
    section: str | None = None,
    icon: str = "",
) -> None:
    """Offer the page ``url_name`` (a URL name without arguments) to users ``allowed`` lets in.

    Registering the same page in the same place again changes nothing (``ready()`` may run twice
    in tests).
    """
    if any(i.url_name == url_name and i.section == section for i in _items):
        return
    _items.append(Item(label, url_name, allowed, section, order, icon))


def register() -> None:
    """Core's own entries, from ``CoreConfig.ready()``."""
    section(TOOLS, _("Alat"), order=90)
    # The area tree: regions is the layer under core and imports nothing of it, so core offers it.
    item(_("Wilayah"), "regions:browse", section=TOOLS, order=2)
    item(_("Tugas latar belakang"), "core:job_list", section=TOOLS, order=3)
    item(_("Dokumentasi API"), "api-docs", section=TOOLS, order=4)


def sections() -> dict[str, Section]:
    return dict(_sections)


def items() -> list[Item]:
    return list(_items)


def for_user(user: Any) -> list[Entry]:
    """The menu bar for ``user``: links and non-empty dropdowns, each in its order."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    top: list[tuple[int, Entry]] = []
    dropdowns: dict[str, list[tuple[int, Entry]]] = {}
    for it in _items:
        if not it.allowed(user):
            continue
        entry = Entry(it.label, reverse(it.url_name), it.icon)
        if it.section is None:
            top.append((it.order, entry))
        else:
            dropdowns.setdefault(it.section, []).append((it.order, entry))
    for key, links in dropdowns.items():
        sec = _sections[key]
        top.append((sec.order, Entry(sec.label, links=_in_order(links))))
    return _in_order(top)


def _in_order(entries: list[tuple[int, Entry]]) -> list[Entry]:
    return [entry for _order, entry in sorted(entries, key=lambda pair: pair[0])]
