"""Programmes in the main menu: the catalogue for every office role, integrated programmes for
the coordinator, the head and the implementers' focal points."""

from django.utils.translation import gettext_lazy as _

from pandu.core import menu

from .capabilities import PCap


def _integrated(user) -> bool:
    return user.can(PCap.INTEGRATED_VIEW) or user.can(PCap.FOCAL_POINT)


def register() -> None:
    menu.item(_("Program terpadu"), "programs:integrated_list", order=50, allowed=_integrated)
    menu.item(
        _("Katalog program"),
        "programs:catalogue",
        order=51,
        allowed=lambda user: user.can(PCap.CATALOGUE_VIEW),
    )
