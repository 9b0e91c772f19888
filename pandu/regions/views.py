"""Browsing the area tree and the autocomplete behind every area picker."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import Area, Level
from .queries import picker_label, search_areas


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
    # The user's own area comes first; a picker whose form can only use areas inside it
    # (``scope=mine``) offers nothing else.
    scope = request.user.scope_code
    limit = 30
    if scope:
        if within is None or within.startswith(scope):
            inside_within = within or scope
        elif scope.startswith(within):
            inside_within = scope
        else:
            inside_within = None
        found = (
            list(search_areas(q, level=level, within=inside_within, limit=limit))
            if inside_within is not None
            else []
        )
        if request.GET.get("scope") != "mine" and len(found) < limit:
            seen = {a.code for a in found}
            others = search_areas(q, level=level, within=within, limit=limit + len(found))
            found += [a for a in others if a.code not in seen][: limit - len(found)]
    elif scope is None and request.GET.get("scope") == "mine":
        found = []
    else:
        found = list(search_areas(q, level=level, within=within, limit=limit))
    results = [
        {
            "code": a.code,
            "label": picker_label(a),
            "level": a.level,
            "mine": bool(scope is not None and a.code.startswith(scope)),
        }
        for a in found
    ]
    return JsonResponse({"results": results})
