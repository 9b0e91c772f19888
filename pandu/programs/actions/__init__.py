"""Every write of programmes; each part is a module, re-exported here."""

from .catalogue import end_programme_amount, save_programme, set_programme_amount
from .enrolment import (
    VisitLocation,
    approve_by_dinas,
    approve_by_head,
    change_enrolment_status,
    create_candidates,
    reject_candidate,
    set_quota,
    verify_candidate,
)
from .integrated import (
    add_funding_line,
    add_implementer,
    add_monitoring_plan,
    add_named_participant,
    add_registry_participant,
    end_focal_point,
    link_focal_point,
    record_progress,
    record_realisation,
    save_activity,
    save_integrated_programme,
    set_attendance,
    submit_monitoring_report,
)
from .overlap import end_overlap, set_overlap

__all__ = [
    "VisitLocation",
    "approve_by_dinas",
    "approve_by_head",
    "change_enrolment_status",
    "create_candidates",
    "reject_candidate",
    "set_quota",
    "verify_candidate",
    "add_funding_line",
    "add_implementer",
    "add_monitoring_plan",
    "add_named_participant",
    "add_registry_participant",
    "end_focal_point",
    "end_overlap",
    "end_programme_amount",
    "link_focal_point",
    "record_progress",
    "record_realisation",
    "save_activity",
    "save_integrated_programme",
    "save_programme",
    "set_attendance",
    "set_overlap",
    "set_programme_amount",
    "submit_monitoring_report",
]
