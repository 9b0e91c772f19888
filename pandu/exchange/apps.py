from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "pandu.exchange"
    verbose_name = _("Impor dan ekspor data")

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_migrate

        from pandu.core.versions import register_author_source
        from pandu.registry.history import register_source

        from . import menu, signals
        from .queries import import_authors, import_history_for

        checks.register(signals.check_deferred_indexes, checks.Tags.database)
        # Imports log their changes in bulk (ImportChange); a record's history shows them.
        register_source(import_history_for)
        # ... and a conflict on an edit form names the import that changed a field meanwhile.
        register_author_source(import_authors)
        post_migrate.connect(signals.restore_after_migrate, sender=self)
        menu.register()
