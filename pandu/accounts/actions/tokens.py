"""API tokens: issued (the key returned once, only its digest kept), revoked, and their last use
noted."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import tokens
from ..models import ApiToken, User, UserChange
from ..queries import can_manage
from .users import record_change

#: Last use is written at most this often per token, not on every call.
USE_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def issue_token(
    user: User,
    *,
    name: str = "",
    days: int | None = None,
    renew: bool = False,
    actor: User | None = None,
    address: str | None = None,
) -> str:
    """A new token for ``user``, valid ``days`` (default ``PANDU_API_TOKEN_DAYS``, at most a
    year). ``renew`` revokes the user's other tokens first. ``actor`` None: the command line.
    Returns the key: it is not kept and cannot be shown again."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("Token API hanya dibuat oleh pemiliknya sendiri."))
    if not user.is_active:
        raise ValidationError(_("Akun ini tidak aktif."))
    days = tokens.default_days() if days is None else days
    if not 1 <= days <= tokens.MAX_DAYS:
        raise ValidationError(
            {"days": _("Masa berlaku 1 sampai %(max)d hari.") % {"max": tokens.MAX_DAYS}}
        )
    now = timezone.now()
    name = (name or "").strip()[:100] or _("Token %(date)s") % {
        "date": timezone.localtime(now).strftime("%d-%m-%Y %H:%M")
    }
    if renew:
        for old in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
            _revoke(old, actor, address)
    key = tokens.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=tokens.digest(key),
        prefix=key[: tokens.SHOWN_CHARS],
        created_at=now,
        created_by=actor,
        expires_at=now + timedelta(days=days),
    )
    record_change(
        user,
        UserChange.Kind.TOKEN_CREATED,
        actor=actor,
        detail=f"{token.name} ({token.prefix}…), {days} hari",
        address=address,
    )
    return key


def _revoke(token: ApiToken, actor: User | None, address: str | None) -> None:
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    record_change(
        token.user,
        UserChange.Kind.TOKEN_REVOKED,
        actor=actor,
        detail=f"{token.name} ({token.prefix}…)",
        address=address,
    )


@transaction.atomic
def revoke_token(actor: User, token: ApiToken, *, address: str | None = None) -> ApiToken:
    """Its owner, or an administrator who manages the owner, revokes a token; it stops working
    at once."""
    token = (
        ApiToken.objects.select_for_update(of=("self",))
        .select_related("user__area")
        .get(pk=token.pk)
    )
    if token.user_id != actor.pk and not can_manage(actor, token.user):
        raise PermissionDenied(_("Anda tidak berwenang mencabut token ini."))
    if token.revoked_at is None:
        _revoke(token, actor, address)
    return token


def note_token_use(token: ApiToken, address: str | None) -> None:
    """When and from where the token was last used (at most one write a minute per token)."""
    now = timezone.now()
    recent = token.last_used_at is not None and now - token.last_used_at < USE_RESOLUTION
    if recent and token.last_used_from == (address or None):
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address or None)
