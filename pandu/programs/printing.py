"""The list of candidates the Dinas approved, printed on the office's letterhead for the head's
signature: the decree is signed on paper, then its number and date are recorded in Pandu."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from pandu.accounts.models import DocumentKind
from pandu.accounts.offices import letterhead_for
from pandu.core.printing import Paper, area_labels, esc, fmt_date, grid, kv_table, signature_block

from .models import Enrolment, Programme


def enrolment_list_pdf(
    programme: Programme, area_code: str, rows: Sequence[Enrolment], *, printed_by: str
) -> bytes:
    head = letterhead_for(area_code or None)
    paper = Paper(
        head,
        _("Daftar calon KPM %(programme)s") % {"programme": programme.code},
        pagesize=landscape(A4),
        margins_mm=15,
    )
    st = paper.st
    labels = area_labels([area_code, *(e.area_code for e in rows)])
    story = paper.top()
    story += [
        Paragraph(esc(_("DAFTAR CALON KELUARGA PENERIMA MANFAAT UNTUK DITETAPKAN")), st["title"]),
        kv_table(
            [
                [_("Program"), f"{programme.code} — {programme.name}"],
                [_("Wilayah"), labels.get(area_code, area_code) or _("Seluruh wilayah")],
                [_("Jumlah keluarga"), str(len(rows))],
                [_("Nomor SK"), "........................................"],
                [_("Tanggal SK"), "........................................"],
            ],
            [50 * mm, paper.width - 50 * mm],
        ),
        Spacer(1, 3 * mm),
    ]
    if rows:
        story.append(
            grid(
                [
                    _("No."),
                    _("Nomor KK"),
                    _("Penerima"),
                    _("Desa/kelurahan"),
                    _("Hasil kunjungan"),
                    _("Disetujui Dinas"),
                ],
                [
                    [
                        str(n),
                        e.household.kk_number,
                        e.recipient.full_name if e.recipient else "—",
                        labels.get(e.area_code, e.area_code),
                        e.get_visit_result_display() or "—",
                        fmt_date(e.dinas_at),
                    ]
                    for n, e in enumerate(rows, 1)
                ],
                _widths(paper.width),
            )
        )
    else:
        story.append(Paragraph(esc(_("Belum ada calon yang disetujui Dinas.")), st["p"]))
    story += [
        Spacer(1, 8 * mm),
        signature_block(
            st,
            head,
            DocumentKind.DECISION,
            when=timezone.localdate(),
            width=paper.width,
            fallback_name=printed_by,
        ),
    ]
    return paper.build(story)


def _widths(total: float) -> list[float]:
    fixed = [12 * mm, 40 * mm, 55 * mm, 0.0, 35 * mm, 30 * mm]
    fixed[3] = total - sum(fixed)
    return fixed
