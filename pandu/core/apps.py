from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pandu.core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        from . import checks, menu  # noqa: F401 - checks register themselves

        menu.register()
