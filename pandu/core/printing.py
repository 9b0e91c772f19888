"""Printed papers (reportlab): the office's letterhead, the signature block, tables and the page
footer every PDF of Pandu shares, so a receipt, a letter and a profile look like one office's.

What is printed for an office (its name, address, logo and signers) is a :class:`Letterhead`;
``accounts.offices.letterhead_for`` makes one from the office set up for an area, or from
``settings.PANDU_OFFICE_NAME`` where none is. Dates as ``05-07-2026``; times in local time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import qrcode
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from pandu.regions.models import Area, Level


@dataclass(frozen=True)
class SignerInfo:
    name: str
    position: str
    rank: str = ""
    nip: str = ""


@dataclass(frozen=True)
class Letterhead:
    """What the top and the signature of a paper say about the office that prints it."""

    name: str
    government: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    place: str = ""  # where it is signed: "Maros, 05-07-2026"
    logo: bytes | None = None
    signers: dict[str, SignerInfo] = field(default_factory=dict)

    def signer(self, document: str) -> SignerInfo | None:
        """The signer named for ``document``, else the office's default signer, else none."""
        return self.signers.get(document) or self.signers.get("default")

    @property
    def contact_line(self) -> str:
        parts = []
        if self.phone:
            parts.append(_("Telp. %(phone)s") % {"phone": self.phone})
        if self.email:
            parts.append(_("Surel: %(email)s") % {"email": self.email})
        if self.website:
            parts.append(self.website)
        return " · ".join(parts)


def styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "gov": ParagraphStyle("gov", parent=base["Normal"], alignment=1, fontSize=11, leading=13),
        "office": ParagraphStyle(
            "office", parent=base["Title"], fontSize=14, leading=17, spaceAfter=1, spaceBefore=0
        ),
        "sub": ParagraphStyle("sub", parent=base["Normal"], alignment=1, fontSize=9, leading=11),
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontSize=13, leading=16, spaceBefore=2, spaceAfter=4
        ),
        "h": ParagraphStyle("h", parent=base["Heading2"], fontSize=12, spaceBefore=6),
        "p": ParagraphStyle("p", parent=base["Normal"], fontSize=10, leading=13),
        "cell": ParagraphStyle("cell", parent=base["Normal"], fontSize=8.5, leading=10.5),
        "small": ParagraphStyle("small", parent=base["Normal"], fontSize=8, leading=10),
        "big": ParagraphStyle("big", parent=base["Title"], fontSize=16),
    }


def esc(text: Any) -> str:
    """Text for a reportlab paragraph: markup characters escaped, line breaks kept."""
    return (
        str(text if text is not None else "")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", "<br/>")
    )


def fmt_date(value: dt.date | dt.datetime | None, *, time: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d-%m-%Y %H:%M" if time else "%d-%m-%Y")
    return value.strftime("%d-%m-%Y")


def qr(url: str, size_mm: float = 32) -> Image:
    img = qrcode.make(url, box_size=6, border=1)
    buf = BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    return Image(buf, width=size_mm * mm, height=size_mm * mm)


def _logo(data: bytes | None, size_mm: float) -> Flowable | None:
    if not data:
        return None
    try:
        image = Image(BytesIO(data), width=size_mm * mm, height=size_mm * mm, kind="proportional")
        image.drawWidth  # noqa: B018 - reading the size opens the image: a broken one fails here
    except Exception:  # an unreadable logo must not stop a letter from being printed
        return None
    return image


def letterhead(
    st: dict[str, ParagraphStyle], head: Letterhead, width: float, *, unit: str = ""
) -> list[Flowable]:
    """The kop: logo at the left, the government, the office (and the unit printing, such as a
    service point) and its address in the middle, a double rule under it."""
    lines: list[Flowable] = []
    if head.government:
        lines.append(Paragraph(esc(head.government.upper()), st["gov"]))
    lines.append(Paragraph(esc(head.name.upper()), st["office"]))
    if unit and unit.strip().lower() != head.name.strip().lower():
        lines.append(Paragraph(esc(unit), st["sub"]))
    if head.address:
        lines.append(Paragraph(esc(head.address), st["sub"]))
    if head.contact_line:
        lines.append(Paragraph(esc(head.contact_line), st["sub"]))
    logo_mm = 20 if width > 150 * mm else 15
    logo = _logo(head.logo, logo_mm)
    if logo is not None:
        side = (logo_mm + 4) * mm
        top: Flowable = Table(
            [[logo, lines, ""]],
            colWidths=[side, width - 2 * side, side],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ],
        )
        block: list[Flowable] = [top]
    else:
        block = lines
    return [
        *block,
        Spacer(1, 1.5 * mm),
        HRFlowable(width="100%", thickness=1.6, color=colors.black, spaceAfter=0.6 * mm),
        HRFlowable(width="100%", thickness=0.5, color=colors.black),
        Spacer(1, 3 * mm),
    ]


def signature_block(
    st: dict[str, ParagraphStyle],
    head: Letterhead,
    document: str,
    *,
    when: dt.date | dt.datetime | None = None,
    width: float,
    fallback_name: str = "",
    left: Flowable | str = "",
) -> Flowable:
    """The place and date, the signer's position, room for the signature and stamp, the name
    (underlined), rank and NIP; ``left`` holds what sits beside it (a QR code, a second signer)."""
    signer = head.signer(document)
    place = head.place or ""
    date_line = (
        f"{place}, {fmt_date(when or timezone.localdate())}"
        if place
        else fmt_date(when or timezone.localdate())
    )
    parts = [esc(date_line)]
    if signer is not None:
        parts.append(esc(signer.position))
        parts += ["", "", ""]
        parts.append(f"<u><b>{esc(signer.name)}</b></u>")
        if signer.rank:
            parts.append(esc(signer.rank))
        if signer.nip:
            parts.append(esc(_("NIP. %(nip)s") % {"nip": signer.nip}))
    else:
        parts.append(esc(head.name))
        parts += ["", "", ""]
        blank = "(" + "." * 40 + ")"
        parts.append(f"<u><b>{esc(fallback_name)}</b></u>" if fallback_name else blank)
    right = Paragraph("<br/>".join(parts), st["p"])
    half = width / 2
    return KeepTogether(
        [
            Table(
                [[left, right]],
                colWidths=[half, half],
                style=[
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ],
            )
        ]
    )


def kv_table(rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> Table:
    """Label and value pairs (``Nama: ...``); values that are text wrap."""
    st = styles()
    body = [
        [label, Paragraph(esc(value), st["p"]) if isinstance(value, str) else value]
        for label, value in rows
    ]
    table = Table(body, colWidths=list(widths))
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def grid(header: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[float]) -> Table:
    """A ruled table with a grey header row repeated on every page; cells wrap."""
    st = styles()
    body: list[list[Any]] = [[Paragraph(f"<b>{esc(h)}</b>", st["cell"]) for h in header]]
    for row in rows:
        body.append([c if isinstance(c, Flowable) else Paragraph(esc(c), st["cell"]) for c in row])
    table = Table(body, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


class Paper:
    """One printed document: ``Paper(head, title).build(story)`` gives the PDF's bytes, every
    page with a footer naming the office, when it was printed and the page number."""

    def __init__(
        self,
        head: Letterhead,
        title: str,
        *,
        pagesize: tuple[float, float] = A4,
        margins_mm: float = 18,
        footer: bool = True,
    ) -> None:
        self.head = head
        self.title = title
        self.pagesize = pagesize
        self.margin = margins_mm * mm
        self.footer = footer
        self.printed = timezone.localtime()
        self.st = styles()

    @property
    def width(self) -> float:
        return self.pagesize[0] - 2 * self.margin

    def top(self, *, unit: str = "") -> list[Flowable]:
        return letterhead(self.st, self.head, self.width, unit=unit)

    def _draw_footer(self, canvas, doc) -> None:
        if not self.footer:
            return
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.grey)
        text = _("%(office)s · dicetak %(when)s · halaman %(page)s") % {
            "office": self.head.name,
            "when": fmt_date(self.printed, time=True),
            "page": doc.page,
        }
        canvas.drawString(self.margin, self.margin / 2, text)
        canvas.restoreState()

    def build(self, story: list[Flowable]) -> bytes:
        buf = BytesIO()
        doc = SimpleDocTemplate(
            buf,
            pagesize=self.pagesize,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.margin * 0.8,
            bottomMargin=self.margin,
            title=self.title,
            author=self.head.name,
        )
        doc.build(story, onFirstPage=self._draw_footer, onLaterPages=self._draw_footer)
        return buf.getvalue()


def area_labels(codes: Iterable[str | None]) -> dict[str, str]:
    """``{code: "Desa Moncongloe Lappara, Kecamatan Moncongloe, Kabupaten Maros"}``: areas by
    name with the district and regency they belong to, in two queries for any number of codes."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    every = {p for c in wanted for p in _prefixes(c)}
    names = {a.code: a for a in Area.objects.filter(code__in=every)}
    labels = {}
    for code in wanted:
        chain = [names[p] for p in reversed(_prefixes(code)) if p in names]
        chain = [a for a in chain if a.level != Level.PROVINCE] or chain
        labels[code] = ", ".join(a.display_name for a in chain[:3]) or code
    return labels


def area_label(code: str | None) -> str:
    return area_labels([code]).get(code or "", "—")


def _prefixes(code: str) -> list[str]:
    return [code[:n] for n in (2, 5, 8, 13) if n <= len(code)]
