"""The notification list: newest first, each one a message with its link and a read button."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Notification


class NotificationTable(tables.Table):
    title = tables.Column(verbose_name=_("Pemberitahuan"))
    created_at = tables.DateTimeColumn(verbose_name=_("Waktu"), format="d-m-Y H:i")

    class Meta:
        model = Notification
        fields = ("title", "created_at")
        orderable = False
        template_name = "notifications/_list.html"
