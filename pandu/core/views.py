"""Home: counts for the user's own area, cached briefly so the page stays fast at 1M people."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.regions.models import Area
from pandu.registry.models import Household, Person, PPKSAssignment

CACHE_SECONDS = 300


def area_figures(user) -> dict:
    """Counts inside the user's area; sensitive PPKS counted only for need-to-know roles."""
    scope = user.scope_code
    key = f"figures:{scope}:{int(user.can(Cap.VIEW_SENSITIVE))}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    people = Person.objects.all() if scope == "" else Person.objects.filter(area_code__prefix=scope)
    households = (
        Household.objects.all() if scope == "" else Household.objects.filter(village__prefix=scope)
    )
    ppks = PPKSAssignment.objects.filter(active=True)
    if scope:
        ppks = ppks.filter(area_code__prefix=scope)
    if not user.can(Cap.VIEW_SENSITIVE):
        ppks = ppks.filter(category__sensitive=False)
    by_category = list(
        ppks.values("category__number", "category__name")
        .annotate(n=Count("id"))
        .order_by("category__number")
    )
    desil = list(
        households.filter(status="active", desil__isnull=False)
        .values("desil")
        .annotate(n=Count("id"))
        .order_by("desil")
    )
    figures = {
        "households": households.filter(status="active").count(),
        "people": people.filter(status="active").count(),
        "flagged": people.filter(flagged=True).count(),
        "ppks_total": sum(row["n"] for row in by_category),
        "ppks_by_category": by_category,
        "desil": desil,
    }
    cache.set(key, figures, CACHE_SECONDS)
    return figures


@login_required
def home(request):
    user = request.user
    figures = (
        area_figures(user) if user.can(Cap.VIEW_FIGURES) and user.scope_code is not None else None
    )
    area = Area.objects.filter(code=user.area_id).first() if user.area_id else None
    return render(
        request, "core/home.html", {"title": _("Beranda"), "figures": figures, "area": area}
    )


def _jobs_for(user):
    from .models import Job

    qs = Job.objects.select_related("created_by")
    if user.is_superuser:
        return qs
    if user.can(Cap.MANAGE_USERS) and user.scope_code is not None:
        return qs.filter(area_code__prefix=user.scope_code) | qs.filter(created_by=user)
    return qs.filter(created_by=user)


@login_required
def job_list(request):
    jobs = _jobs_for(request.user)[:100]
    return render(request, "core/job_list.html", {"title": _("Tugas latar belakang"), "jobs": jobs})


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
    from django.http import FileResponse, Http404

    from .access import get_for_user_or_404

    job = get_for_user_or_404(request, _jobs_for(request.user), uid=uid)
    root = (Path(settings.VAR_DIR) / "jobs").resolve()
    path = (root / job.result_file).resolve() if job.result_file else None
    if path is None or root not in path.parents or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
