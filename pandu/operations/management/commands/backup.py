from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pandu.operations.backup import BackupError, create_backup, default_output


class Command(BaseCommand):
    help = (
        "Write one archive of the whole site: the database (SQLite online backup or pg_dump), "
        "MEDIA_ROOT, the jobs' files, the letter-key ring and the data-key ring, with a manifest "
        "of row counts and SHA-256 hashes (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="the archive to write (.tar, or .tar.gz to compress); a folder takes a dated "
            "name inside it. Default: PANDU_BACKUP_DIR/pandu-YYYYmmdd-HHMMSS.tar",
        )

    def handle(self, *args, output=None, verbosity=1, **options):
        self.verbosity = verbosity
        target = Path(output) if output else default_output()
        if target.is_dir():
            target = target / default_output().name
        try:
            manifest = create_backup(target, say=self._say)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        tables = manifest["database"]["tables"]
        files = len(manifest["files"]) - 1 - int(bool(manifest["data_keys"]))
        size = target.stat().st_size
        self.stdout.write(
            f"backup written: {target} ({size / 1024 / 1024:.1f} MiB)\n"
            f"  database: {manifest['database']['vendor']}, {len(tables)} tables, "
            f"{sum(tables.values())} rows\n"
            f"  files: {files}; letter keys: {len(manifest['letter_keys'])}; "
            f"data keys: {len(manifest['data_keys'])}\n"
            "  It holds personal data (UU 27/2022): encrypt it and keep copies off this server."
        )

    def _say(self, text: str) -> None:
        if self.verbosity > 1:
            self.stdout.write(text)
