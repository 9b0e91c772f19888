from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "pandu.proposals"
    verbose_name = _("Usulan, verifikasi dan penetapan")

    def ready(self) -> None:
        from . import menu

        menu.register()
