"""Ketepatan sasaran (targeting accuracy): how many of a programme's KPM in an area and period
should not be there (deceased, moved away, duplicates, beyond the quota, no longer eligible,
enrolled in an overlapping programme) and how many eligible families are not KPM; each figure for
the area and each area one level down, each with its families and their reasons, and the whole
as a workbook. The report a head of office takes to the Bupati (docs/targeting.md)."""

from .details import Line, Reasons, all_lines, lines, ordered
from .figures import (
    BY_KEY,
    EXCLUSION,
    FIGURES,
    KPM_FIGURES,
    Conditions,
    Figure,
    Subject,
    families_with,
    kpm,
    kpm_with,
    no_jit,
)
from .report import Report, Row, area_name, compute
from .workbook import figure_workbook, report_workbook

__all__ = [
    "BY_KEY",
    "EXCLUSION",
    "FIGURES",
    "KPM_FIGURES",
    "Conditions",
    "Figure",
    "Line",
    "Reasons",
    "Report",
    "Row",
    "Subject",
    "all_lines",
    "area_name",
    "compute",
    "families_with",
    "figure_workbook",
    "kpm",
    "kpm_with",
    "lines",
    "no_jit",
    "ordered",
    "report_workbook",
]
