"""The clocks of UU 27/2022 (docs/privacy.md): a request's acknowledgement and answer, and a
breach's notice. Hours are counted from the moment (``received_at`` + 72 hours, in UTC, so a
change of day or of time zone moves nothing); a number of days ends at the close of the local
day (Asia/Makassar in Maros), so a request received at 23:30 WITA counts that day as its first.

Settings, all optional:

``PANDU_PRIVACY_ACK_HOURS``        hours to acknowledge a request (default 72: 3×24 hours)
``PANDU_PRIVACY_COMPLETION_DAYS``  days to answer, one number or ``{kind: days}`` (default 14)
``PANDU_PRIVACY_BREACH_HOURS``     hours to tell the people affected and the authority (72)
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ACK_HOURS = 72
COMPLETION_DAYS = 14
BREACH_HOURS = 72
#: A clock with less than this left is shown as due soon.
DUE_SOON = timedelta(hours=24)


def ack_hours() -> int:
    return int(getattr(settings, "PANDU_PRIVACY_ACK_HOURS", ACK_HOURS))


def completion_days(kind: str) -> int:
    value = getattr(settings, "PANDU_PRIVACY_COMPLETION_DAYS", COMPLETION_DAYS)
    if isinstance(value, dict):
        value = value.get(kind, COMPLETION_DAYS)
    return int(value)


def breach_hours() -> int:
    return int(getattr(settings, "PANDU_PRIVACY_BREACH_HOURS", BREACH_HOURS))


def ack_due(received_at: datetime) -> datetime:
    return received_at + timedelta(hours=ack_hours())


def completion_due(received_at: datetime, kind: str) -> date:
    """The last local day of the answer: the day received counts as day 0."""
    return timezone.localdate(received_at) + timedelta(days=completion_days(kind))


def notify_due(discovered_at: datetime) -> datetime:
    return discovered_at + timedelta(hours=breach_hours())


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` in local time (what "by the due date" means)."""
    start = datetime.combine(day + timedelta(days=1), datetime.min.time())
    return timezone.make_aware(start) - timedelta(microseconds=1)


def state(deadline: datetime, *, done: bool, now: datetime | None = None) -> str:
    """``done``, ``overdue``, ``soon`` (under 24 hours left) or ``running``."""
    if done:
        return "done"
    left = deadline - (now or timezone.now())
    if left < timedelta(0):
        return "overdue"
    return "soon" if left < DUE_SOON else "running"


def say(delta: timedelta) -> str:
    """``2 hari 3 jam`` / ``5 jam 10 menit`` / ``12 menit``: how long, in words."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d hari", "%(n)d hari", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours})
    if mins and not days:
        parts.append(ngettext("%(n)d menit", "%(n)d menit", mins) % {"n": mins})
    return " ".join(parts) or _("kurang dari 1 menit")


def left_text(deadline: datetime, *, done: bool, now: datetime | None = None) -> str:
    if done:
        return _("selesai")
    left = deadline - (now or timezone.now())
    if left < timedelta(0):
        return _("terlambat %(time)s") % {"time": say(left)}
    return _("sisa %(time)s") % {"time": say(left)}
