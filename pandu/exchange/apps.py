from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "pandu.exchange"
    verbose_name = _("Impor dan ekspor data")

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_migrate

        from . import menu, signals

        checks.register(signals.check_deferred_indexes, checks.Tags.database)
        post_migrate.connect(signals.restore_after_migrate, sender=self)
        menu.register()
