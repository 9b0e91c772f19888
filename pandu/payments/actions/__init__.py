"""Every write of payments; each part is a module, re-exported here."""

from .compute import compute_cycle
from .conditionality import apply_conditionality, record_conditionality
from .config import save_component, save_scheme
from .cycles import (
    add_group_entitlement,
    approve_cycle_dinas,
    approve_cycle_head,
    approve_entitlement,
    close_cycle,
    create_cycle,
    hold_entitlement,
    plan_cycles,
    scheme_on,
)
from .reconciliation import run_reconciliation, start_reconciliation
from .settlement import record_treasury_return, schedule_retries, waiting_retries

__all__ = [
    "add_group_entitlement",
    "apply_conditionality",
    "approve_cycle_dinas",
    "approve_cycle_head",
    "approve_entitlement",
    "close_cycle",
    "compute_cycle",
    "create_cycle",
    "hold_entitlement",
    "plan_cycles",
    "record_conditionality",
    "record_treasury_return",
    "run_reconciliation",
    "schedule_retries",
    "start_reconciliation",
    "waiting_retries",
    "save_component",
    "save_scheme",
    "scheme_on",
]
