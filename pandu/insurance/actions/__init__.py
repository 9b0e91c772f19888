"""Every write of the Askesos records (see each module's docstring)."""

from .claims import add_claim_document, decide_claim, file_claim, open_family_case, pay_claim
from .imports import import_premiums
from .members import end_membership, enrol_member, find_person, reinstate_member
from .premiums import record_payment, run_ledger
from .providers import (
    create_provider,
    decide_accreditation,
    ensure_may_enrol,
    link_staff,
    open_accreditation,
    record_evidence,
    review_item,
    revoke_accreditation,
    unlink_staff,
    update_provider,
)
from .schemes import add_terms, create_scheme, set_scheme_active, withdraw_terms

__all__ = [
    "add_claim_document",
    "add_terms",
    "create_provider",
    "create_scheme",
    "decide_accreditation",
    "decide_claim",
    "end_membership",
    "enrol_member",
    "ensure_may_enrol",
    "file_claim",
    "find_person",
    "import_premiums",
    "link_staff",
    "open_accreditation",
    "open_family_case",
    "pay_claim",
    "record_evidence",
    "record_payment",
    "reinstate_member",
    "review_item",
    "revoke_accreditation",
    "run_ledger",
    "set_scheme_active",
    "unlink_staff",
    "update_provider",
    "withdraw_terms",
]
