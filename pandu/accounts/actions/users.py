"""Accounts: creating users, changing their role and area, deactivating them; every change is a
UserChange row (the account's history) and a ``user_change`` row of the access log.

An administrator never grants beyond their own role and area (``queries.may_grant``); from the
command line (``actor=None``) the server's operator may create any account.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.core.access import record_access
from pandu.core.models import AccessLog
from pandu.regions.models import Area

from ..models import ApiToken, User, UserChange
from ..queries import can_manage, may_grant
from ..roles import Role

#: The fields an administrator changes on the page, in the order the history lists them.
EDITABLE = ("first_name", "last_name", "email", "role", "area")


def record_change(
    user: User,
    kind: str,
    *,
    actor: User | None = None,
    changes: dict | None = None,
    detail: str = "",
    address: str | None = None,
) -> UserChange:
    """Write one entry of the account's history and its access-log row."""
    change = UserChange.objects.create(
        user=user,
        actor=actor,
        kind=kind,
        changes=changes or {},
        detail=detail[:300],
        address=address or None,
    )
    record_access(actor, AccessLog.Kind.USER_CHANGE, user, detail=f"{kind} {detail}".strip())
    return change


def _shown(user: User, field: str) -> str:
    """A field's value as the history keeps it (the role's code, the area's code and name); the
    page names them in the reader's language (``tables.changes_list``)."""
    if field == "area":
        return f"{user.area.code} {user.area.name}" if user.area else ""
    return str(getattr(user, field) or "")


def check_password(password: str, user: User) -> None:
    """The password policy (settings.AUTH_PASSWORD_VALIDATORS) for ``user``; a refusal names
    every rule broken, on the ``password`` field."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


def _area(code: str | None) -> Area:
    area = Area.objects.filter(code=code or "").first()
    if area is None:
        raise ValidationError({"area": _("Kode wilayah tidak dikenal: %(c)s") % {"c": code}})
    return area


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Peran tidak dikenal: %(r)s. Pilih salah satu: %(all)s")
                % {"r": role, "all": ", ".join(Role.values)}
            }
        )


def _refuse_grant(actor: User, role: str, area: Area) -> None:
    if not may_grant(actor, role, area):
        raise PermissionDenied(
            _(
                "Anda hanya dapat memberikan peran yang boleh Anda berikan, di dalam wilayah "
                "kerja Anda sendiri."
            )
        )


@transaction.atomic
def create_user(
    username: str,
    *,
    role: str,
    area_code: str,
    password: str | None = None,
    actor: User | None = None,
    must_change_password: bool = False,
    address: str | None = None,
    **extra: Any,
) -> User:
    """A new account with one role and one area. ``actor`` None: from the command line.

    A password, when given, must satisfy the policy; none gives an account that cannot sign in
    until a password is set (by its administrator or by e-mail).
    """
    _check_role(role)
    area = _area(area_code)
    if actor is not None:
        _refuse_grant(actor, role, area)
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Nama pengguna sudah dipakai.")})
    user = User(username=username, role=role, area=area, **extra)
    if password:
        check_password(password, user)
        user.set_password(password)
        user.must_change_password = must_change_password
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record_change(
        user,
        UserChange.Kind.CREATED,
        actor=actor,
        changes={f: ["", _shown(user, f)] for f in EDITABLE if _shown(user, f)},
        address=address,
    )
    return user


def _require_manage(actor: User, user: User) -> None:
    if not can_manage(actor, user):
        raise PermissionDenied(_("Anda tidak berwenang mengubah akun ini."))


@transaction.atomic
def update_user(
    actor: User,
    user: User,
    *,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    area_code: str,
    address: str | None = None,
) -> User:
    """Change an account's names, e-mail, role and area; the history keeps before and after."""
    user = User.objects.select_for_update(of=("self",)).select_related("area").get(pk=user.pk)
    _require_manage(actor, user)
    _check_role(role)
    area = _area(area_code)
    _refuse_grant(actor, role, area)
    before = {f: _shown(user, f) for f in EDITABLE}
    user.first_name = (first_name or "").strip()
    user.last_name = (last_name or "").strip()
    user.email = (email or "").strip()
    user.role = role
    user.area = area
    user.full_clean(exclude=["password"])
    changes = {f: [before[f], _shown(user, f)] for f in EDITABLE if before[f] != _shown(user, f)}
    if not changes:
        return user
    user.save()
    record_change(user, UserChange.Kind.CHANGED, actor=actor, changes=changes, address=address)
    return user


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasannya.")})
    return reason


@transaction.atomic
def deactivate_user(actor: User, user: User, *, reason: str, address: str | None = None) -> User:
    """The account can no longer sign in or use the API; its sessions end at their next request
    and its API tokens are revoked. Nothing it did is removed."""
    user = User.objects.select_for_update(of=("self",)).select_related("area").get(pk=user.pk)
    _require_manage(actor, user)
    reason = _reason(reason)
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    detail = reason
    if revoked:
        detail = _("%(reason)s (%(n)d token API dicabut)") % {"reason": reason, "n": revoked}
    record_change(
        user,
        UserChange.Kind.DEACTIVATED,
        actor=actor,
        changes={"is_active": ["1", "0"]},
        detail=detail,
        address=address,
    )
    return user


@transaction.atomic
def reactivate_user(actor: User, user: User, *, reason: str, address: str | None = None) -> User:
    user = User.objects.select_for_update(of=("self",)).select_related("area").get(pk=user.pk)
    _require_manage(actor, user)
    reason = _reason(reason)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    record_change(
        user,
        UserChange.Kind.REACTIVATED,
        actor=actor,
        changes={"is_active": ["0", "1"]},
        detail=reason,
        address=address,
    )
    return user
