"""The notification list's filter (web list and API): read or unread."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from .models import Notification

STATUS_CHOICES = [("unread", _("Belum dibaca")), ("read", _("Sudah dibaca"))]


class NotificationFilterSet(df.FilterSet):
    status = df.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("Semua")
    )

    class Meta:
        model = Notification
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        if value == "unread":
            return queryset.filter(read_at__isnull=True)
        if value == "read":
            return queryset.filter(read_at__isnull=False)
        return queryset
