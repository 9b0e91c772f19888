"""Daily digest of overdue referrals and follow-ups (Celery beat sends it every morning; this
command runs it by hand, e.g. to catch up a missed day)."""

from datetime import date

from django.core.management.base import BaseCommand

from pandu.services.actions import send_overdue_digest


class Command(BaseCommand):
    help = (
        "Create in-app notifications (and e-mails when EMAIL_HOST is configured) listing overdue "
        "referrals per partner agency and overdue referrals and follow-ups per service point."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Pretend today is YYYY-MM-DD (for catching up).")

    def handle(self, *args, date=None, **opts):
        today = _parse(date) if date else None
        counts = send_overdue_digest(today)
        self.stdout.write(
            "agencies={agencies} service_points={service_points} "
            "notifications={notifications} emails={emails}".format(**counts)
        )


def _parse(value: str) -> date:
    return date.fromisoformat(value)
