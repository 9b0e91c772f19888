"""Import and export in the main menu (``core.menu``), for whoever may do either."""

from django.utils.translation import gettext_lazy as _

from pandu.core import menu
from pandu.registry.menu import UPDATE

from .permissions import can_export, can_import


def _imports_or_exports(user) -> bool:
    return can_import(user) or can_export(user)


def register() -> None:
    menu.item(
        _("Impor dan ekspor"),
        "exchange:index",
        section=UPDATE,
        order=2,
        allowed=_imports_or_exports,
    )
