"""What the Askesos pages let each role do, registered into ``accounts.roles`` at start-up.

The Dinas's administrator accredits providers, sets schemes and can act for a provider of its
area; the head, the auditor and the field staff read what lies in their area. A provider's
staff are users with the Mitra role linked to the provider (``ProviderStaff``): holding
``PROVIDER`` lets the link count, and the link says whose members, premiums, claims and books
they keep, wherever those members live.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pandu.accounts import roles
from pandu.accounts.roles import Role


class ICap:
    VIEW = "insurance.view"  # providers, schemes, members, premiums, claims, books of the area
    MANAGE = "insurance.manage"  # accreditation, schemes, staff links; act for a provider
    PROVIDER = "insurance.provider"  # a provider's own members, premiums, claims, through the link


LABELS = {
    ICap.VIEW: _("Melihat penyelenggara, peserta, iuran dan klaim Askesos"),
    ICap.MANAGE: _("Mengakreditasi penyelenggara dan mengatur skema Askesos"),
    ICap.PROVIDER: _("Petugas penyelenggara Askesos (peserta, iuran dan klaim sendiri)"),
}

GRANTS: dict[str, set[str]] = {
    Role.ADMIN: {ICap.VIEW, ICap.MANAGE},
    Role.HEAD: {ICap.VIEW},
    Role.AUDITOR: {ICap.VIEW},
    Role.SOCIAL_WORKER: {ICap.VIEW},
    Role.TKSK: {ICap.VIEW},
    Role.PARTNER: {ICap.PROVIDER},
}


def register() -> None:
    """Called from ``InsuranceConfig.ready()``. A superuser is nobody's provider staff."""
    roles.register(LABELS, GRANTS, not_for_superuser={ICap.PROVIDER})
