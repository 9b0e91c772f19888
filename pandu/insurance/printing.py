"""Printed papers of Askesos: the membership card (with a QR code that anyone can check without
signing in), the premium receipt and the claim payout receipt, on the letterhead of the office
over the provider's area (``core.printing``).

The card's QR link carries a token signed by the letter-key ring (decision 0018), so a printed
card stays checkable when ``SECRET_KEY`` or the ring's current key changes.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.pagesizes import A5, A6, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from pandu.accounts.models import DocumentKind
from pandu.accounts.offices import letterhead_for
from pandu.core.printing import Paper, esc, fmt_date, kv_table, qr, signature_block
from pandu.operations import letterkeys
from pandu.registry.masking import mask_nik

from .choices import MemberStatus
from .models import Claim, Member, PremiumPayment
from .rules import rupiah

CARD_PURPOSE = "askesos-card"


def card_token(membership: Member) -> str:
    return letterkeys.sign(CARD_PURPOSE, membership.uid.hex)


def member_from_token(token: str) -> Member | None:
    """The membership a genuine card names (None for a changed or made-up token)."""
    hex_uid = letterkeys.unsign(CARD_PURPOSE, token)
    if not hex_uid:
        return None
    return (
        Member.objects.filter(uid=hex_uid)
        .select_related("scheme", "provider__organisation", "person")
        .first()
    )


def masked_name(name: str) -> str:
    """``Baso Daeng`` → ``Ba** De***``: enough to match a card to its holder, not to read it."""
    return " ".join(w[:2] + "*" * max(len(w) - 2, 1) for w in name.split())


def card_is_valid(membership: Member) -> bool:
    return membership.status == MemberStatus.ACTIVE


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user else ""


def card_pdf(membership: Member, verify_url: str) -> bytes:
    """Kartu peserta: number, name, NIK masked, scheme, provider, enrolment date, QR."""
    provider = membership.provider
    paper = Paper(
        letterhead_for(provider.area_code),
        _("Kartu peserta Askesos %(number)s") % {"number": membership.number},
        pagesize=landscape(A6),
        margins_mm=7,
        footer=False,
    )
    st = paper.st
    person = membership.person
    story = [
        Paragraph(esc(_("KARTU PESERTA ASKESOS")), st["h"]),
        Paragraph(esc(provider.name), st["small"]),
        Spacer(1, 2 * mm),
        Table(
            [
                [
                    kv_table(
                        [
                            [_("Nomor"), membership.number],
                            [_("Nama"), person.full_name],
                            [_("NIK"), mask_nik(person.nik)],
                            [_("Skema"), membership.scheme.name],
                            [_("Peserta sejak"), fmt_date(membership.enrolled_on)],
                        ],
                        [22 * mm, paper.width - 22 * mm - 34 * mm],
                    ),
                    qr(verify_url, 30),
                ]
            ],
            colWidths=[paper.width - 34 * mm, 34 * mm],
            style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
        ),
        Spacer(1, 1 * mm),
        Paragraph(
            esc(_("Pindai kode QR untuk memeriksa keaslian dan status kartu ini.")), st["small"]
        ),
    ]
    return paper.build(story)


def receipt_pdf(payment: PremiumPayment) -> bytes:
    """Kuitansi iuran: receipt number, member, amount, what it settled."""
    membership = payment.membership
    head = letterhead_for(payment.provider.area_code)
    paper = Paper(
        head, _("Kuitansi iuran %(number)s") % {"number": payment.receipt_number}, pagesize=A5
    )
    st = paper.st
    story = paper.top(unit=payment.provider.name)
    story += [
        Paragraph(esc(_("KUITANSI PEMBAYARAN IURAN ASKESOS")), st["h"]),
        Paragraph(esc(payment.receipt_number), st["big"]),
        kv_table(
            [
                [_("Nomor peserta"), membership.number],
                [_("Nama"), membership.person.full_name],
                [pgettext("askesos", "Jumlah"), rupiah(payment.amount)],
                [_("Tanggal bayar"), fmt_date(payment.paid_on)],
                [_("Cara bayar"), payment.get_method_display()],
                [_("Referensi"), payment.reference or "-"],
                [
                    _("Iuran lunas sampai"),
                    f"{membership.paid_through:%m-%Y}" if membership.paid_through else "-",
                ],
                [_("Tunggakan"), rupiah(membership.arrears)],
                [_("Dicatat oleh"), _name(payment.recorded_by)],
            ],
            [36 * mm, paper.width - 36 * mm],
        ),
        Spacer(1, 4 * mm),
        signature_block(
            st,
            head,
            DocumentKind.RECEIPT,
            when=payment.created_at,
            width=paper.width,
            fallback_name=_name(payment.recorded_by),
        ),
    ]
    return paper.build(story)


def claim_receipt_pdf(claim: Claim) -> bytes:
    """Kuitansi santunan: the claim, the amount paid, to whom."""
    membership = claim.membership
    head = letterhead_for(claim.provider.area_code)
    paper = Paper(
        head, _("Kuitansi santunan %(number)s") % {"number": claim.receipt_number}, pagesize=A5
    )
    st = paper.st
    story = paper.top(unit=claim.provider.name)
    story += [
        Paragraph(esc(_("KUITANSI PEMBAYARAN SANTUNAN ASKESOS")), st["h"]),
        Paragraph(esc(claim.receipt_number), st["big"]),
        kv_table(
            [
                [_("Nomor klaim"), claim.number],
                [_("Nomor peserta"), membership.number],
                [_("Nama peserta"), membership.person.full_name],
                [_("Peristiwa"), claim.get_event_type_display()],
                [_("Tanggal peristiwa"), fmt_date(claim.event_date)],
                [_("Santunan dibayar"), rupiah(claim.amount_approved)],
                [_("Dibayarkan kepada"), claim.paid_to],
                [_("Tanggal dibayar"), fmt_date(claim.paid_on)],
                [_("Cara bayar"), claim.get_payment_method_display()],
            ],
            [36 * mm, paper.width - 36 * mm],
        ),
        Spacer(1, 4 * mm),
        signature_block(
            st,
            head,
            DocumentKind.RECEIPT,
            when=claim.updated_at,
            width=paper.width,
            fallback_name=_name(claim.paid_by),
        ),
    ]
    return paper.build(story)
