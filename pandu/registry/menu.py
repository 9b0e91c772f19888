"""The registry's pages in the main menu (``core.menu``), and the "update" dropdown that the apps
changing the registry in bulk (proposals, import, duplicates) add to."""

from django.utils.translation import gettext_lazy as _

from pandu.accounts.roles import Cap
from pandu.core import menu

UPDATE = "update"  # Pemutakhiran: proposals, import and export, duplicates
REGISTRY = "registry"


def register() -> None:
    reads = menu.has_any(Cap.VIEW_REGISTRY)
    menu.item(_("Cari"), "registry:search", order=10, allowed=reads, icon="search")
    menu.section(REGISTRY, _("Registri"), order=20)
    menu.item(_("Keluarga"), "registry:household_list", section=REGISTRY, order=1, allowed=reads)
    menu.item(_("Penduduk"), "registry:person_list", section=REGISTRY, order=2, allowed=reads)
    menu.item(_("PSKS"), "registry:psks_list", section=REGISTRY, order=3, allowed=reads)
    menu.item(_("Perlu diperiksa"), "registry:flagged", section=REGISTRY, order=4, allowed=reads)
    menu.section(UPDATE, _("Pemutakhiran"), order=30)
    menu.item(_("Periksa NIK"), "registry:nik_tool", section=menu.TOOLS, order=1)
