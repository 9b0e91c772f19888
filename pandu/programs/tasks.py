"""Programme work in the background: a targeting-accuracy workbook too long to write while the
reader waits (a regency's findings run to tens of thousands of families)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from pandu.core.jobs import JobContext, job
from pandu.core.models import AccessLog, Job

ACCURACY_WORKBOOK = "programs.accuracy_workbook"


def _subject(user, params: dict):
    """The report the job was asked for, read again with the user's rights of now."""
    from django.apps import apps

    from .accuracy import Subject
    from .capabilities import PCap
    from .models import Programme

    area = params.get("area") or ""
    if user is None or not user.can(PCap.ENROLMENT_VIEW) or not user.in_scope(area):
        raise PermissionDenied(_("Laporan ini di luar wilayah atau peran Anda."))
    programme = Programme.objects.visible_to(user).filter(code=params.get("programme")).first()
    if programme is None:
        raise PermissionDenied(_("Program ini tidak dapat Anda lihat."))
    start, end = date.fromisoformat(params["start"]), date.fromisoformat(params["end"])
    if not params.get("cycle"):
        return Subject(programme, area, start, end)
    cycles = apps.get_model("payments", "Cycle").objects.visible_to(user)
    cycle = cycles.filter(uid=params["cycle"]).first()
    if cycle is None:
        raise PermissionDenied(_("Siklus ini tidak dapat Anda lihat."))
    families = cycle.entitlements.filter(household__isnull=False).values("household_id")
    return Subject(programme, area, start, end, families, cycle=cycle)


@job(ACCURACY_WORKBOOK)
def accuracy_workbook(ctx: JobContext) -> str:
    from pandu.core.access import record_access
    from pandu.core.files import safe_filename

    from . import accuracy

    user = ctx.job.created_by
    subject = _subject(user, ctx.params)
    finding = ctx.params.get("finding") or ""
    ctx.progress(0, 1, force=True)
    if finding:
        data = accuracy.figure_workbook(subject, accuracy.BY_KEY[finding].key)
    else:
        data = accuracy.report_workbook(accuracy.compute(subject))
    folder = Path(settings.VAR_DIR) / "jobs" / "accuracy" / str(ctx.job.uid)
    folder.mkdir(parents=True, exist_ok=True)
    name = safe_filename(ctx.params.get("filename") or "ketepatan-sasaran.xlsx")
    (folder / name).write_bytes(data)
    relative = f"accuracy/{ctx.job.uid}/{name}"
    Job.objects.filter(pk=ctx.job.pk).update(result_file=relative)
    ctx.job.result_file = relative
    record_access(
        user,
        AccessLog.Kind.EXPORT,
        None,
        detail=f"accuracy {finding or 'report'} {subject.programme.code} {subject.area or '*'} "
        f"{subject.start}..{subject.end} (background)",
    )
    ctx.progress(1, 1, force=True)
    return _("Berkas %(file)s siap diunduh.") % {"file": name}
