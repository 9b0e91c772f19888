"""Empowerment records; each part is a module, re-exported here."""

from .graduation import FollowUp, GraduationCriterion, GraduationPlan, PlanStep
from .groups import KubeGroup, KubeMember, UepGrant
from .monitoring import UseVisit

__all__ = [
    "FollowUp",
    "GraduationCriterion",
    "GraduationPlan",
    "KubeGroup",
    "KubeMember",
    "PlanStep",
    "UepGrant",
    "UseVisit",
]
