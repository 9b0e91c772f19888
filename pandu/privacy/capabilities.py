"""What the personal-data pages let each role do (UU 27/2022), registered into
``accounts.roles`` at start-up (decision 0022).

Everyone who registers people or serves them records consents. Requests of data subjects are
received at the desk and handled by the Dinas's administrator and its data protection officer
(the auditor role); an erasure, a restriction or a refusal is decided by a second person who
holds ``privacy.approve``. The retention review and the breach register belong to the
administrator and the data protection officer; the head of office reads the breaches, since
the notice to the authority goes out under the office's name.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pandu.accounts import roles
from pandu.accounts.roles import Role


class PCap:
    VIEW = "privacy.view"  # a person's consents and restrictions
    CONSENT = "privacy.consent"  # record and withdraw consents
    HANDLE = "privacy.handle"  # receive and handle data-subject requests, export a person's data
    APPROVE = "privacy.approve"  # the second person on an erasure, restriction or refusal
    RETENTION = "privacy.retention"  # retention rules and the review of records past them
    BREACH = "privacy.breach"  # record breaches and the notices sent
    BREACH_VIEW = "privacy.breach_view"  # read the breach register


LABELS = {
    PCap.VIEW: _("Melihat persetujuan dan pembatasan pemrosesan data pribadi"),
    PCap.CONSENT: _("Mencatat dan mencabut persetujuan pemrosesan data pribadi"),
    PCap.HANDLE: _("Menangani permintaan subjek data pribadi"),
    PCap.APPROVE: _("Menyetujui penghapusan, pembatasan atau penolakan permintaan subjek data"),
    PCap.RETENTION: _("Mengatur dan meninjau masa simpan data pribadi"),
    PCap.BREACH: _("Mencatat insiden kebocoran data pribadi dan pemberitahuannya"),
    PCap.BREACH_VIEW: _("Melihat register insiden kebocoran data pribadi"),
}

_RECORDERS = {PCap.VIEW, PCap.CONSENT}
_OFFICERS = {
    PCap.VIEW,
    PCap.HANDLE,
    PCap.APPROVE,
    PCap.RETENTION,
    PCap.BREACH,
    PCap.BREACH_VIEW,
}

GRANTS: dict[str, set[str]] = {
    Role.ADMIN: _OFFICERS | {PCap.CONSENT},
    # The data protection officer: handles requests, is the second person on erasures, keeps
    # the retention review and the breach register; records no consent (no one at the desk).
    Role.AUDITOR: set(_OFFICERS),
    Role.FRONT_OFFICE: _RECORDERS | {PCap.HANDLE},
    Role.SOCIAL_WORKER: set(_RECORDERS),
    Role.TKSK: set(_RECORDERS),
    Role.OPERATOR: set(_RECORDERS),
    Role.HEAD: {PCap.BREACH_VIEW},
    Role.PARTNER: set(),
}


def register() -> None:
    """Called from ``PrivacyConfig.ready()``."""
    roles.register(LABELS, GRANTS)
