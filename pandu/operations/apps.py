from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "pandu.operations"
    verbose_name = _("Operasional")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - checks register themselves
