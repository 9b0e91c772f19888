"""Targeting's pages in the main menu (``core.menu``)."""

from django.utils.translation import gettext_lazy as _

from pandu.core import menu

from .capabilities import TCap

SECTION = "programmes"


def register() -> None:
    menu.section(SECTION, _("Program"), order=40)
    menu.item(
        _("Penetapan sasaran"),
        "targeting:run_list",
        section=SECTION,
        order=20,
        allowed=menu.has_any(TCap.VIEW),
    )
    menu.item(
        _("Aturan kelayakan dan model PMT"),
        "targeting:ruleset_list",
        section=SECTION,
        order=21,
        allowed=menu.has_any(TCap.RUN),
    )
