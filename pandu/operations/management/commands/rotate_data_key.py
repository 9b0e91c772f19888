from django.core.management.base import BaseCommand, CommandError

from pandu.core import crypto
from pandu.operations import datakeys


class Command(BaseCommand):
    help = (
        "Rotate the key that encrypts sensitive free text in the database: a new key encrypts "
        "from now on, then every value is re-encrypted under it in batches, while the old keys "
        "keep decrypting. Resumable: --resume finishes an interrupted pass. --retire KID takes a "
        "key no value uses out of the ring. --list shows the ring and how many values each key "
        "holds (never a key). docs/operations.md, key rotation."
    )

    def add_arguments(self, parser):
        steps = parser.add_mutually_exclusive_group()
        steps.add_argument("--list", action="store_true", help="list the ring and stop")
        steps.add_argument(
            "--add-only",
            action="store_true",
            help="add the new key and stop (several machines: copy the ring file to each, "
            "then run --resume)",
        )
        steps.add_argument(
            "--resume",
            action="store_true",
            help="no new key: re-encrypt what is not yet under the newest key",
        )
        steps.add_argument("--retire", metavar="KID", help="remove a key no value is under")
        parser.add_argument(
            "--batch-size", type=int, default=500, help="rows per transaction (default 500)"
        )

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more")
        try:
            if options["list"]:
                return self._list()
            if options["retire"]:
                datakeys.retire(options["retire"])
                self.stdout.write(f"data key {options['retire']} removed from the ring")
                return
            if not options["resume"]:
                key = crypto.add_key()
                self.stdout.write(
                    f"data key {key.kid} added to {crypto.ring_path()}; it encrypts from now on"
                )
                if options["add_only"]:
                    return
            self._reencrypt(options["batch_size"], options["verbosity"])
        except crypto.DataKeyError as exc:
            raise CommandError(str(exc)) from None

    def _list(self) -> None:
        ring = crypto.load_ring()
        held = datakeys.totals()
        self.stdout.write(f"ring: {ring.path}")
        for kid, key in ring.keys.items():
            state = "encrypts" if kid == ring.primary else "decrypts"
            self.stdout.write(f"{kid}\t{state}\t{key.created_at}\t{held.get(kid, 0)} values")
        missing = sorted(k for k in held if k and k not in ring.keys)
        for kid in missing:
            self.stdout.write(f"{kid}\tMISSING\t\t{held[kid]} values cannot be read")
        if held.get(""):
            self.stdout.write(f"plain\t\t\t{held['']} values not yet encrypted")

    def _reencrypt(self, batch_size: int, verbosity: int) -> None:
        say = self.stdout.write if verbosity > 1 else (lambda _text: None)
        done = datakeys.reencrypt(batch_size=batch_size, say=say)
        self.stdout.write(
            f"{done.changed} values re-encrypted under data key {done.primary} "
            f"({done.rows} rows read in {len(done.tables)} tables)"
        )
        if done.left:
            kids = ", ".join(sorted(k or "plain" for k in done.left))
            raise CommandError(
                f"{sum(done.left.values())} values are still under another key ({kids}), "
                "written meanwhile by a process that does not have the new key yet: copy the "
                "ring file to every machine, then run rotate_data_key --resume"
            )
        self.stdout.write("every value is under the newest key; older keys may now be retired")
