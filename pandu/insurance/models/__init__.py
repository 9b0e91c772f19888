"""Askesos records: providers and their accreditation, schemes and terms, members with their
cover periods and premium ledger, claims with their documents."""

from .claims import Claim, ClaimDocument
from .members import CoverPeriod, Member, PremiumDue, PremiumImport, PremiumPayment
from .providers import Accreditation, AccreditationItem, Provider, ProviderStaff
from .schemes import Scheme, SchemeTerms

__all__ = [
    "Accreditation",
    "AccreditationItem",
    "Claim",
    "ClaimDocument",
    "CoverPeriod",
    "Member",
    "PremiumDue",
    "PremiumImport",
    "PremiumPayment",
    "Provider",
    "ProviderStaff",
    "Scheme",
    "SchemeTerms",
]
