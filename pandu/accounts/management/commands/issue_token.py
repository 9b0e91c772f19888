from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pandu.accounts import tokens
from pandu.accounts.actions import issue_token
from pandu.accounts.models import User


class Command(BaseCommand):
    help = (
        "Issue a new API token for USERNAME and print it once (use as 'Authorization: Token "
        "<key>'); only its hash is kept. Tokens are listed and revoked at /akun/token/."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"days it stays valid (default PANDU_API_TOKEN_DAYS, at most {tokens.MAX_DAYS})",
        )
        parser.add_argument(
            "--renew", action="store_true", help="revoke the user's other tokens first"
        )

    def handle(self, *args, username, name, days, renew, **opts):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        try:
            key = issue_token(user, name=name or "baris perintah", days=days, renew=renew)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        self.stdout.write(key)
