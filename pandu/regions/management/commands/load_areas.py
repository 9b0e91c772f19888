import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pandu.regions.loaders import AreaDataMissing, load_areas


class Command(BaseCommand):
    help = "Load the official Kemendagri area list (idn-area-data 4.0.1, ODbL). Safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=str(settings.AREA_DATA_DIR))
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when villages are already loaded"
        )

    def handle(self, *args, data_dir, if_empty, **options):
        from pandu.regions.models import Area, Level

        if if_empty and Area.objects.filter(level=Level.VILLAGE).exists():
            self.stdout.write("areas already loaded")
            return
        started = time.monotonic()
        try:
            counts = load_areas(Path(data_dir))
        except AreaDataMissing as exc:
            raise CommandError(
                f"Area files not found in {exc}. Run 'npm ci' (part of 'make run') first."
            ) from None
        took = time.monotonic() - started
        self.stdout.write(
            f"provinces: {counts[1]}\nregencies: {counts[2]}\ndistricts: {counts[3]}\n"
            f"villages: {counts[4]}\n({took:.1f} s)"
        )
