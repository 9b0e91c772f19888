"""Payment pages in the "Program" dropdown that programs declares (``programs.menu``)."""

from django.utils.translation import gettext_lazy as _

from pandu.core import menu
from pandu.programs.menu import SECTION

from .capabilities import PayCap


def register() -> None:
    menu.item(
        _("Siklus penyaluran"),
        "payments:cycle_list",
        section=SECTION,
        order=40,
        allowed=menu.has_any(PayCap.VIEW),
    )
    menu.item(
        _("Rekonsiliasi penyaluran"),
        "payments:import_list",
        section=SECTION,
        order=41,
        allowed=menu.has_any(PayCap.VIEW),
    )
    menu.item(
        _("Daftar bayar ulang"),
        "payments:retry_list",
        section=SECTION,
        order=42,
        allowed=menu.has_any(PayCap.VIEW),
    )
    menu.item(
        _("Dana dikembalikan"),
        "payments:returned_list",
        section=SECTION,
        order=43,
        allowed=menu.has_any(PayCap.VIEW),
    )
