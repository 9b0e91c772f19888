"""What the payment pages let each role do, registered into ``accounts.roles`` at start-up.

The Dinas (the administrator) sets cycles up, computes them, approves them first, exports the
payment lists and imports the banks' reconciliation; the head of office gives the second and
final approval; the auditor reads everything; the TKSK and the social worker read the cycles of
their area and record conditionality (school attendance, health visits).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pandu.accounts import roles
from pandu.accounts.roles import Role


class PayCap:
    VIEW = "payments.view"  # cycles, entitlements, payments and their figures
    MANAGE = "payments.manage"  # cycles, computation, lists, reconciliation, retries, returns
    APPROVE_DINAS = "payments.approve_dinas"  # the first approval step (the Dinas)
    APPROVE_HEAD = "payments.approve_head"  # the second and final step (the head of office)
    CONDITIONALITY = "payments.conditionality"  # record school attendance and health visits


LABELS = {
    PayCap.VIEW: _("Melihat siklus, hak dan pembayaran bantuan"),
    PayCap.MANAGE: _(
        "Mengelola siklus bantuan, daftar bayar, rekonsiliasi, bayar ulang dan pengembalian dana"
    ),
    PayCap.APPROVE_DINAS: _("Menyetujui siklus bantuan atas nama Dinas"),
    PayCap.APPROVE_HEAD: _("Menyetujui siklus bantuan sebagai Kepala"),
    PayCap.CONDITIONALITY: _("Mencatat pemenuhan kewajiban KPM (sekolah, kesehatan)"),
}

GRANTS: dict[str, set[str]] = {
    Role.ADMIN: {PayCap.VIEW, PayCap.MANAGE, PayCap.APPROVE_DINAS, PayCap.CONDITIONALITY},
    Role.HEAD: {PayCap.VIEW, PayCap.APPROVE_HEAD},
    Role.AUDITOR: {PayCap.VIEW},
    Role.TKSK: {PayCap.VIEW, PayCap.CONDITIONALITY},
    Role.SOCIAL_WORKER: {PayCap.VIEW, PayCap.CONDITIONALITY},
    Role.FRONT_OFFICE: set(),
    Role.OPERATOR: set(),
    Role.PARTNER: set(),
}


def register() -> None:
    """Called from ``PaymentsConfig.ready()``."""
    roles.register(LABELS, GRANTS)
