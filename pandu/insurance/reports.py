"""Each provider's books per month and the Dinas's view of every provider side by side, and the
reminder list of members in arrears.

A book is a handful of grouped statements over one provider's rows for the month (members
covered at the month's start and end from the cover periods; premiums due and collected;
claims paid and still open; the reserve carried from the provider's opening reserve), so a
provider of 100,000 members is read in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .choices import ClaimStatus, MemberStatus
from .models import Claim, CoverPeriod, Member, PremiumDue, PremiumPayment, Provider
from .rules import add_months, month_start


@dataclass
class Book:
    provider: Provider
    month: date
    members_start: int = 0
    enrolled: int = 0
    lapsed: int = 0
    ended: int = 0
    members_end: int = 0
    in_arrears: int = 0
    due: int = 0
    collected: int = 0
    claims_filed: int = 0
    claims_paid_count: int = 0
    claims_paid_amount: int = 0
    claims_open_count: int = 0
    claims_open_amount: int = 0
    reserve_start: int = 0
    reserve_end: int = 0
    kube_members: int = 0
    by_event: dict[str, int] = field(default_factory=dict)

    @property
    def collection_rate(self) -> float | None:
        """Premiums collected in the month against those that fell due in it (arrears paid
        late can take it above 100 %)."""
        return round(100 * self.collected / self.due, 1) if self.due else None

    @property
    def claims_ratio(self) -> float | None:
        """Claims paid in the month against premiums collected in it."""
        return round(100 * self.claims_paid_amount / self.collected, 1) if self.collected else None


def _int(value: Any) -> int:
    return int(value or Decimal(0))


def _covered_on(provider: Provider, day: date) -> int:
    return (
        CoverPeriod.objects.filter(membership__provider=provider, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .count()
    )


def provider_month(provider: Provider, month: date) -> Book:
    """The provider's book for the month of ``month``."""
    first = month_start(month)
    last = add_months(first, 1) - timedelta(days=1)
    book = Book(provider=provider, month=first)
    book.members_start = _covered_on(provider, first - timedelta(days=1))
    book.members_end = _covered_on(provider, last)
    members = Member.objects.filter(provider=provider)
    counts = members.aggregate(
        enrolled=Count("pk", filter=Q(enrolled_on__range=(first, last))),
        ended=Count("pk", filter=Q(status=MemberStatus.ENDED, status_on__range=(first, last))),
        arrears=Count("pk", filter=Q(months_unpaid__gt=0) & ~Q(status=MemberStatus.ENDED)),
    )
    book.enrolled, book.ended, book.in_arrears = (
        counts["enrolled"],
        counts["ended"],
        counts["arrears"],
    )
    closed = CoverPeriod.objects.filter(
        membership__provider=provider, end__range=(first, last)
    ).count()
    book.lapsed = max(closed - book.ended, 0)
    book.due = _int(
        PremiumDue.objects.filter(membership__provider=provider, month=first).aggregate(
            s=Sum("amount")
        )["s"]
    )
    payments = PremiumPayment.objects.filter(provider=provider)
    paid = payments.aggregate(
        month=Sum("amount", filter=Q(paid_on__range=(first, last))),
        before=Sum("amount", filter=Q(paid_on__lt=first)),
    )
    book.collected = _int(paid["month"])
    claims = Claim.objects.filter(provider=provider)
    c = claims.aggregate(
        filed=Count("pk", filter=Q(filed_on__range=(first, last))),
        paid_n=Count("pk", filter=Q(status=ClaimStatus.PAID, paid_on__range=(first, last))),
        paid=Sum(
            "amount_approved", filter=Q(status=ClaimStatus.PAID, paid_on__range=(first, last))
        ),
        before=Sum("amount_approved", filter=Q(status=ClaimStatus.PAID, paid_on__lt=first)),
        open_n=Count("pk", filter=Q(status__in=[ClaimStatus.REVIEW, ClaimStatus.APPROVED])),
        open=Sum("amount_claimed", filter=Q(status__in=[ClaimStatus.REVIEW, ClaimStatus.APPROVED])),
    )
    book.claims_filed = c["filed"]
    book.claims_paid_count, book.claims_paid_amount = c["paid_n"], _int(c["paid"])
    book.claims_open_count, book.claims_open_amount = c["open_n"], _int(c["open"])
    for row in (
        claims.filter(status=ClaimStatus.PAID, paid_on__range=(first, last))
        .values("event_type")
        .annotate(s=Sum("amount_approved"))
    ):
        book.by_event[row["event_type"]] = _int(row["s"])
    book.reserve_start = _int(provider.opening_reserve) + _int(paid["before"]) - _int(c["before"])
    book.reserve_end = book.reserve_start + book.collected - book.claims_paid_amount
    book.kube_members = _kube_members(provider)
    return book


def _kube_members(provider: Provider) -> int:
    """Members of the provider (not ended) who are in an active KUBE group: the income-growth
    side of the scheme."""
    from pandu.empowerment.models import KubeMember

    people = Member.objects.filter(provider=provider).exclude(status=MemberStatus.ENDED)
    return (
        KubeMember.objects.filter(
            left_on__isnull=True, group__status="aktif", person__in=people.values("person")
        )
        .values("person")
        .distinct()
        .count()
    )


def books_side_by_side(providers: Any, month: date) -> list[Book]:
    return [provider_month(p, month) for p in providers.select_related("organisation")]


def reminders(members: Any) -> Any:
    """Members in arrears, the nearest lapse first."""
    return (
        members.exclude(status=MemberStatus.ENDED)
        .filter(months_unpaid__gt=0)
        .select_related("person", "provider__organisation", "scheme")
        .order_by("lapse_on", "number")
    )


# --- Files ------------------------------------------------------------------------------------


def _columns() -> list[tuple[str, str]]:
    return [
        ("provider", _("Penyelenggara")),
        ("members_start", _("Peserta awal bulan")),
        ("enrolled", _("Peserta baru")),
        ("lapsed", _("Gugur")),
        ("ended", pgettext("askesos", "Berakhir")),
        ("members_end", _("Peserta akhir bulan")),
        ("in_arrears", _("Peserta menunggak")),
        ("due", _("Iuran jatuh tempo (Rp)")),
        ("collected", _("Iuran terkumpul (Rp)")),
        ("collection_rate", _("Tingkat kolektibilitas (%)")),
        ("claims_filed", _("Klaim diajukan")),
        ("claims_paid_count", _("Klaim dibayar")),
        ("claims_paid_amount", _("Santunan dibayar (Rp)")),
        ("claims_ratio", _("Rasio klaim (%)")),
        ("claims_open_count", _("Klaim terbuka")),
        ("reserve_start", _("Cadangan awal bulan (Rp)")),
        ("reserve_end", _("Cadangan akhir bulan (Rp)")),
        ("kube_members", _("Peserta dalam KUBE")),
    ]


def _value(book: Book, key: str) -> Any:
    if key == "provider":
        return f"{book.provider.code} {book.provider.name}"
    value = getattr(book, key)
    return "" if value is None else value


def books_workbook(books: list[Book], month: date) -> bytes:
    from openpyxl import Workbook

    from pandu.core.spreadsheets import safe_row

    wb = Workbook()
    ws = wb.active
    ws.title = _("Buku Askesos")[:31]
    ws.append([_("Buku penyelenggara Askesos, bulan %(month)s") % {"month": f"{month:%m-%Y}"}])
    cols = _columns()
    ws.append([str(label) for _key, label in cols])
    for book in books:
        ws.append(safe_row(_value(book, key) for key, _label in cols))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def books_pdf(books: list[Book], month: date, *, area_code: str, printed_by: str) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from pandu.accounts.offices import letterhead_for
    from pandu.core.printing import Paper, esc, grid

    from .rules import rupiah as rupiah_text

    paper = Paper(
        letterhead_for(area_code),
        _("Buku penyelenggara Askesos %(month)s") % {"month": f"{month:%m-%Y}"},
        pagesize=landscape(A4),
        margins_mm=12,
    )
    st = paper.st
    story = paper.top()
    story += [
        Paragraph(
            esc(_("BUKU PENYELENGGARA ASKESOS BULAN %(month)s") % {"month": f"{month:%m-%Y}"}),
            st["h"],
        ),
        Spacer(1, 3 * mm),
    ]
    header = [
        _("Penyelenggara"),
        _("Peserta akhir"),
        _("Baru"),
        _("Gugur"),
        _("Menunggak"),
        _("Iuran jatuh tempo"),
        _("Terkumpul"),
        _("Kolektibilitas"),
        _("Santunan dibayar"),
        _("Rasio klaim"),
        _("Cadangan akhir"),
    ]
    rows = []
    for b in books:
        rows.append(
            [
                f"{b.provider.code} {b.provider.name}",
                b.members_end,
                b.enrolled,
                b.lapsed,
                b.in_arrears,
                rupiah_text(b.due),
                rupiah_text(b.collected),
                "" if b.collection_rate is None else f"{b.collection_rate}%",
                rupiah_text(b.claims_paid_amount),
                "" if b.claims_ratio is None else f"{b.claims_ratio}%",
                rupiah_text(b.reserve_end),
            ]
        )
    widths = [62 * mm] + [(paper.width - 62 * mm) / 10] * 10
    story.append(grid(header, rows, widths))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(esc(_("Dicetak oleh %(name)s.") % {"name": printed_by}), st["small"]),
    ]
    return paper.build(story)
