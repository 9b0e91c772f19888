"""The decision list of a proposal batch (daftar penetapan) printed for signature: every decided
item with its decision and reason, the counts, and the signer named for decisions."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from pandu.accounts.models import DocumentKind
from pandu.accounts.offices import letterhead_for
from pandu.core.printing import Paper, area_labels, esc, fmt_date, grid, kv_table, signature_block

from .models import ItemStatus, ProposalBatch, ProposalItem


def decision_list_pdf(
    batch: ProposalBatch, items: Sequence[ProposalItem], *, printed_by: str
) -> bytes:
    """``items`` are the batch's decided items the user may see, each with ``subject_name``."""
    head = letterhead_for(batch.village_id)
    paper = Paper(
        head,
        _("Daftar penetapan usulan %(ref)s") % {"ref": batch.ref},
        pagesize=landscape(A4),
        margins_mm=15,
    )
    st = paper.st
    labels = area_labels([batch.village_id, *(i.area_code for i in items)])
    approved = sum(1 for i in items if i.status in (ItemStatus.APPROVED, ItemStatus.APPLIED))
    rejected = sum(1 for i in items if i.status == ItemStatus.REJECTED)
    story = paper.top()
    story += [
        Paragraph(_("DAFTAR PENETAPAN USULAN PEMUTAKHIRAN DATA"), st["title"]),
        kv_table(
            [
                [_("Nomor usulan"), batch.ref],
                [_("Desa/Kelurahan"), labels.get(batch.village_id, batch.village_id)],
                [_("Tanggal musyawarah desa"), fmt_date(batch.meeting_date)],
                [_("Diajukan"), fmt_date(batch.submitted_at)],
                [
                    _("Jumlah"),
                    _("%(approved)s disetujui, %(rejected)s ditolak")
                    % {"approved": approved, "rejected": rejected},
                ],
            ],
            [50 * mm, paper.width - 50 * mm],
        ),
        Spacer(1, 3 * mm),
    ]
    if items:
        story.append(
            grid(
                [
                    _("No."),
                    _("Jenis usulan"),
                    _("Nama"),
                    _("Wilayah"),
                    _("Keputusan"),
                    _("Alasan"),
                    _("Tanggal"),
                    _("Ditetapkan oleh"),
                ],
                [
                    [
                        str(n),
                        i.get_kind_display(),
                        getattr(i, "subject_name", "") or "—",
                        labels.get(i.area_code, i.area_code),
                        i.get_status_display(),
                        i.decision_reason or "—",
                        fmt_date(i.decided_at),
                        (i.decided_by.get_full_name() or i.decided_by.username)
                        if i.decided_by
                        else "—",
                    ]
                    for n, i in enumerate(items, 1)
                ],
                _widths(paper.width),
            )
        )
    else:
        story.append(Paragraph(esc(_("Belum ada butir yang ditetapkan.")), st["p"]))
    story += [
        Spacer(1, 8 * mm),
        signature_block(
            st,
            head,
            DocumentKind.DECISION,
            when=batch.decided_at,
            width=paper.width,
            fallback_name=printed_by,
        ),
    ]
    return paper.build(story)


def _widths(total: float) -> list[float]:
    fixed = [10 * mm, 32 * mm, 42 * mm, 52 * mm, 26 * mm, 0.0, 20 * mm, 36 * mm]
    fixed[5] = total - sum(fixed)
    return fixed
