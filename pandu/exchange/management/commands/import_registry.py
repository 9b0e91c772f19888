"""import_registry: import a CSV/XLSX file of people into the registry, in this process.

Runs the same job handler as the web upload (so the import is recorded, resumable and visible on
the job page), printing progress lines. Ctrl+C stops after rolling back the batch in hand;
``--resume JOB_UID`` continues after the last committed row.
"""

from __future__ import annotations

import shutil
import time
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pandu.core.jobs import JobCancelled, JobContext
from pandu.core.models import Job
from pandu.exchange import actions, bulkload
from pandu.exchange.importer import jobs_dir, summary
from pandu.exchange.layout import FIELD_BY_NAME, missing_required
from pandu.exchange.models import ColumnMapping, ImportBatch
from pandu.exchange.permissions import can_import
from pandu.exchange.tasks import _truncate_report, run_import


class PrintingContext(JobContext):
    """A job context that also prints a progress line every couple of seconds."""

    def __init__(self, job: Job, out, every: float = 2.0) -> None:
        super().__init__(job)
        self.out = out
        self.every = every
        self._printed = 0.0
        self._started = time.monotonic()

    def progress(self, done, total=None, *, force=False, **counts):
        super().progress(done, total, force=force, **counts)
        now = time.monotonic()
        if now - self._printed >= self.every or (total and done >= total):
            self._printed = now
            took = max(now - self._started, 1e-9)
            shown = "  ".join(f"{k} {v:,}" for k, v in counts.items() if v)
            of = f" / {total:,}" if total else ""
            self.out.write(
                f"  {done:>10,}{of} baris  {took:6.1f} s  {done / took:>8,.0f}/s  {shown}"
            )

    def message(self, text: str) -> None:
        super().message(text)
        self.out.write(text)


class Command(BaseCommand):
    help = (
        "Import people (one row each) from a CSV or XLSX file into the registry, upserting by NIK."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="CSV or XLSX file in the import layout")
        parser.add_argument("--report", help="copy the report of rejected rows to this path")
        parser.add_argument("--user", help="import as this user (their area and role apply)")
        parser.add_argument("--resume", metavar="JOB_UID", help="continue an interrupted import")
        parser.add_argument("--mapping", help="name of a saved column mapping to use")
        parser.add_argument("--sheet", default="", help="sheet of a workbook (default: the first)")
        parser.add_argument("--batch-rows", type=int, default=0, help=argparse_hidden())
        parser.add_argument(
            "--restore-indexes",
            action="store_true",
            help="rebuild registry indexes set aside by an import that did not finish, then stop",
        )

    def handle(self, *args, **opts):
        if opts.get("restore_indexes"):
            names = bulkload.restore_indexes(
                on_index=lambda name, n, total: self.stdout.write(f"rebuilding {n}/{total}: {name}")
            )
            self.stdout.write(f"{len(names)} index(es) rebuilt.")
            return
        user = self._user(opts.get("user"))
        if opts.get("resume"):
            batch = self._resumable(opts["resume"])
            if user is not None and not can_import(user):
                raise CommandError(f"User {user.username} may not import into the registry.")
        else:
            if not opts.get("file"):
                raise CommandError("Give the FILE to import, or --resume JOB_UID.")
            path = Path(opts["file"])
            if not path.is_file():
                raise CommandError(f"File not found: {path}")
            mapping = None
            if opts.get("mapping"):
                mapping = ColumnMapping.objects.filter(name=opts["mapping"]).first()
                if mapping is None:
                    raise CommandError(f"No saved column mapping named {opts['mapping']!r}.")
            try:
                batch = actions.create_import(
                    user, source=path, copy=False, sheet=opts["sheet"], mapping=mapping
                )
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from None
            if batch.status == ImportBatch.Status.FAILED:
                self._copy_report(batch, opts.get("report"))
                raise CommandError(batch.message)
            missing = missing_required(batch.mapping)
            if missing:
                raise CommandError(
                    "Required columns not found: "
                    + ", ".join(f"{m} ({FIELD_BY_NAME[m].label})" for m in missing)
                    + ". The file's header row is: "
                    + " | ".join(batch.headers)
                    + ". Rename the columns as in docs/import-format.md or save a mapping in the "
                    "web page and pass --mapping NAME."
                )
        return self._run(user, batch, opts)

    def _user(self, username: str | None):
        if not username:
            return None
        from pandu.accounts.models import User

        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        return user

    def _resumable(self, job_uid: str) -> ImportBatch:
        job = Job.objects.filter(uid=job_uid, kind=actions.IMPORT_JOB).first()
        if job is None:
            raise CommandError(f"No import job {job_uid}.")
        batch = ImportBatch.objects.filter(uid=job.params.get("batch")).first()
        if batch is None:
            raise CommandError(f"Job {job_uid} has no import batch.")
        stale = timezone.now() - timedelta(minutes=1)
        if (
            batch.status == ImportBatch.Status.RUNNING
            and job.heartbeat_at
            and job.heartbeat_at < stale
        ):
            ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED)
            Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.FAILED, finished_at=timezone.now(), message="interrupted"
            )
            batch.status = ImportBatch.Status.FAILED
        if not batch.resumable:
            raise CommandError(
                f"Import {batch.short_id} is {batch.status}; only a cancelled or failed import "
                "can be resumed."
            )
        return batch

    def _run(self, user, batch: ImportBatch, opts) -> None:
        self.timings: dict[str, float] = {}
        now = timezone.now()
        # Created as running, so no worker claims it while this process works on it.
        job = Job.objects.create(
            kind=actions.IMPORT_JOB,
            created_by=user,
            params={"batch": str(batch.uid), "batch_rows": opts.get("batch_rows") or 0},
            area_code=batch.area_code,
            title=f"Impor {batch.file_name[:150]}",
            status=Job.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            attempts=1,
        )
        ImportBatch.objects.filter(pk=batch.pk).update(job=job, status=ImportBatch.Status.QUEUED)
        self.stderr.write(
            f"Import {batch.short_id} (job {job.uid}) of {batch.file_name}: "
            f"{batch.file_kind or '?'} {batch.encoding} "
            f"delimiter {batch.delimiter!r} header row {batch.header_row}"
            + (f", resuming after row {batch.last_row}" if batch.last_row else "")
        )
        ctx = PrintingContext(job, self.stderr)
        status, message = Job.Status.SUCCEEDED, ""
        started = time.monotonic()
        try:
            message = run_import(ctx, timings=self.timings)
        except JobCancelled:
            status, message = Job.Status.CANCELLED, ctx.job.message
        except KeyboardInterrupt:
            batch.refresh_from_db()
            _truncate_report(batch)
            message = (
                f"Interrupted; rows up to {batch.last_row} are saved. Resume with: "
                f"manage.py import_registry --resume {job.uid}"
            )
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportBatch.Status.CANCELLED, finished_at=timezone.now(), message=message
            )
            status = Job.Status.CANCELLED
        except Exception as exc:
            status, message = Job.Status.FAILED, str(exc)
        took = time.monotonic() - started
        Job.objects.filter(pk=job.pk).update(
            status=status,
            finished_at=timezone.now(),
            message=message,
            done=ctx.job.done,
            total=ctx.job.total,
            counts=ctx.job.counts,
        )
        batch.refresh_from_db()
        self._copy_report(batch, opts.get("report"))
        done = status == Job.Status.SUCCEEDED and batch.message
        self.stdout.write(batch.message if done else summary(batch))
        self.stdout.write(
            f"{took:.1f} s, {batch.rows_read / max(took, 1e-9):,.0f} rows/s; report: "
            f"{opts.get('report') or jobs_dir() / batch.report_path}"
        )
        if opts.get("verbosity", 1) >= 2:
            import resource

            self.stderr.write(
                "phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items())
            )
            mine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            parser = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
            self.stderr.write(f"peak RSS: this process {mine} MiB, parser process {parser} MiB")
        if status != Job.Status.SUCCEEDED:
            raise CommandError(
                f"{message}\nResume with: manage.py import_registry --resume {job.uid}"
            )

    def _copy_report(self, batch: ImportBatch, target: str | None) -> None:
        if not target or not batch.report_path:
            return
        source = jobs_dir() / batch.report_path
        if source.is_file():
            shutil.copyfile(source, target)


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS
