from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmpowermentConfig(AppConfig):
    name = "pandu.empowerment"
    verbose_name = _("Pemberdayaan")

    def ready(self) -> None:
        from pandu.organisations import keepers

        from . import menu
        from .capabilities import register

        register()
        menu.register()
        # A KUBE group's body in the list of organisations is changed from the group's page.
        keepers.register("kube_group", _("kelompok KUBE"), "empowerment:group_edit")
