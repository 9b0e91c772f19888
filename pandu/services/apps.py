from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "pandu.services"
    verbose_name = _("Layanan terpadu (SLRT/Puskesos)")

    def ready(self) -> None:
        from . import menu, registry_history
        from .capabilities import register

        register()
        menu.register()
        registry_history.register()
        _keep_bodies()


def _keep_bodies() -> None:
    """A partner agency's body in the list of organisations is changed from the partner's page."""
    from pandu.organisations import keepers

    keepers.register("partner_agency", _("mitra layanan"), "services:partner_detail")
