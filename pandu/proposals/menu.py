"""Proposals in the main menu (``core.menu``): whoever may read them (the registry's right)."""

from django.utils.translation import gettext_lazy as _

from pandu.accounts.roles import Cap
from pandu.core import menu
from pandu.registry.menu import UPDATE


def register() -> None:
    menu.item(
        _("Usulan dan verifikasi"),
        "proposals:batch_list",
        section=UPDATE,
        order=1,
        allowed=menu.has_any(Cap.VIEW_REGISTRY),
    )
