"""What each role may do in the one-stop service (SLRT/Puskesos), as a function of the role.

``accounts.roles`` holds the registry's capabilities; the service's own live here so that the two
tables can change separately. Supervision is not a role: a user supervises the workers of the
service points where they are staff with the *supervisor* role (see ``queries.supervised_ids``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pandu.accounts.roles import Role


class SCap:
    """Service capabilities, each used inside the user's area."""

    SETUP_VIEW = "services.setup.view"  # service points, partners, agreements (read)
    SETUP_MANAGE = "services.setup.manage"  # create and change them
    INTAKE = "services.intake"  # receive complaints/requests, receipts, queue, route to a worker
    INTAKE_VIEW = "services.intake.view"
    CASE_VIEW = "services.case.view"  # non-sensitive cases in the area, read-only
    CASE_WORK = "services.case.work"  # assessment, plan, notes, tasks, counselling, referrals
    CASE_ADMIN = "services.case.admin"  # every case in the area, sensitive ones included
    PARTNER = "services.partner"  # the partner agency's referral inbox
    REPORTS = "services.reports"  # dashboards and their downloads


_STAFF_READ = {SCap.SETUP_VIEW, SCap.INTAKE_VIEW, SCap.CASE_VIEW}

SERVICE_ROLE_CAPS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        _STAFF_READ
        | {SCap.SETUP_MANAGE, SCap.INTAKE, SCap.CASE_WORK, SCap.CASE_ADMIN, SCap.REPORTS}
    ),
    Role.FRONT_OFFICE: frozenset(_STAFF_READ | {SCap.INTAKE}),
    Role.SOCIAL_WORKER: frozenset(_STAFF_READ | {SCap.INTAKE, SCap.CASE_WORK, SCap.REPORTS}),
    Role.TKSK: frozenset(_STAFF_READ | {SCap.INTAKE, SCap.CASE_WORK}),
    # Village data operators keep the registry; the service desk is not theirs.
    Role.OPERATOR: frozenset(),
    # Partners see only the referrals addressed to their agency, through the inbox.
    Role.PARTNER: frozenset({SCap.PARTNER}),
    Role.HEAD: frozenset({SCap.SETUP_VIEW, SCap.REPORTS}),
    # The auditor reads cases and reports; need-to-know cases stay with the worker and supervisor,
    # the auditor reads who opened them in the access log.
    Role.AUDITOR: frozenset(_STAFF_READ | {SCap.REPORTS}),
}

# Roles that can be assigned a case (they do the casework).
CASEWORKER_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TKSK, Role.ADMIN})

CAP_LABELS = {
    SCap.SETUP_VIEW: _("Melihat titik layanan, mitra dan perjanjian"),
    SCap.SETUP_MANAGE: _("Mengelola titik layanan, mitra dan perjanjian"),
    SCap.INTAKE: _("Menerima pengaduan/permohonan"),
    SCap.INTAKE_VIEW: _("Melihat pengaduan/permohonan"),
    SCap.CASE_VIEW: _("Melihat kasus"),
    SCap.CASE_WORK: _("Menangani kasus"),
    SCap.CASE_ADMIN: _("Melihat semua kasus termasuk kasus sensitif"),
    SCap.PARTNER: _("Kotak masuk rujukan mitra"),
    SCap.REPORTS: _("Dasbor dan laporan layanan"),
}


def can(user, cap: str) -> bool:
    """Whether ``user`` holds the service capability ``cap`` (inside their own area)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return cap != SCap.PARTNER
    return cap in SERVICE_ROLE_CAPS.get(user.role, frozenset())


def caps_of(user) -> set[str]:
    return {cap for cap in CAP_LABELS if can(user, cap)}
