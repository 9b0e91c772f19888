"""Every write of the empowerment records; each part is a module, re-exported here."""

from pandu.proposals.actions.verification import VisitLocation

from .graduation import (
    KubeJoin,
    StepData,
    UepData,
    add_step,
    cancel_plan,
    complete_step,
    create_plan,
    end_criterion,
    facilitators_for,
    follow_up_months,
    graduate_family,
    record_follow_up,
    set_criterion,
    update_plan,
)
from .groups import (
    add_member,
    create_group,
    end_member,
    person_by_nik,
    record_group_grant,
    record_uep_grant,
    update_group,
)
from .monitoring import record_visit

__all__ = [
    "KubeJoin",
    "StepData",
    "UepData",
    "VisitLocation",
    "add_member",
    "add_step",
    "cancel_plan",
    "complete_step",
    "create_group",
    "create_plan",
    "end_criterion",
    "end_member",
    "facilitators_for",
    "follow_up_months",
    "graduate_family",
    "person_by_nik",
    "record_follow_up",
    "record_group_grant",
    "record_uep_grant",
    "record_visit",
    "set_criterion",
    "update_group",
    "update_plan",
]
