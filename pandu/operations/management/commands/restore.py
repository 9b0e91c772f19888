from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pandu.operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into this site's database, MEDIA_ROOT and jobs "
        "folder. Refuses a target that holds data unless --force. Stop the web processes and "
        "the workers first (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar or .tar.gz written by `backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that has tables (they are dropped) and folders that hold "
            "files (they are moved aside to <folder>.before-restore-<time>)",
        )

    def handle(self, *args, archive, force=False, **options):
        try:
            report = restore_backup(Path(archive), force=force, say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"restored: {report['tables']} tables, {report['rows']} rows, {report['files']} "
            f"files, {report['letter_keys']} letter keys, {report['data_keys']} data keys; row "
            "counts and file hashes match the manifest"
        )
        unknown = report["migrations"]["unknown_to_code"]
        newer = report["migrations"]["newer_in_code"]
        if unknown:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup was made by a newer Pandu ({len(unknown)} migrations this code "
                    f"does not know, e.g. {unknown[0]}): run that version's code."
                )
            )
        elif newer:
            self.stdout.write(
                f"This code has {len(newer)} migrations the backup lacks: run "
                "`manage.py migrate` before starting the site."
            )
