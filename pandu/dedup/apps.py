from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DedupConfig(AppConfig):
    name = "pandu.dedup"
    verbose_name = _("Deduplikasi")

    def ready(self) -> None:
        from . import menu

        menu.register()
