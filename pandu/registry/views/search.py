"""The registry search: people and households by NIK, KK or name."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core.access import require

from ..filtersets import find_people, holds_a_number
from ..models import Person

PAGE_SIZE = 50


@login_required
def search(request):
    """Find people and households by NIK, KK or name (spelling-tolerant) within the user's area.

    The form posts. A name may also come in the address (``?q=``), a number may not: a NIK in
    an address stays in browser history, proxy and server logs."""
    require(request, Cap.VIEW_REGISTRY)
    data = request.POST if request.method == "POST" else request.GET
    q, area = data.get("q", ""), data.get("area", "")
    number_in_address = request.method != "POST" and holds_a_number(q)
    if number_in_address:
        q = ""
    results = None
    if q.strip():
        qs = Person.objects.visible_to(request.user)
        if area:
            qs = qs.in_area(area)
        results = find_people(qs.select_related("household__village"), q, PAGE_SIZE + 1)
    template = "registry/_search_results.html" if request.htmx else "registry/search.html"
    return render(
        request,
        template,
        {
            "title": _("Cari penduduk dan keluarga"),
            "q": q,
            "area": area,
            "results": results[:PAGE_SIZE] if results is not None else None,
            "more": results is not None and len(results) > PAGE_SIZE,
            "number_in_address": number_in_address,
        },
    )
