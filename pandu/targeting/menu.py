"""Targeting's pages in the "Program" dropdown that programs declares (``programs.menu``)."""

from django.utils.translation import gettext_lazy as _

from pandu.core import menu
from pandu.programs.menu import SECTION

from .capabilities import TCap


def register() -> None:
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
