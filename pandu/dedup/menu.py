"""The duplicate review queue in the main menu (``core.menu``)."""

from django.utils.translation import gettext_lazy as _

from pandu.accounts.roles import Cap
from pandu.core import menu
from pandu.registry.menu import UPDATE


def register() -> None:
    menu.item(
        _("Data ganda"),
        "dedup:pair_list",
        section=UPDATE,
        order=3,
        allowed=menu.has_any(Cap.REVIEW_DUPLICATES),
    )
