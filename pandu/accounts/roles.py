"""Roles and what each may do. One table, read by querysets, views, the API and the tests."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator Dinas Sosial")
    OPERATOR = "operator", _("Operator Desa/Kelurahan")
    TKSK = "tksk", _("TKSK")
    SOCIAL_WORKER = "social_worker", _("Pekerja Sosial")
    FRONT_OFFICE = "front_office", _("Petugas Front Office")
    PARTNER = "partner", _("Mitra")
    HEAD = "head", _("Pimpinan")
    AUDITOR = "auditor", _("Auditor")


class Cap:
    """Capabilities: the things a role may do inside its area."""

    VIEW_FIGURES = "figures.view"  # aggregate counts, dashboards
    VIEW_REGISTRY = "registry.view"  # individual households and people
    CHANGE_REGISTRY = "registry.change"  # create and edit households, people, PPKS, PSKS
    VIEW_SENSITIVE = "registry.sensitive"  # the need-to-know PPKS categories
    VIEW_HISTORY = "history.view"
    VIEW_ACCESS_LOG = "accesslog.view"
    MANAGE_USERS = "users.manage"
    # The update cycle: village proposes, field verifies, Dinas Sosial decides.
    PROPOSE = "proposals.propose"
    VERIFY = "proposals.verify"
    DECIDE = "proposals.decide"
    # Duplicates: reviewing and merging pairs; starting a registry-wide search.
    REVIEW_DUPLICATES = "dedup.review"
    RUN_DEDUP = "dedup.run"
    # Bulk import of registry files (operators: their own village's rows only).
    IMPORT_REGISTRY = "registry.import"


_READ = {Cap.VIEW_FIGURES, Cap.VIEW_REGISTRY, Cap.VIEW_HISTORY}

ROLE_CAPS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        _READ
        | {
            Cap.CHANGE_REGISTRY,
            Cap.VIEW_SENSITIVE,
            Cap.VIEW_ACCESS_LOG,
            Cap.MANAGE_USERS,
            Cap.DECIDE,
            Cap.REVIEW_DUPLICATES,
            Cap.RUN_DEDUP,
            Cap.IMPORT_REGISTRY,
        }
    ),
    Role.OPERATOR: frozenset(_READ | {Cap.CHANGE_REGISTRY, Cap.PROPOSE, Cap.IMPORT_REGISTRY}),
    Role.TKSK: frozenset(_READ | {Cap.CHANGE_REGISTRY, Cap.VERIFY, Cap.REVIEW_DUPLICATES}),
    Role.SOCIAL_WORKER: frozenset(
        _READ | {Cap.CHANGE_REGISTRY, Cap.VIEW_SENSITIVE, Cap.VERIFY, Cap.REVIEW_DUPLICATES}
    ),
    Role.FRONT_OFFICE: frozenset(_READ | {Cap.CHANGE_REGISTRY, Cap.PROPOSE}),
    # Partner agencies see only what referrals share with them (later); nothing of the registry.
    Role.PARTNER: frozenset(),
    Role.HEAD: frozenset({Cap.VIEW_FIGURES}),
    Role.AUDITOR: frozenset(_READ | {Cap.VIEW_SENSITIVE, Cap.VIEW_ACCESS_LOG}),
}

# The area level each role is normally given; add_user warns when it differs.
ROLE_USUAL_LEVELS: dict[str, set[int]] = {
    Role.ADMIN: {1, 2},
    Role.OPERATOR: {4},
    Role.TKSK: {3},
    Role.SOCIAL_WORKER: {2, 3},
    Role.FRONT_OFFICE: {2, 3, 4},
    Role.PARTNER: {1, 2, 3},
    Role.HEAD: {1, 2},
    Role.AUDITOR: {1, 2},
}


def role_can(role: str, cap: str) -> bool:
    return cap in ROLE_CAPS.get(role, frozenset())
