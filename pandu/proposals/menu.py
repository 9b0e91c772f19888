"""Proposals in the main menu (``core.menu``): whoever may read them (``permissions.may_see``)."""

from django.utils.translation import gettext_lazy as _

from pandu.core import menu
from pandu.registry.menu import UPDATE

from .permissions import may_see


def register() -> None:
    menu.item(
        _("Usulan dan verifikasi"), "proposals:batch_list", section=UPDATE, order=1, allowed=may_see
    )
