"""Every write of notifications: telling users (in the app, and by e-mail when the site sends
mail), and marking what they have read.

Domain apps and core's jobs call :func:`notify` from their own actions, inside their
transaction: a change that rolls back tells nobody, and e-mail leaves only after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .models import Notification

log = logging.getLogger("pandu.notifications")


def email_enabled() -> bool:
    """Mail goes out when ``PANDU_NOTIFY_EMAIL`` says so, or (unset) when a mail server other
    than the local default is configured in ``EMAIL_HOST``."""
    choice = getattr(settings, "PANDU_NOTIFY_EMAIL", None)
    if choice is not None:
        return bool(choice)
    host = getattr(settings, "EMAIL_HOST", "") or ""
    return bool(host) and host != "localhost"


def will_email(user: Any) -> bool:
    """Whether a notification to ``user`` is also sent by e-mail."""
    return email_enabled() and bool(getattr(user, "email", ""))


def notify(
    users: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    *,
    key: str = "",
) -> list[Notification]:
    """Tell each of ``users`` (None and inactive users are skipped, each user once).

    With a ``key`` the call is idempotent: a user who already has a notification with that key
    is not told again (a job run twice, a digest sent again the same day). The title and body
    must say what the work is without the sensitive details of a person or case (no NIK, no
    category of violence): a case number, a letter number. Returns the notifications written.
    """
    recipients = {u.pk: u for u in users if u is not None and getattr(u, "is_active", False)}
    if not recipients:
        return []
    fields = {"kind": kind[:30], "title": title[:200], "body": body, "url": url[:300]}
    key = key[:60]
    with transaction.atomic():
        if key:
            created = _create_once(recipients, fields, key)
        else:
            created = Notification.objects.bulk_create(
                [Notification(user=u, **fields) for u in recipients.values()]
            )
        mail = [(n.user.email, n.title, n.body, n.url) for n in created if will_email(n.user)]
        if mail:
            transaction.on_commit(lambda: _send_mail(mail), robust=True)
    return created


def _create_once(recipients: dict[int, Any], fields: dict[str, str], key: str):
    told = set(
        Notification.objects.filter(key=key, user_id__in=list(recipients)).values_list(
            "user_id", flat=True
        )
    )
    created = []
    for pk, user in recipients.items():
        if pk in told:
            continue
        try:
            with transaction.atomic():  # a concurrent call with the same key got there first
                created.append(Notification.objects.create(user=user, key=key, **fields))
        except IntegrityError:
            continue
    return created


def _absolute(url: str) -> str:
    base = (getattr(settings, "PANDU_SITE_URL", "") or "").rstrip("/")
    return f"{base}{url}" if base and url.startswith("/") else url


def _send_mail(messages: list[tuple[str, str, str, str]]) -> int:
    """One e-mail per notification; a mail server that refuses or is down is logged, never
    raised: the work it tells of is already saved."""
    sent = 0
    for address, title, body, url in messages:
        text = "\n\n".join(part for part in (body, _absolute(url)) if part)
        try:
            sent += send_mail("[Pandu] " + title, text, None, [address], fail_silently=False)
        except Exception:
            log.warning("notification e-mail to user address failed", exc_info=True)
    return sent


def mark_read(user: Any, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (someone else's is refused by the view)."""
    if notification.user_id != user.pk:
        raise PermissionDenied(_("Pemberitahuan ini bukan untuk Anda."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(user: Any) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())


def open_notification(user: Any, notification: Notification) -> str:
    """Following a notification's link marks it read; returns where the link leads (a path on
    this site; anything else leads to the list)."""
    mark_read(user, notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts=None, require_https=False
    ):
        return notification.url
    return ""
