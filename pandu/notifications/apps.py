from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "pandu.notifications"
    verbose_name = _("Pemberitahuan")

    def ready(self) -> None:
        from pandu.core import jobs

        from .hooks import job_finished

        jobs.on_finish(job_finished)
