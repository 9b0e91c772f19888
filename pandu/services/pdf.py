"""Printed papers of the one-stop service: the intake receipt and the referral letter, each with
a QR code, on the letterhead of the office over the service point's area (``core.printing``).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from pandu.accounts.models import DocumentKind
from pandu.accounts.offices import letterhead_for
from pandu.core.printing import Paper, fmt_date, qr, signature_block
from pandu.core.printing import esc as _esc
from pandu.core.printing import kv_table as _kv_table

from .models import Intake, Referral


def _qr(url: str, size_mm: float = 32):
    return qr(url, size_mm)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _unit(point) -> str:
    """The service point under the office's name: its own name and address."""
    return " · ".join(part for part in (point.name, point.address) if part)


def receipt_pdf(intake: Intake, status_url: str) -> bytes:
    """Tanda terima: ticket number, date, what was received, and the QR to the status page."""
    point = intake.service_point
    head = letterhead_for(point.area_id)
    paper = Paper(
        head,
        _("Tanda terima %(ticket)s") % {"ticket": intake.public_reference},
        pagesize=A5,
        margins_mm=12,
    )
    st = paper.st
    received = timezone.localtime(intake.received_at)
    story = paper.top(unit=_unit(point))
    story += [
        Paragraph(_("TANDA TERIMA PENGADUAN/PERMOHONAN"), st["h"]),
        Paragraph(_esc(intake.public_reference), st["big"]),
        _kv_table(
            [
                [_("Tanggal"), fmt_date(received, time=True)],
                [_("Jenis"), intake.get_kind_display()],
                [_("Saluran"), intake.get_channel_display()],
                [_("Nama"), intake.name],
                [_("Kebutuhan"), ", ".join(n.get_area_display() for n in intake.needs.all())],
                [_("Diterima oleh"), _name(intake.received_by)],
            ],
            [30 * mm, paper.width - 30 * mm],
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
            colWidths=[36 * mm, paper.width - 36 * mm],
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
    story += [
        Spacer(1, 3 * mm),
        signature_block(
            st,
            head,
            DocumentKind.RECEIPT,
            when=received,
            width=paper.width,
            fallback_name=_name(intake.received_by),
        ),
    ]
    return paper.build(story)


def referral_letter_pdf(referral: Referral, verify_url: str) -> bytes:
    """Surat rujukan: who, what need, what has been done, what is asked; QR to verify it."""
    case = referral.case
    point = case.service_point
    head = letterhead_for(point.area_id)
    paper = Paper(head, _("Surat rujukan %(number)s") % {"number": referral.number}, margins_mm=20)
    st = paper.st
    sent = timezone.localtime(referral.sent_at) if referral.sent_at else timezone.localtime()
    story = paper.top(unit=_unit(point))
    story += [
        _kv_table(
            [
                [_("Nomor"), referral.number],
                [_("Tanggal"), fmt_date(sent)],
                [_("Perihal"), _("Rujukan layanan")],
                [_("Kepada"), f"{referral.agency.name}\n{referral.service.name}"],
            ],
            [30 * mm, paper.width - 30 * mm],
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
    story.append(_kv_table(who, [40 * mm, paper.width - 40 * mm]))
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
                % {"due": fmt_date(referral.respond_due)}
            ),
            st["small"],
        ),
        Spacer(1, 6 * mm),
        signature_block(
            st,
            head,
            DocumentKind.REFERRAL,
            when=sent,
            width=paper.width,
            fallback_name=_name(referral.sent_by),
            left=Table(
                [
                    [_qr(verify_url, 30)],
                    [
                        Paragraph(
                            _esc(_("Keaslian surat ini dapat diperiksa dengan memindai kode QR.")),
                            st["small"],
                        )
                    ],
                ],
                colWidths=[paper.width / 2 - 6 * mm],
                style=[("LEFTPADDING", (0, 0), (-1, -1), 0)],
            ),
        ),
    ]
    return paper.build(story)
