"""Browsing the area tree and the autocomplete behind every area picker."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import Area, Level
from .queries import search_areas


@login_required
def browse(request, code: str | None = None):
    area = None
    if code:
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise Http404
        children = Area.objects.filter(parent=area).order_by("code")
        trail = area.ancestors()
    else:
        children = Area.objects.filter(level=Level.PROVINCE).order_by("code")
        trail = []
    return render(
        request,
        "regions/browse.html",
        {
            "title": area.name if area else _("Wilayah"),
            "area": area,
            "children": children,
            "trail": trail,
        },
    )


@login_required
def autocomplete(request):
    """JSON for area pickers: ?q=name or code prefix, ?level=1..4, ?within=ancestor code."""
    try:
        level = int(request.GET.get("level") or 0) or None
    except ValueError:
        level = None
    q = request.GET.get("q", "")[:60]
    within = request.GET.get("within", "")[:13] or None
    results = [
        {
            "code": a.code,
            "label": f"{a.name} — {a.parent.name if a.parent else ''}"
            + (f", {a.parent.parent.name}" if a.parent and a.parent.parent else "")
            + f" ({a.code})",
            "level": a.level,
        }
        for a in search_areas(q, level=level, within=within, limit=30)
    ]
    return JsonResponse({"results": results})
