"""Forms of the programme pages; they parse input, the actions decide. Each part is a module,
re-exported here."""

from .. import choices as c
from .accuracy import AccuracyForm, OverlapEndForm, OverlapForm, accuracy_subject
from .catalogue import (
    AmountEndForm,
    AmountForm,
    OrganisationEditForm,
    OrganisationForm,
    ProgrammeForm,
)
from .integrated import (
    ActivityForm,
    AttendanceForm,
    FocalPointEndForm,
    FocalPointForm,
    FundingLineForm,
    ImplementerForm,
    IntegratedProgrammeEditForm,
    IntegratedProgrammeForm,
    MonitoringPlanForm,
    ParticipantForm,
    ProgressForm,
    RealisationForm,
    ReportForm,
)

__all__ = [
    "c",
    "AccuracyForm",
    "ActivityForm",
    "AmountEndForm",
    "AmountForm",
    "AttendanceForm",
    "FocalPointEndForm",
    "FocalPointForm",
    "FundingLineForm",
    "ImplementerForm",
    "IntegratedProgrammeEditForm",
    "IntegratedProgrammeForm",
    "MonitoringPlanForm",
    "OrganisationEditForm",
    "OrganisationForm",
    "OverlapEndForm",
    "OverlapForm",
    "ParticipantForm",
    "ProgrammeForm",
    "ProgressForm",
    "RealisationForm",
    "ReportForm",
    "accuracy_subject",
]
