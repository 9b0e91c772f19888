from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "pandu.regions"
    verbose_name = _("Wilayah")

    def ready(self) -> None:
        from .lookups import register

        register()
