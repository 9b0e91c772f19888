"""The office's letterhead in the tools menu, for the roles that set it up."""

from django.utils.translation import gettext_lazy as _

from pandu.core import menu

from .roles import Cap


def register() -> None:
    menu.item(
        _("Kop surat"),
        "accounts:office",
        section=menu.TOOLS,
        order=5,
        allowed=menu.has_any(Cap.MANAGE_OFFICE),
        icon="file-earmark-richtext",
    )
