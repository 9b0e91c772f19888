"""Programme pages; each part is a module, re-exported here."""

from .activities import (
    activity_create,
    activity_detail,
    activity_progress,
    participant_add,
    participant_attendance,
)
from .catalogue import catalogue, programme_detail
from .integrated import (
    evidence_download,
    focal_point_add,
    funding_add,
    implementer_add,
    integrated_create,
    integrated_detail,
    integrated_list,
    plan_add,
    realisation_add,
    report_add,
    report_file,
)
from .organisations import organisation_create, organisation_list

__all__ = [
    "activity_create",
    "activity_detail",
    "activity_progress",
    "catalogue",
    "evidence_download",
    "focal_point_add",
    "funding_add",
    "implementer_add",
    "integrated_create",
    "integrated_detail",
    "integrated_list",
    "organisation_create",
    "organisation_list",
    "participant_add",
    "participant_attendance",
    "plan_add",
    "programme_detail",
    "realisation_add",
    "report_add",
    "report_file",
]
