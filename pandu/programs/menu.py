"""The one "Program" dropdown of the main menu: the catalogue for every office role, the list
of organisations, integrated programmes for the coordinator, the head and the implementers'
focal points, candidates and KPM. Programs declares it; targeting (built on programs) registers
its pages into it with :data:`SECTION`, so a role sees one menu for everything about
programmes."""

from django.utils.translation import gettext_lazy as _

from pandu.core import menu

from .capabilities import PCap

#: The key of the dropdown; other apps put their programme pages in it.
SECTION = "programmes"


def _integrated(user) -> bool:
    return user.can(PCap.INTEGRATED_VIEW) or user.can(PCap.FOCAL_POINT)


def register() -> None:
    menu.section(SECTION, _("Program"), order=40)
    menu.item(
        _("Katalog program"),
        "programs:catalogue",
        section=SECTION,
        order=10,
        allowed=menu.has_any(PCap.CATALOGUE_VIEW),
    )
    menu.item(
        _("Program terpadu"),
        "programs:integrated_list",
        section=SECTION,
        order=11,
        allowed=_integrated,
    )
    menu.item(
        _("Lembaga"),
        "programs:organisation_list",
        section=SECTION,
        order=12,
        allowed=menu.has_any(PCap.CATALOGUE_VIEW),
    )
    menu.item(
        _("Calon dan KPM"),
        "programs:enrolment_list",
        section=SECTION,
        order=30,
        allowed=menu.has_any(PCap.ENROLMENT_VIEW),
    )
    menu.item(
        _("Ketepatan sasaran"),
        "programs:accuracy_report",
        section=SECTION,
        order=35,
        allowed=menu.has_any(PCap.ENROLMENT_VIEW),
    )
