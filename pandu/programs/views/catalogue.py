"""The programme catalogue: the list and one programme with its amounts over time."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.utils.translation import gettext as _

from pandu.core.access import get_for_user_or_404
from pandu.core.lists import build_list

from ..capabilities import PCap
from ..filtersets import ProgrammeFilterSet
from ..models import Programme
from ..tables import ProgrammeTable
from ._common import needs


@needs(PCap.CATALOGUE_VIEW)
def catalogue(request):
    programmes = Programme.objects.visible_to(request.user).select_related("owner")
    page = build_list(request, programmes, ProgrammeTable, filterset_class=ProgrammeFilterSet)
    return render(
        request,
        "programs/catalogue.html",
        {"title": _("Katalog program"), "table": page.table, "filter": page.filterset},
    )


@needs(PCap.CATALOGUE_VIEW)
def programme_detail(request, code):
    programme = get_for_user_or_404(
        request,
        Programme.objects.visible_to(request.user).select_related("owner", "area"),
        code=code,
    )
    today = date.today()
    in_force = set(programme.amounts_on(today).values_list("pk", flat=True))
    return render(
        request,
        "programs/programme_detail.html",
        {
            "title": str(programme),
            "programme": programme,
            "amounts": programme.amounts.all(),
            "in_force": in_force,
            "implementations": programme.implementations.filter(
                programme__in=_visible_integrated(request.user)
            ).select_related("programme", "organisation"),
        },
    )


def _visible_integrated(user):
    from ..models import IntegratedProgramme

    return IntegratedProgramme.objects.visible_to(user).values("pk")
