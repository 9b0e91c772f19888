"""The "Data Pribadi" dropdown: requests for those who handle them, the retention review and
rules for its reviewers, the breach register for those who read it."""

from django.utils.translation import gettext_lazy as _

from pandu.core import menu

from .capabilities import PCap

SECTION = "privacy"


def register() -> None:
    menu.section(SECTION, _("Data Pribadi"), order=85)
    menu.item(
        _("Permintaan subjek data"),
        "privacy:request_list",
        section=SECTION,
        order=10,
        allowed=menu.has_any(PCap.HANDLE),
    )
    menu.item(
        _("Tinjauan masa simpan"),
        "privacy:review_list",
        section=SECTION,
        order=20,
        allowed=menu.has_any(PCap.RETENTION),
    )
    menu.item(
        _("Ketentuan masa simpan"),
        "privacy:rule_list",
        section=SECTION,
        order=21,
        allowed=menu.has_any(PCap.RETENTION),
    )
    menu.item(
        _("Insiden kebocoran data"),
        "privacy:breach_list",
        section=SECTION,
        order=30,
        allowed=menu.has_any(PCap.BREACH_VIEW),
    )
