"""Programmes: the catalogue (PKH, BPNT, PKSA, ...) and the integrated programmes of many
implementers (the Maros model). Each part is a module; this package re-exports the models."""

from .catalogue import Programme, ProgrammeAmount
from .enrolment import Enrolment, EnrolmentDecree, EnrolmentQuota
from .integrated import (
    Activity,
    FocalPoint,
    FundingLine,
    FundingRealisation,
    Implementer,
    IntegratedProgramme,
    MonitoringPlan,
    MonitoringReport,
    Participant,
)
from .overlap import ProgrammeOverlap

__all__ = [
    "Activity",
    "Enrolment",
    "EnrolmentDecree",
    "EnrolmentQuota",
    "FocalPoint",
    "FundingLine",
    "FundingRealisation",
    "Implementer",
    "IntegratedProgramme",
    "MonitoringPlan",
    "MonitoringReport",
    "Participant",
    "Programme",
    "ProgrammeAmount",
    "ProgrammeOverlap",
]
