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
    implementer_add,
    integrated_create,
    integrated_detail,
    integrated_list,
    realisation_add,
    report_add,
    report_file,
)

__all__ = [
    "activity_create",
    "activity_detail",
    "activity_progress",
    "catalogue",
    "evidence_download",
    "implementer_add",
    "integrated_create",
    "integrated_detail",
    "integrated_list",
    "participant_add",
    "participant_attendance",
    "programme_detail",
    "realisation_add",
    "report_add",
    "report_file",
]
