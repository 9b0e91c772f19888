"""Background jobs a user may watch: the list, one job's progress, cancel and result file."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap


def _jobs_for(user):
    """A job is seen by whoever started it and by the administrator of its area."""
    from .models import Job
    from .querysets import owned_or_overseen

    return owned_or_overseen(
        Job.objects.select_related("created_by"),
        user,
        owner_field="created_by",
        overseer_cap=Cap.MANAGE_USERS,
    )


@login_required
def job_list(request):
    from .filtersets import JobFilterSet
    from .lists import build_list
    from .tables import JobTable

    jobs = build_list(request, _jobs_for(request.user), JobTable, filterset_class=JobFilterSet)
    return render(
        request,
        "core/job_list.html",
        {"title": _("Tugas latar belakang"), "table": jobs.table, "filter": jobs.filterset},
    )


@login_required
def job_detail(request, uid):
    from .access import get_for_user_or_404

    job = get_for_user_or_404(request, _jobs_for(request.user), uid=uid)
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"title": job.title or job.kind, "job": job})


@login_required
def job_cancel(request, uid):
    from django.http import HttpResponseNotAllowed
    from django.shortcuts import redirect

    from .access import get_for_user_or_404
    from .jobs import request_cancel

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    job = get_for_user_or_404(request, _jobs_for(request.user), uid=uid)
    request_cancel(job)
    return redirect("core:job_detail", uid=job.uid)


@login_required
def job_result(request, uid):
    """The job's output file (an import report, an export), for whoever may see the job."""
    from pathlib import Path

    from django.conf import settings
    from django.http import Http404

    from .access import get_for_user_or_404
    from .files import private_file_response

    job = get_for_user_or_404(request, _jobs_for(request.user), uid=uid)
    root = (Path(settings.VAR_DIR) / "jobs").resolve()
    path = (root / job.result_file).resolve() if job.result_file else None
    if path is None or root not in path.parents or not path.is_file():
        raise Http404
    return private_file_response(path.open("rb"), filename=path.name)
