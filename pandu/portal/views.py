"""Home: counts for the user's own area, cached briefly so the page stays fast at 1M people."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.regions.models import Area
from pandu.registry.models import Household, Person, PPKSAssignment
from pandu.services import reports

from . import work

CACHE_SECONDS = 300


def area_figures(user) -> dict:
    """Counts inside the user's area; sensitive PPKS counted only for need-to-know roles."""
    scope = user.scope_code
    key = f"figures:{scope}:{int(user.can(Cap.VIEW_SENSITIVE))}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    people = Person.objects.restrict(user, "figures")
    households = Household.objects.restrict(user, "figures")
    ppks = PPKSAssignment.objects.restrict(user, "figures").filter(active=True)
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
    """The user's own work first (``work.sections_for``), then the area's figures and, for the
    head of office and administrators, the intake trends (``trends``, a chart-ready dict)."""
    user = request.user
    figures = (
        area_figures(user) if user.can(Cap.VIEW_FIGURES) and user.scope_code is not None else None
    )
    area = Area.objects.filter(code=user.area_id).first() if user.area_id else None
    trends = work.trends(user)
    return render(
        request,
        "portal/home.html",
        {
            "title": _("Beranda"),
            "figures": figures,
            "area": area,
            "sections": work.sections_for(user),
            "today": timezone.localdate(),
            "trends": trends,
            "trend_bars": reports.bars([(m["label"], m["n"]) for m in trends["months"]])
            if trends
            else [],
            "district_bars": reports.bars([(d["name"], d["n"]) for d in trends["districts"]])
            if trends
            else [],
        },
    )
