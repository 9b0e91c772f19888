"""The one-stop service in the main menu (``core.menu``): one entry, the one the role works from.

Desk and case staff get the service home; a partner agency its referral inbox; whoever only reads
the reports (the head of office) the dashboard. A village operator gets none: the service desk
is not theirs, and its pages answer them "not found".
"""

from django.utils.translation import gettext_lazy as _

from pandu.core import menu

from .capabilities import SCap


def _staff(user) -> bool:
    return user.can(SCap.INTAKE_VIEW) or user.can(SCap.CASE_VIEW)


def _partner(user) -> bool:
    return user.can(SCap.PARTNER) and not _staff(user)


def _reports_only(user) -> bool:
    return user.can(SCap.REPORTS) and not _staff(user)


def register() -> None:
    menu.item(_("Layanan terpadu"), "services:home", order=40, allowed=_staff)
    menu.item(_("Rujukan masuk"), "services:inbox", order=41, allowed=_partner)
    menu.item(_("Dasbor layanan"), "services:dashboard", order=42, allowed=_reports_only)
