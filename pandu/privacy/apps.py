from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "pandu.privacy"
    verbose_name = _("Pelindungan data pribadi")

    def ready(self) -> None:
        from . import menu
        from .capabilities import register

        register()
        menu.register()
