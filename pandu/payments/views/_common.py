"""What the payment pages share: the capability gate, refusals as messages, a cycle fetched
for the user, and its figures as the user may see them."""

from __future__ import annotations

from pandu.core.access import get_for_user_or_404
from pandu.core.querysets import scope_of
from pandu.programs.views._common import form_errors, needs, refused

from ..models import Cycle, Entitlement

__all__ = ["cycle_for", "figures_for", "form_errors", "needs", "refused"]


def cycle_for(request, uid, action: str = "view") -> Cycle:
    """The cycle ``uid`` on which the user may do ``action`` (else the logged 404)."""
    rows = Cycle.objects.restrict(request.user, action).select_related(
        "programme", "area", "scheme", "computed_by", "dinas_by", "head_by", "closed_by"
    )
    return get_for_user_or_404(request, rows, uid=uid)


def covers(user, cycle: Cycle) -> bool:
    """The user's area holds the whole cycle (its figures are the user's to read)."""
    scope = scope_of(user)
    return scope is not None and cycle.area_id.startswith(scope)


def figures_for(user, cycle: Cycle) -> dict:
    """The cycle's kept figures, or for a user inside its area (a district's TKSK) those of
    the entitlements the user sees."""
    if covers(user, cycle):
        return cycle.figures or {}
    return Entitlement.objects.visible_to(user).filter(cycle=cycle).figures()
