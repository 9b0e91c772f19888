"""What the public may learn without logging in: a ticket's progress (given its number and the
birth date) and whether a referral letter is genuine. Never a name, NIK or address.

Wrong birth date and unknown ticket answer identically; tries are counted per address and ticket
(and per address overall) in the cache, so guessing birth dates is slow.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from . import choices as c
from .models import Intake, Referral

TRIES_PER_TICKET = 10
TRIES_PER_ADDRESS = 30
WINDOW_SECONDS = 15 * 60
LETTER_SALT = "pandu.services.referral-letter"


def client_ip(request) -> str:
    """The caller's address. Behind a trusted proxy (PANDU_SECURE) the first forwarded one."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(*parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]
    return f"svc:ticket-check:{digest}"


def _hit(key: str) -> int:
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def allow_ticket_check(ip: str, ticket: str) -> bool:
    """Count one try; False once the address used up its tries for this ticket or overall."""
    per_ticket = _hit(_key(ip, normalise_ticket(ticket)))
    per_address = _hit(_key(ip))
    return per_ticket <= TRIES_PER_TICKET and per_address <= TRIES_PER_ADDRESS


def normalise_ticket(value: str) -> str:
    return "".join((value or "").split()).upper()


@dataclass
class Step:
    label: str
    done: bool
    when: datetime | date | None = None


@dataclass
class TicketStatus:
    ticket_number: str
    status: str
    steps: list[Step]
    updated: datetime | None


def find_ticket(ticket: str, birth_date: date | None) -> TicketStatus | None:
    """The public view of a ticket, or None when the number or the birth date does not match."""
    number = normalise_ticket(ticket)
    intake = (
        Intake.objects.filter(ticket_number=number).select_related("case").first()
        if number
        else None
    )
    if intake is None or birth_date is None or intake.birth_date != birth_date:
        return None
    return ticket_status(intake)


def ticket_status(intake: Intake) -> TicketStatus:
    case = getattr(intake, "case", None)
    referrals = list(case.referrals.exclude(status="draft").order_by("sent_at")) if case else []
    steps = [Step(str(_("Diterima di loket layanan")), True, intake.received_at)]
    handled = case is not None and case.assigned_to_id is not None
    steps.append(
        Step(
            str(_("Ditangani petugas (pekerja sosial/TKSK)")),
            handled or intake.status == c.IntakeStatus.CLOSED,
            case.assigned_at if case else None,
        )
    )
    if case and case.plan_status == c.PlanStatus.APPROVED:
        steps.append(Step(str(_("Rencana penanganan disetujui")), True, case.plan_decided_at))
    for r in referrals:
        steps.append(
            Step(str(_("Dirujuk ke %(agency)s") % {"agency": r.agency.name}), True, r.sent_at)
        )
        if r.status in (
            c.ReferralStatus.ACCEPTED,
            c.ReferralStatus.IN_SERVICE,
            c.ReferralStatus.COMPLETED,
        ):
            steps.append(
                Step(
                    str(_("Rujukan diterima oleh %(agency)s") % {"agency": r.agency.name}),
                    True,
                    r.responded_at,
                )
            )
        if r.status == c.ReferralStatus.COMPLETED:
            steps.append(
                Step(
                    str(_("Layanan %(agency)s selesai") % {"agency": r.agency.name}),
                    True,
                    r.finished_at,
                )
            )
        if r.status == c.ReferralStatus.DECLINED:
            steps.append(
                Step(
                    str(
                        _("Rujukan tidak dapat dilayani %(agency)s; petugas mencari jalan lain")
                        % {"agency": r.agency.name}
                    ),
                    True,
                    r.responded_at,
                )
            )
    closed = intake.status == c.IntakeStatus.CLOSED
    steps.append(Step(str(_("Selesai")), closed, intake.closed_at))
    if closed:
        status = str(_("Selesai"))
    elif case is not None and case.status == c.CaseStatus.CLOSURE_REQUESTED:
        status = str(_("Dalam penyelesaian akhir"))
    elif any(r.status in c.OPEN_REFERRAL for r in referrals):
        status = str(_("Dirujuk ke instansi mitra"))
    elif handled:
        status = str(_("Sedang ditangani"))
    else:
        status = str(_("Diterima, menunggu penanganan"))
    times = [s.when for s in steps if isinstance(s.when, datetime)]
    return TicketStatus(intake.ticket_number, status, steps, max(times) if times else None)


def letter_token(referral: Referral) -> str:
    return signing.dumps(referral.uid.hex, salt=LETTER_SALT, compress=True)


def referral_from_token(token: str) -> Referral | None:
    try:
        hex_uid = signing.loads(token, salt=LETTER_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(hex_uid, str):
        return None
    return (
        Referral.objects.filter(uid=hex_uid)
        .exclude(status="draft")
        .select_related("case__service_point")
        .first()
    )


def letter_is_valid(referral: Referral) -> bool:
    return referral.status not in (c.ReferralStatus.WITHDRAWN, c.ReferralStatus.DRAFT)
