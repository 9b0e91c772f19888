"""The access log in the tools menu, for the roles that read it (the Dinas's administrator and
the auditor)."""

from django.utils.translation import gettext_lazy as _

from pandu.accounts.roles import Cap
from pandu.core import menu


def register() -> None:
    menu.item(
        _("Log akses"),
        "audit:access_log",
        section=menu.TOOLS,
        order=9,
        allowed=menu.has_any(Cap.VIEW_ACCESS_LOG),
        icon="journal-text",
    )
