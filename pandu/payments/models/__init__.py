"""Penyaluran: cycles, entitlements and payments of a programme. Each part is a module; this
package re-exports the models."""

from .config import Component, Scheme
from .cycles import ConditionalityRecord, Cycle, Entitlement
from .payments import Payment, ReconciliationImport, TreasuryReturn

__all__ = [
    "Component",
    "ConditionalityRecord",
    "Cycle",
    "Entitlement",
    "Payment",
    "ReconciliationImport",
    "Scheme",
    "TreasuryReturn",
]
