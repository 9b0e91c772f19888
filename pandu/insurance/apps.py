from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsuranceConfig(AppConfig):
    name = "pandu.insurance"
    verbose_name = _("Askesos")

    def ready(self) -> None:
        from pandu.organisations import keepers

        from . import menu
        from .capabilities import register

        register()
        menu.register()
        # A provider's body in the list of organisations is changed from the provider's page.
        keepers.register("askesos_provider", _("penyelenggara Askesos"), "insurance:provider_edit")
