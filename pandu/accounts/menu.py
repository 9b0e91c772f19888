"""The accounts pages in the tools menu: users for those who see them, the office's letterhead
for those who set it up, and everyone's own account security and API tokens."""

from django.utils.translation import gettext_lazy as _

from pandu.core import menu

from .roles import Cap


def register() -> None:
    menu.item(
        _("Pengguna"),
        "accounts:user_list",
        section=menu.TOOLS,
        order=6,
        allowed=menu.has_any(Cap.VIEW_USERS),
        icon="people",
    )
    menu.item(
        _("Kop surat"),
        "accounts:office",
        section=menu.TOOLS,
        order=5,
        allowed=menu.has_any(Cap.MANAGE_OFFICE),
        icon="file-earmark-richtext",
    )
    menu.item(
        _("Keamanan akun"),
        "accounts:security",
        section=menu.TOOLS,
        order=7,
        icon="shield-lock",
    )
    menu.item(_("Token API"), "accounts:token_list", section=menu.TOOLS, order=8, icon="key")
