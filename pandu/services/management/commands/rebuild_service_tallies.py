"""Recompute the dashboard's monthly tallies from the intakes (after a bulk load, or to repair)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pandu.services import tallies


class Command(BaseCommand):
    help = "Recompute the service dashboard's monthly intake tallies from the intakes."

    def handle(self, *args, **options):
        counts = tallies.rebuild()
        self.stdout.write(
            _(
                "Rekap dihitung ulang: %(intake)s baris saluran/status, %(village)s baris desa, "
                "%(need)s baris kebutuhan."
            )
            % counts
        )
