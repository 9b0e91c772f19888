from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "pandu.programs"
    verbose_name = _("Program")

    def ready(self) -> None:
        from . import membership, menu
        from .capabilities import register

        register()
        menu.register()
        membership.register()
