"""Stale data: the registry changed after the proposal; the conflict and its resolution."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.registry.models import Person

from .. import payloads as p
from ..models import ProposalItem
from ._common import StaleData

if TYPE_CHECKING:
    from pandu.accounts.models import User


_MISSING = object()


def _fresh_target(item: ProposalItem) -> Any:
    model = p.target_model(item)
    pk = item.person_id if model is Person else item.household_id
    return model._default_manager.get(pk=pk)


def stale_fields(item: ProposalItem) -> dict[str, dict[str, Any]]:
    """Fields whose value changed after the proposal and differs from what is proposed.

    A field is no longer in conflict once someone chose which value to keep, as long as the
    current value is still the one they saw when choosing.
    """
    proposed = p.proposed_fields(item)
    if not proposed:
        return {}
    obj = _fresh_target(item)
    conflicts = {}
    for name, new in proposed.items():
        before = item.snapshot.get(name, _MISSING)
        now = p.current_value(obj, name)
        if before is _MISSING or now in (new, before):
            continue
        chosen = (item.resolutions or {}).get(name)
        if chosen and chosen.get("seen") == now:
            continue
        conflicts[name] = {"before": before, "current": now, "proposed": new}
    return conflicts


def _effective_changes(item: ProposalItem) -> dict[str, Any]:
    """What to write: proposed values, minus fields already so and fields kept as they are now."""
    conflicts = stale_fields(item)
    if conflicts:
        raise StaleData(conflicts)
    obj = _fresh_target(item)
    out = {}
    for name, new in p.proposed_fields(item).items():
        now = p.current_value(obj, name)
        if now == new:
            continue
        chosen = (item.resolutions or {}).get(name)
        if chosen and chosen.get("seen") == now and chosen.get("keep") == "current":
            continue
        out[name] = new
    return out


def _record_resolutions(user: User, item: ProposalItem, choices: dict[str, str]) -> None:
    conflicts = stale_fields(item)
    missing = [p.field_label(p.target_model(item), f) for f in conflicts if f not in choices]
    bad = [f for f in conflicts if f in choices and choices[f] not in ("current", "proposed")]
    if missing or bad:
        raise ValidationError(
            {
                "resolutions": [
                    _("Pilih nilai yang dipakai untuk: %(fields)s.")
                    % {"fields": ", ".join(missing or bad)}
                ]
            }
        )
    resolutions = dict(item.resolutions or {})
    now = timezone.now().isoformat()
    for name, values in conflicts.items():
        resolutions[name] = {
            "keep": choices[name],
            "seen": values["current"],
            "before": values["before"],
            "proposed": values["proposed"],
            "by": user.get_username(),
            "at": now,
        }
    item.resolutions = resolutions
    item.stale = {}
