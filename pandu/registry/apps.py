from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "pandu.registry"
    verbose_name = _("Registri sosial")

    def ready(self) -> None:
        from . import menu

        menu.register()
