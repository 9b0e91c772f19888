import time

from django.core.management.base import BaseCommand

from pandu.core.jobs import run_pending


class Command(BaseCommand):
    help = "Run background jobs from the database queue (imports, deduplication, exports)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--sleep", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args, once, sleep, **opts):
        if once:
            n = run_pending()
            self.stdout.write(f"ran {n} job(s)")
            return
        self.stdout.write("worker started; waiting for jobs (Ctrl+C to stop)")
        try:
            while True:
                if not run_pending():
                    time.sleep(sleep)
        except KeyboardInterrupt:
            self.stdout.write("worker stopped")
