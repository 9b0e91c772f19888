"""Background jobs of the one-stop service (run by ``manage.py run_jobs``)."""

from pandu.core.jobs import JobContext, handler

from .actions import send_overdue_digest


@handler("services.overdue_digest")
def overdue_digest(ctx: JobContext) -> str:
    """The daily overdue digest; safe to run again (users already told today are skipped)."""
    counts = send_overdue_digest()
    ctx.progress(counts["notifications"], counts["notifications"], force=True, **counts)
    return "{notifications} notifications, {emails} e-mails".format(**counts)
