from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "pandu.payments"
    verbose_name = _("Penyaluran bantuan")

    def ready(self) -> None:
        from . import menu
        from .capabilities import register

        register()
        menu.register()
