"""A family's targeting results on the registry's household page (``registry.related``): the
newest committed result of each rule, read through the run's scoped queryset."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pandu.registry.related import Row, Section

from .capabilities import TCap

SHOWN = 10


def targeting_results(user: Any, people: Sequence[Any]) -> Section | None:
    from .models import TargetingResult

    if not user.can(TCap.VIEW):
        return None
    households = {p.household_id for p in people if p.household_id}
    if len(households) != 1:
        return None
    household_id = households.pop()
    section = Section(
        title=_("Penetapan sasaran dan desil"),
        empty=_("Belum pernah dihitung dalam penetapan sasaran."),
        key="targeting",
    )
    results = (
        TargetingResult.objects.visible_to(user)
        .filter(household_id=household_id)
        .select_related("run__ruleset", "household")
    )
    for result in results.order_by("-run_id")[:SHOWN]:
        run = result.run
        verdict = _("layak") if result.eligible else _("tidak layak")
        desil = f" · desil {result.desil}" if result.desil else ""
        section.rows.append(
            Row(
                when=run.committed_at or run.created_at,
                label=f"{run.ruleset} — {verdict}{desil}",
                url=reverse("targeting:explain", args=[run.uid, result.household.uid]),
                status=run.get_status_display(),
                detail=_("skor %(score)s") % {"score": number_format(result.score, 3)}
                if result.score is not None
                else "",
                kind="targeting",
            )
        )
    return section


def register() -> None:
    from pandu.registry.related import register_provider

    register_provider(targeting_results)
