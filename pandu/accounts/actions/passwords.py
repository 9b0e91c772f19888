"""Passwords: the administrator's one-time password, the user's own change and the reset by
e-mail. Each is checked against the policy (``accounts/passwords.py``) and written to the
account's history, never with the password itself."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import User, UserChange
from ..passwords import one_time_password
from ..queries import can_manage
from .users import check_password, record_change


def _forget_failed_logins(user: User) -> None:
    """A new password lifts the lock-out of the account's failed sign-ins."""
    from axes.utils import reset

    reset(username=user.get_username())


@transaction.atomic
def set_one_time_password(
    actor: User, user: User, *, password: str = "", address: str | None = None
) -> str:
    """The administrator gives ``user`` a password to use once: every page asks for a new one
    at the next sign-in. None typed: one is made. Returns it, to be shown once."""
    user = User.objects.select_for_update(of=("self",)).select_related("area").get(pk=user.pk)
    if not can_manage(actor, user):
        raise PermissionDenied(_("Anda tidak berwenang mengubah akun ini."))
    password = (password or "").strip() or one_time_password()
    check_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    _forget_failed_logins(user)
    record_change(user, UserChange.Kind.PASSWORD_SET, actor=actor, address=address)
    return password


@transaction.atomic
def change_own_password(
    user: User, password: str, *, by_email: bool = False, address: str | None = None
) -> User:
    """The user sets their own password (on the change page, or through the e-mailed link)."""
    check_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    if by_email:
        _forget_failed_logins(user)
    record_change(
        user,
        UserChange.Kind.PASSWORD_RESET if by_email else UserChange.Kind.PASSWORD_CHANGED,
        actor=user,
        address=address,
    )
    return user
