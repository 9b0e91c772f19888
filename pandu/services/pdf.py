"""Printed papers: the intake receipt and the referral letter (reportlab), each with a QR code.

Letterhead from ``settings.PANDU_OFFICE_NAME``; dates as ``05-07-2026``; times in local time.
"""

from __future__ import annotations

from io import BytesIO

import qrcode
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from .models import Intake, Referral


def _qr(url: str, size_mm: float = 32) -> Image:
    img = qrcode.make(url, box_size=6, border=1)
    buf = BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    return Image(buf, width=size_mm * mm, height=size_mm * mm)


def _styles():
    base = getSampleStyleSheet()
    return {
        "office": ParagraphStyle("office", parent=base["Title"], fontSize=14, spaceAfter=2),
        "sub": ParagraphStyle("sub", parent=base["Normal"], alignment=1, fontSize=9),
        "h": ParagraphStyle("h", parent=base["Heading2"], fontSize=12, spaceBefore=6),
        "p": ParagraphStyle("p", parent=base["Normal"], fontSize=10, leading=13),
        "small": ParagraphStyle("small", parent=base["Normal"], fontSize=8, leading=10),
        "big": ParagraphStyle("big", parent=base["Title"], fontSize=16),
    }


def _esc(text: str) -> str:
    return (
        (text or "")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", "<br/>")
    )


def _letterhead(st, point_name: str, address: str) -> list:
    return [
        Paragraph(_esc(settings.PANDU_OFFICE_NAME.upper()), st["office"]),
        Paragraph(_esc(point_name), st["sub"]),
        Paragraph(_esc(address), st["sub"]),
        Spacer(1, 2 * mm),
        HRFlowable(width="100%", thickness=1.2, color=colors.black),
        Spacer(1, 3 * mm),
    ]


def _kv_table(rows, widths) -> Table:
    table = Table(rows, colWidths=widths)
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


def receipt_pdf(intake: Intake, status_url: str) -> bytes:
    """Tanda terima: ticket number, date, what was received, and the QR to the status page."""
    st = _styles()
    buf = BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A5,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        title=_("Tanda terima %(ticket)s") % {"ticket": intake.public_reference},
        author=settings.PANDU_OFFICE_NAME,
    )
    point = intake.service_point
    received = timezone.localtime(intake.received_at)
    story = _letterhead(st, point.name, point.address)
    story += [
        Paragraph(_("TANDA TERIMA PENGADUAN/PERMOHONAN"), st["h"]),
        Paragraph(intake.public_reference, st["big"]),
        _kv_table(
            [
                [_("Tanggal"), received.strftime("%d-%m-%Y %H:%M")],
                [_("Jenis"), intake.get_kind_display()],
                [_("Saluran"), intake.get_channel_display()],
                [_("Nama"), intake.name],
                [
                    _("Kebutuhan"),
                    Paragraph(
                        _esc(", ".join(n.get_area_display() for n in intake.needs.all())), st["p"]
                    ),
                ],
                [
                    _("Diterima oleh"),
                    intake.received_by.get_full_name() or intake.received_by.username,
                ],
            ],
            [30 * mm, 90 * mm],
        ),
        Spacer(1, 4 * mm),
        Table(
            [
                [
                    _qr(status_url),
                    Paragraph(
                        _esc(
                            _(
                                "Simpan tanda terima ini. Perkembangan dapat dilihat dengan "
                                "memindai kode QR atau membuka alamat di bawah, lalu mengisi "
                                "nomor tiket lengkap (termasuk 4 huruf/angka terakhir) dan "
                                "tanggal lahir."
                            )
                        )
                        + "<br/><br/>"
                        + _esc(status_url),
                        st["small"],
                    ),
                ]
            ],
            colWidths=[36 * mm, 86 * mm],
            style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")],
        ),
    ]
    if point.opening_hours:
        story += [
            Spacer(1, 3 * mm),
            Paragraph(
                _esc(_("Jam layanan: %(hours)s") % {"hours": point.opening_hours}), st["small"]
            ),
        ]
    doc.build(story)
    return buf.getvalue()


def referral_letter_pdf(referral: Referral, verify_url: str) -> bytes:
    """Surat rujukan: who, what need, what has been done, what is asked; QR to verify it."""
    st = _styles()
    buf = BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Surat rujukan %(number)s") % {"number": referral.number},
        author=settings.PANDU_OFFICE_NAME,
    )
    case = referral.case
    point = case.service_point
    sent = timezone.localtime(referral.sent_at) if referral.sent_at else timezone.localtime()
    story = _letterhead(st, point.name, point.address)
    story += [
        _kv_table(
            [
                [_("Nomor"), referral.number],
                [_("Tanggal"), sent.strftime("%d-%m-%Y")],
                [_("Perihal"), _("Rujukan layanan")],
                [_("Kepada"), f"{referral.agency.name}\n{referral.service.name}"],
            ],
            [30 * mm, 130 * mm],
        ),
        Spacer(1, 4 * mm),
        Paragraph(_("Dengan hormat,"), st["p"]),
        Paragraph(
            _esc(
                _(
                    "Bersama ini kami merujuk orang tersebut di bawah untuk mendapatkan layanan "
                    "dari instansi Bapak/Ibu."
                )
            ),
            st["p"],
        ),
        Spacer(1, 2 * mm),
    ]
    who = [
        [_("Nama"), referral.subject_name],
        [_("Usia"), _("%(age)s tahun") % {"age": referral.subject_age}],
    ]
    if referral.subject_nik:
        who.append([_("NIK"), referral.subject_nik])
    if referral.subject_phone:
        who.append([_("Telepon"), referral.subject_phone])
    if referral.consent_by == "guardian":
        who.append(
            [
                _("Orang tua/wali"),
                f"{referral.guardian_name} ({referral.guardian_relationship})",
            ]
        )
    story.append(_kv_table(who, [40 * mm, 120 * mm]))
    for title, text in (
        (_("Kebutuhan"), f"{referral.get_need_area_display()}: {referral.need}"),
        (_("Yang sudah dilakukan"), referral.done_so_far or "—"),
        (_("Yang kami mohon"), referral.request),
    ):
        story += [Paragraph(_esc(title), st["h"]), Paragraph(_esc(text), st["p"])]
    attachments = list(referral.attachments.all())
    if attachments:
        story += [
            Paragraph(_("Lampiran"), st["h"]),
            Paragraph(_esc("\n".join("- " + a.title for a in attachments)), st["p"]),
        ]
    story += [
        Spacer(1, 3 * mm),
        Paragraph(
            _esc(
                _(
                    "Data ini dibagikan atas persetujuan yang bersangkutan (atau orang "
                    "tua/walinya) dan hanya untuk keperluan layanan yang diminta. Mohon balasan "
                    "melalui Pandu paling lambat %(due)s."
                )
                % {
                    "due": referral.respond_due.strftime("%d-%m-%Y")
                    if referral.respond_due
                    else "—"
                }
            ),
            st["small"],
        ),
        Spacer(1, 6 * mm),
        Table(
            [
                [
                    _qr(verify_url, 30),
                    Paragraph(
                        _esc(_("Keaslian surat ini dapat diperiksa dengan memindai kode QR."))
                        + "<br/><br/>"
                        + _esc(sent.strftime("%d-%m-%Y"))
                        + "<br/>"
                        + _esc(settings.PANDU_OFFICE_NAME)
                        + "<br/><br/><br/>"
                        + _esc(
                            (referral.sent_by.get_full_name() or referral.sent_by.username)
                            if referral.sent_by
                            else ""
                        ),
                        st["p"],
                    ),
                ]
            ],
            colWidths=[35 * mm, 125 * mm],
            style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")],
        ),
    ]
    doc.build(story)
    return buf.getvalue()
