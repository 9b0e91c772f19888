"""Reminders the scheme sends by itself: accreditations about to end (to the Dinas's
administrators of the provider's area and the provider's staff), every morning on beat."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from .. import clock
from ..capabilities import ICap
from ..choices import AccreditationStatus
from ..defaults import REACCREDITATION_NOTICE_DAYS
from ..models import Accreditation


def due_for_reaccreditation(within_days: int = REACCREDITATION_NOTICE_DAYS) -> Any:
    """Accreditations in force that end within ``within_days``, of providers with no new
    application under review."""
    today = clock.today()
    return (
        Accreditation.objects.filter(
            status=AccreditationStatus.ACCREDITED,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=within_days),
            provider__active=True,
        )
        .exclude(provider__accreditations__status=AccreditationStatus.REVIEW)
        .select_related("provider__organisation")
    )


def send_reaccreditation_reminders() -> dict[str, int]:
    from pandu.notifications.actions import notify
    from pandu.notifications.queries import nearest_holders

    sent = 0
    due = list(due_for_reaccreditation())
    for accreditation in due:
        provider = accreditation.provider
        users = set(nearest_holders(ICap.MANAGE, provider.area_code))
        users.update(
            link.user for link in provider.staff.filter(active=True).select_related("user")
        )
        days = (accreditation.valid_until - clock.today()).days
        made = notify(
            users,
            "askesos_akreditasi",
            _("Akreditasi %(provider)s berakhir %(day)s")
            % {"provider": provider.name, "day": accreditation.valid_until.strftime("%d-%m-%Y")},
            _(
                "Akreditasi penyelenggara Askesos ini berakhir dalam %(days)s hari. Ajukan "
                "akreditasi ulang agar penyelenggara tetap dapat mendaftarkan peserta."
            )
            % {"days": days},
            reverse("insurance:provider_detail", args=[provider.uid]),
            key=f"askesos-reakreditasi-{accreditation.uid}",
        )
        sent += len(made)
        if accreditation.reminded_on is None:
            accreditation.reminded_on = clock.today()
            accreditation.save(update_fields=["reminded_on"])
    return {"accreditations": len(due), "notifications": sent}
