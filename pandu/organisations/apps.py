from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "pandu.organisations"
    verbose_name = _("Lembaga")

    def ready(self) -> None:
        from .capabilities import register

        register()
