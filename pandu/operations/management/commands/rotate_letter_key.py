from django.core.management.base import BaseCommand, CommandError

from pandu.operations import actions
from pandu.operations.models import LetterKey


class Command(BaseCommand):
    help = (
        "Rotate the key that signs the links printed on letters: a new key signs from now on, "
        "the old ones keep verifying the letters already printed. --revoke KID makes a leaked "
        "key's letters read as not genuine. --list shows the ring (never the keys)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--note", default="", help="why (kept with the key)")
        parser.add_argument("--revoke", metavar="KID", help="revoke this key instead")
        parser.add_argument("--list", action="store_true", help="list the ring and stop")

    def handle(self, *args, note="", revoke=None, list=False, **options):
        if list:
            for key in LetterKey.objects.order_by("created_at", "id"):
                state = (
                    "revoked"
                    if key.revoked_at
                    else "legacy"
                    if key.legacy
                    else "retired"
                    if key.retired_at
                    else "signing"
                )
                self.stdout.write(f"{key.kid}\t{state}\t{key.created_at:%Y-%m-%d}\t{key.note}")
            return
        if revoke:
            try:
                key = actions.revoke_letter_key(revoke, note)
            except actions.KeyRingError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"revoked {key.kid}: the letters it signed no longer verify")
            return
        key, replaced = actions.rotate_letter_key(note)
        self.stdout.write(
            f"letter key {key.kid} signs from now on; "
            f"{', '.join(replaced) or 'no key'} retired (still verifying)"
        )
