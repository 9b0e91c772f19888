from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetingConfig(AppConfig):
    name = "pandu.targeting"
    verbose_name = _("Penetapan sasaran")

    def ready(self) -> None:
        from . import menu, related
        from .capabilities import register

        register()
        menu.register()
        related.register()
