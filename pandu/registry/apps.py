from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "pandu.registry"
    verbose_name = _("Registri sosial")

    def ready(self) -> None:
        from . import menu

        menu.register()
        _keep_bodies()


def _keep_bodies() -> None:
    """A PSKS institution's body in the list of organisations is changed from its own page."""
    from pandu.organisations import keepers

    keepers.register("psks_record", _("lembaga PSKS"), "registry:psks_org_detail")
