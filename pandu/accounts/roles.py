"""Roles and what each may do: the one table of capabilities, read by querysets, views, the API,
templates and the tests through ``user.can(cap)``.

The registry's capabilities (and those of proposals, import and deduplication, which act on the
registry) are declared below. Other apps name theirs in their own module and add them with
:func:`register` from their ``AppConfig.ready()`` (the one-stop service does): the table stays
one, and nothing else grants a role anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

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
    VIEW_ACCOUNTS = "registry.accounts"  # bank/KKS account numbers in full (need to know)
    # NIKs in full on lists, pages, the API and exports: the roles that register, verify and
    # decide on people. Others read 7309********0001 and reveal one NIK at a time (logged).
    VIEW_NIK = "registry.nik"
    VIEW_HISTORY = "history.view"
    VIEW_ACCESS_LOG = "accesslog.view"
    MANAGE_USERS = "users.manage"  # create users, change their role and area, deactivate
    VIEW_USERS = "users.view"  # the users of one's area and the history of their accounts
    MANAGE_OFFICE = "office.manage"  # the office's letterhead, logo and signers
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
# Those who register people (village operators, the front office), verify them (TKSK, social
# workers) and decide and import (the Dinas's administrator) compare NIKs with documents every
# day; an auditor checks who did what and needs a NIK only now and then.
_NIK = {Cap.VIEW_NIK}

ROLE_CAPS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        _READ
        | {
            Cap.CHANGE_REGISTRY,
            Cap.VIEW_SENSITIVE,
            Cap.VIEW_ACCOUNTS,
            Cap.VIEW_NIK,
            Cap.VIEW_ACCESS_LOG,
            Cap.MANAGE_USERS,
            Cap.VIEW_USERS,
            Cap.MANAGE_OFFICE,
            Cap.DECIDE,
            Cap.REVIEW_DUPLICATES,
            Cap.RUN_DEDUP,
            Cap.IMPORT_REGISTRY,
        }
    ),
    Role.OPERATOR: frozenset(
        _READ | _NIK | {Cap.CHANGE_REGISTRY, Cap.PROPOSE, Cap.IMPORT_REGISTRY}
    ),
    Role.TKSK: frozenset(_READ | _NIK | {Cap.CHANGE_REGISTRY, Cap.VERIFY, Cap.REVIEW_DUPLICATES}),
    Role.SOCIAL_WORKER: frozenset(
        _READ | _NIK | {Cap.CHANGE_REGISTRY, Cap.VIEW_SENSITIVE, Cap.VERIFY, Cap.REVIEW_DUPLICATES}
    ),
    Role.FRONT_OFFICE: frozenset(_READ | _NIK | {Cap.CHANGE_REGISTRY, Cap.PROPOSE}),
    # Partner agencies see only what referrals share with them (later); nothing of the registry.
    Role.PARTNER: frozenset(),
    Role.HEAD: frozenset({Cap.VIEW_FIGURES}),
    Role.AUDITOR: frozenset(
        _READ | {Cap.VIEW_SENSITIVE, Cap.VIEW_ACCOUNTS, Cap.VIEW_ACCESS_LOG, Cap.VIEW_USERS}
    ),
}

# Which roles a role may give to the users it manages, inside its own area. Roles are not ordered
# by their capabilities (an operator proposes, an administrator decides), so who may grant what is
# written here: the Dinas's administrator gives any role; no other role gives any. Only a
# superuser makes a superuser, and only from the command line.
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(Role.values),
}

# Roles whose accounts see or change the most: longer passwords (accounts/passwords.py) and, by
# default, two-factor login (settings.PANDU_2FA_REQUIRED_ROLES).
PRIVILEGED_ROLES: frozenset[str] = frozenset({Role.ADMIN, Role.AUDITOR})

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


CAP_LABELS: dict[str, Any] = {
    Cap.VIEW_FIGURES: _("Melihat angka rekapitulasi"),
    Cap.VIEW_REGISTRY: _("Melihat data registri"),
    Cap.CHANGE_REGISTRY: _("Mengubah data registri"),
    Cap.VIEW_SENSITIVE: _("Melihat PPKS sensitif"),
    Cap.VIEW_ACCOUNTS: _("Melihat nomor rekening bank/KKS lengkap"),
    Cap.VIEW_NIK: _("Melihat NIK lengkap di daftar dan halaman penduduk"),
    Cap.VIEW_HISTORY: _("Melihat riwayat perubahan"),
    Cap.VIEW_ACCESS_LOG: _("Melihat log akses"),
    Cap.MANAGE_USERS: _("Mengelola pengguna"),
    Cap.VIEW_USERS: _("Melihat pengguna dan riwayat akunnya"),
    Cap.MANAGE_OFFICE: _("Mengatur kop surat dan penanda tangan"),
    Cap.PROPOSE: _("Mengajukan usulan"),
    Cap.VERIFY: _("Memverifikasi usulan"),
    Cap.DECIDE: _("Menetapkan usulan"),
    Cap.REVIEW_DUPLICATES: _("Memeriksa data ganda"),
    Cap.RUN_DEDUP: _("Menjalankan pencarian data ganda"),
    Cap.IMPORT_REGISTRY: _("Mengimpor data registri"),
}

# Capabilities a superuser does not hold by being one (a partner's inbox belongs to an agency).
_NOT_FOR_SUPERUSER: set[str] = set()


def register(
    labels: Mapping[str, Any],
    grants: Mapping[str, Iterable[str]],
    *,
    not_for_superuser: Iterable[str] = (),
) -> None:
    """Add an app's capabilities to the table: ``labels`` names each one, ``grants`` says which
    roles hold which. Registering the same grants again changes nothing."""
    granted = {cap for caps in grants.values() for cap in caps}
    unnamed = granted - set(labels)
    if unnamed:
        raise ValueError(f"capabilities granted without a label: {sorted(unnamed)}")
    unknown = set(grants) - set(Role.values)
    if unknown:
        raise ValueError(f"no such roles: {sorted(unknown)}")
    taken = {cap for cap in labels if cap in CAP_LABELS and CAP_LABELS[cap] is not labels[cap]}
    if taken:
        raise ValueError(f"capabilities already registered with another meaning: {sorted(taken)}")
    CAP_LABELS.update(labels)
    for role, caps in grants.items():
        ROLE_CAPS[role] = ROLE_CAPS.get(role, frozenset()) | frozenset(caps)
    _NOT_FOR_SUPERUSER.update(not_for_superuser)


def role_can(role: str, cap: str) -> bool:
    return cap in ROLE_CAPS.get(role, frozenset())


def roles_with(cap: str) -> frozenset[str]:
    """The roles that hold ``cap`` (for choosing people, e.g. who can be assigned a case)."""
    return frozenset(role for role, caps in ROLE_CAPS.items() if cap in caps)


def user_can(user: Any, cap: str) -> bool:
    """Whether ``user`` (a User, an anonymous visitor or None) holds ``cap`` inside their area.

    ``User.can`` is this; call it directly where the user may be anonymous.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return cap not in _NOT_FOR_SUPERUSER
    return role_can(user.role, cap)


def caps_of(user: Any) -> set[str]:
    """Every registered capability the user holds."""
    return {cap for cap in CAP_LABELS if user_can(user, cap)}


def grantable_roles(user: Any) -> frozenset[str]:
    """The roles ``user`` may give to others (inside their own area)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Role.values)
    if not role_can(user.role, Cap.MANAGE_USERS):
        return frozenset()
    return GRANTABLE_ROLES.get(user.role, frozenset())
