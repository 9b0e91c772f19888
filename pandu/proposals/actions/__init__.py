"""Every step of the update cycle: propose, submit, verify, decide, apply, hand over.

Each function takes the acting user, checks their capability and area, writes in one transaction
and stamps the history (django-simple-history) with who and why. Only ``_apply`` changes the
registry, and only through ``pandu.registry.actions``: an item whose application fails stays
"approved, not applied" with the error, and nothing of it is half-written (a savepoint).
"""

from ._common import StaleData, _messages, log
from .batches import WALK_IN_FIELDS, attach_minutes, create_batch, receive_walk_in, submit_batch
from .decisions import APPLY, BulkResult, apply_item, decide_item, decide_items, resolve_conflict
from .handovers import accept_handover, refuse_handover
from .items import (
    add_death_item,
    add_household_change_item,
    add_household_item,
    add_member_item,
    add_move_item,
    add_person_change_item,
    add_ppks_item,
    remove_item,
)
from .stale import stale_fields
from .verification import VisitLocation, plan_visit, verify_item

__all__ = [
    "APPLY",
    "BulkResult",
    "StaleData",
    "VisitLocation",
    "_messages",
    "accept_handover",
    "add_death_item",
    "add_household_change_item",
    "add_household_item",
    "add_member_item",
    "add_move_item",
    "add_person_change_item",
    "add_ppks_item",
    "apply_item",
    "WALK_IN_FIELDS",
    "attach_minutes",
    "create_batch",
    "decide_item",
    "decide_items",
    "log",
    "plan_visit",
    "receive_walk_in",
    "refuse_handover",
    "remove_item",
    "resolve_conflict",
    "stale_fields",
    "submit_batch",
    "verify_item",
]
