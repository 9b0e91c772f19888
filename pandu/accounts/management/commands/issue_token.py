from django.core.management.base import BaseCommand, CommandError

from pandu.accounts.actions import issue_token
from pandu.accounts.models import User


class Command(BaseCommand):
    help = "Print the API token of USERNAME (use as 'Authorization: Token <key>')."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--renew", action="store_true", help="revoke the old token first")

    def handle(self, *args, username, renew, **opts):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        self.stdout.write(issue_token(user, renew=renew))
