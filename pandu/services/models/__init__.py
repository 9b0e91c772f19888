"""One-stop service (SLRT/Puskesos): service points and partners with their agreements, intake of
complaints and requests, case management with family counselling (K3), and referrals to partners.

Writes go through ``actions.py``; reads through the ``visible_to(user)`` querysets of
``queries.py``.
"""

from ._common import USER
from .cases import Assessment, Case, CaseEvent, CaseNote, CounsellingSession, Goal, PlanAction, Task
from .intake import (
    CHECK_ALPHABET,
    CHECK_LENGTH,
    Intake,
    IntakeNeed,
    IntakeTally,
    NeedTally,
    VillageTally,
    new_check_code,
)
from .points import (
    Agreement,
    AgreementExtension,
    Counter,
    Holiday,
    PartnerAgency,
    PartnerMembership,
    PartnerService,
    ServicePoint,
    ServicePointStaff,
    agreement_upload_to,
)
from .referrals import Referral, ReferralAttachment, referral_attachment_upload_to

__all__ = [
    "Agreement",
    "AgreementExtension",
    "Assessment",
    "CHECK_ALPHABET",
    "CHECK_LENGTH",
    "Case",
    "CaseEvent",
    "CaseNote",
    "CounsellingSession",
    "Counter",
    "Goal",
    "Holiday",
    "Intake",
    "IntakeNeed",
    "IntakeTally",
    "NeedTally",
    "PartnerAgency",
    "PartnerMembership",
    "PartnerService",
    "PlanAction",
    "Referral",
    "ReferralAttachment",
    "ServicePoint",
    "ServicePointStaff",
    "Task",
    "USER",
    "VillageTally",
    "agreement_upload_to",
    "new_check_code",
    "referral_attachment_upload_to",
]
