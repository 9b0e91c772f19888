"""What the programme pages let each role do: capabilities registered into the one table of
``accounts.roles`` when the app starts.

The coordinator of an integrated programme is the Dinas Sosial's administrator (it sets the
programme up and sees all of it); the head of office reads all of it. An implementer's focal
point is a user linked to one implementer (``FocalPoint``): holding ``FOCAL_POINT`` lets the
link count, and the link says which implementer's activities they see and update.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pandu.accounts import roles
from pandu.accounts.roles import Role


class PCap:
    CATALOGUE_VIEW = "programs.catalogue.view"  # programmes, their rules and amounts
    CATALOGUE_MANAGE = "programs.catalogue.manage"  # programmes, amounts, organisations
    INTEGRATED_VIEW = "programs.integrated.view"  # every integrated programme in the area
    INTEGRATED_MANAGE = "programs.integrated.manage"  # set up and update them (coordinator)
    FOCAL_POINT = "programs.focal_point"  # an implementer's own activities, through the link
    # Beneficiaries (KPM): candidates from a committed targeting run, verified in the field by
    # the TKSK, approved by the Dinas (the administrator), then by the head with the decree.
    ENROLMENT_VIEW = "programs.enrolment.view"
    ENROLMENT_VERIFY = "programs.enrolment.verify"
    ENROLMENT_MANAGE = "programs.enrolment.manage"  # candidate lists, Dinas approval, quotas
    ENROLMENT_DECREE = "programs.enrolment.decree"  # the head's approval with the decree


LABELS = {
    PCap.CATALOGUE_VIEW: _("Melihat katalog program"),
    PCap.CATALOGUE_MANAGE: _("Mengelola katalog program dan daftar lembaga"),
    PCap.INTEGRATED_VIEW: _("Melihat program terpadu"),
    PCap.INTEGRATED_MANAGE: _("Mengoordinasikan program terpadu"),
    PCap.FOCAL_POINT: _("Penanggung jawab pelaksana program terpadu"),
    PCap.ENROLMENT_VIEW: _("Melihat calon dan KPM program"),
    PCap.ENROLMENT_VERIFY: _("Memverifikasi calon KPM di lapangan"),
    PCap.ENROLMENT_MANAGE: _("Menyusun daftar calon KPM, menyetujui atas nama Dinas, dan kuota"),
    PCap.ENROLMENT_DECREE: _("Menetapkan KPM dengan surat keputusan"),
}

GRANTS: dict[str, set[str]] = {
    Role.ADMIN: {
        PCap.CATALOGUE_VIEW,
        PCap.CATALOGUE_MANAGE,
        PCap.INTEGRATED_VIEW,
        PCap.INTEGRATED_MANAGE,
        PCap.ENROLMENT_VIEW,
        PCap.ENROLMENT_MANAGE,
    },
    Role.HEAD: {
        PCap.CATALOGUE_VIEW,
        PCap.INTEGRATED_VIEW,
        PCap.ENROLMENT_VIEW,
        PCap.ENROLMENT_DECREE,
    },
    Role.AUDITOR: {PCap.CATALOGUE_VIEW, PCap.INTEGRATED_VIEW, PCap.ENROLMENT_VIEW},
    Role.SOCIAL_WORKER: {PCap.CATALOGUE_VIEW, PCap.FOCAL_POINT, PCap.ENROLMENT_VIEW},
    Role.TKSK: {
        PCap.CATALOGUE_VIEW,
        PCap.FOCAL_POINT,
        PCap.ENROLMENT_VIEW,
        PCap.ENROLMENT_VERIFY,
    },
    Role.FRONT_OFFICE: {PCap.CATALOGUE_VIEW, PCap.ENROLMENT_VIEW},
    Role.OPERATOR: {PCap.CATALOGUE_VIEW, PCap.ENROLMENT_VIEW},
    # A partner body (IPSI, STIKS, a college) works its own activities only.
    Role.PARTNER: {PCap.FOCAL_POINT},
}


def register() -> None:
    """Called from ``ProgramsConfig.ready()``. A superuser is nobody's focal point."""
    roles.register(LABELS, GRANTS, not_for_superuser={PCap.FOCAL_POINT})
