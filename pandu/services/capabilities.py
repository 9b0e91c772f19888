"""What the one-stop service (SLRT/Puskesos) lets each role do: capabilities registered into the
one table of ``accounts.roles`` when the app starts, and checked with ``user.can(SCap.X)``.

Supervision is not a role: a user supervises the workers of the service points where they are
staff with the *supervisor* role (see ``queries.supervised_ids``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pandu.accounts import roles
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
    # A case can be assigned to the role (its people do casework). Read from the role itself
    # (``roles.role_can``), never granted by being a superuser.
    CASE_ASSIGNABLE = "services.case.assignable"
    PARTNER = "services.partner"  # the partner agency's referral inbox
    REPORTS = "services.reports"  # dashboards and their downloads


LABELS = {
    SCap.SETUP_VIEW: _("Melihat titik layanan, mitra dan perjanjian"),
    SCap.SETUP_MANAGE: _("Mengelola titik layanan, mitra dan perjanjian"),
    SCap.INTAKE: _("Menerima pengaduan/permohonan"),
    SCap.INTAKE_VIEW: _("Melihat pengaduan/permohonan"),
    SCap.CASE_VIEW: _("Melihat kasus"),
    SCap.CASE_WORK: _("Menangani kasus"),
    SCap.CASE_ADMIN: _("Melihat semua kasus termasuk kasus sensitif"),
    SCap.CASE_ASSIGNABLE: _("Dapat ditugasi menangani kasus"),
    SCap.PARTNER: _("Kotak masuk rujukan mitra"),
    SCap.REPORTS: _("Dasbor dan laporan layanan"),
}

_STAFF_READ = {SCap.SETUP_VIEW, SCap.INTAKE_VIEW, SCap.CASE_VIEW}

GRANTS: dict[str, set[str]] = {
    Role.ADMIN: _STAFF_READ
    | {
        SCap.SETUP_MANAGE,
        SCap.INTAKE,
        SCap.CASE_WORK,
        SCap.CASE_ADMIN,
        SCap.CASE_ASSIGNABLE,
        SCap.REPORTS,
    },
    Role.FRONT_OFFICE: _STAFF_READ | {SCap.INTAKE},
    Role.SOCIAL_WORKER: _STAFF_READ
    | {SCap.INTAKE, SCap.CASE_WORK, SCap.CASE_ASSIGNABLE, SCap.REPORTS},
    Role.TKSK: _STAFF_READ | {SCap.INTAKE, SCap.CASE_WORK, SCap.CASE_ASSIGNABLE},
    # Village data operators keep the registry; the service desk is not theirs.
    Role.OPERATOR: set(),
    # Partners see only the referrals addressed to their agency, through the inbox.
    Role.PARTNER: {SCap.PARTNER},
    Role.HEAD: {SCap.SETUP_VIEW, SCap.REPORTS},
    # The auditor reads cases and reports; need-to-know cases stay with the worker and supervisor,
    # the auditor reads who opened them in the access log.
    Role.AUDITOR: _STAFF_READ | {SCap.REPORTS},
}


def register() -> None:
    """Called from ``ServicesConfig.ready()``. A superuser is no partner agency's member."""
    roles.register(LABELS, GRANTS, not_for_superuser={SCap.PARTNER})


def caseworker_roles() -> frozenset[str]:
    """Roles whose people can be assigned a case."""
    return roles.roles_with(SCap.CASE_ASSIGNABLE)


def is_caseworker(user) -> bool:
    return user is not None and roles.role_can(user.role, SCap.CASE_ASSIGNABLE)


def partner_roles() -> frozenset[str]:
    """Roles whose people work a partner agency's inbox (and so are no service staff)."""
    return roles.roles_with(SCap.PARTNER)


def is_partner(user) -> bool:
    return user is not None and roles.role_can(user.role, SCap.PARTNER)
