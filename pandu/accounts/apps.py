from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pandu.accounts"
    verbose_name = _("Pengguna")

    def ready(self) -> None:
        from . import menu

        menu.register()
