"""What the public may learn without logging in: a ticket's progress (given its full reference
and the birth date) and whether a referral letter is genuine. Never a name, NIK or address.

The reference is the sequential ticket number plus a random check part (``SLRT-7309-2026-000123-
K7QF``): the number alone opens nothing. A wrong check part, a wrong birth date and an unknown
ticket answer identically. Tries are counted in the cache per ticket number (from every address
together, so many addresses cannot share out the guessing) and per address; the address is the
one the trusted proxies saw (``PANDU_TRUSTED_PROXIES``), never what the caller claims.
A sensitive intake (child protection, violence, trafficking, a sensitive PPKS) shows only a
neutral status: no agency, no step that tells what is being done.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from pandu.core.ratelimit import client_ip as client_ip  # the views ask it from here
from pandu.core.ratelimit import hit
from pandu.operations import letterkeys

from . import choices as c
from .models import CHECK_LENGTH, Intake, Referral

TRIES_PER_TICKET = 10
TRIES_PER_ADDRESS = 30
WINDOW_SECONDS = 15 * 60
LETTER_SALT = "pandu.services.referral-letter"  # letters printed before the key ring
LETTER_PURPOSE = "referral-letter"
# Typed back from paper: letters that look like digits are the digits.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def allow_ticket_check(ip: str, ticket: str) -> bool:
    """Count one try; False once the ticket number (from anywhere) or the address used up its
    tries. The count is on the number, so changing the check part gains no tries."""
    number, _code = split_reference(ticket)
    per_ticket = hit("services.ticket", number, limit=TRIES_PER_TICKET, window=WINDOW_SECONDS)
    per_address = hit("services.ticket-address", ip, limit=TRIES_PER_ADDRESS, window=WINDOW_SECONDS)
    return per_ticket and per_address


def normalise_ticket(value: str) -> str:
    return "".join((value or "").split()).upper()


def split_reference(value: str) -> tuple[str, str]:
    """``(ticket number, check part)`` of a typed reference; the check part may be empty."""
    reference = normalise_ticket(value)
    number, sep, code = reference.rpartition("-")
    if sep and len(code) == CHECK_LENGTH:
        return number, code.translate(_LOOKALIKES)
    return reference, ""


@dataclass
class Step:
    label: str
    done: bool
    when: datetime | date | None = None


@dataclass
class TicketStatus:
    reference: str
    status: str
    steps: list[Step]
    updated: datetime | None


def find_ticket(ticket: str, birth_date: date | None) -> TicketStatus | None:
    """The public view of a ticket, or None unless the number, its check part and the birth
    date all match."""
    number, code = split_reference(ticket)
    intake = (
        Intake.objects.filter(ticket_number=number).select_related("case").first()
        if number and code
        else None
    )
    if intake is None or birth_date is None:
        return None
    right_code = hmac.compare_digest(intake.check_code.encode(), code.encode())
    if not right_code or intake.birth_date != birth_date:
        return None
    return ticket_status(intake)


def _sensitive_status(intake: Intake) -> TicketStatus:
    """Received, in process, done: nothing about who helps or how."""
    closed = intake.status == c.IntakeStatus.CLOSED
    waiting = intake.status == c.IntakeStatus.NEW
    steps = [
        Step(str(_("Diterima di loket layanan")), True, intake.received_at),
        Step(str(_("Sedang diproses")), not waiting or closed),
        Step(str(_("Selesai")), closed, intake.closed_at),
    ]
    if closed:
        status = str(_("Selesai"))
    elif waiting:
        status = str(_("Diterima, menunggu penanganan"))
    else:
        status = str(_("Sedang diproses"))
    times = [s.when for s in steps if isinstance(s.when, datetime)]
    return TicketStatus(intake.public_reference, status, steps, max(times) if times else None)


def ticket_status(intake: Intake) -> TicketStatus:
    case = getattr(intake, "case", None)
    if intake.sensitive or (case is not None and case.sensitive):
        return _sensitive_status(intake)
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
    return TicketStatus(intake.public_reference, status, steps, max(times) if times else None)


def letter_token(referral: Referral) -> str:
    """The token in the letter's QR link, signed by the letter-key ring (not ``SECRET_KEY``):
    a printed letter stays checkable when either is rotated (decision 0018)."""
    return letterkeys.sign(LETTER_PURPOSE, referral.uid.hex)


def referral_from_token(token: str) -> Referral | None:
    """The referral a genuine token names; letters printed before the ring carry Django's
    ``signing.dumps`` token with ``LETTER_SALT``, which the ring's legacy keys check."""
    hex_uid = letterkeys.unsign(LETTER_PURPOSE, token, legacy_salt=LETTER_SALT)
    if not hex_uid:
        return None
    return (
        Referral.objects.filter(uid=hex_uid)
        .exclude(status="draft")
        .select_related("case__service_point")
        .first()
    )


def letter_is_valid(referral: Referral) -> bool:
    return referral.status not in (c.ReferralStatus.WITHDRAWN, c.ReferralStatus.DRAFT)
