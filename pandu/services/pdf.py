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
from pandu.core.printing import Paper, area_labels, fmt_date, grid, qr, signature_block
from pandu.core.printing import esc as _esc
from pandu.core.printing import kv_table as _kv_table

from . import choices as c
from .models import Case, Intake, Referral


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


def case_summary_pdf(case: Case, *, show_assessments: bool, printed_by: str) -> bytes:
    """Ringkasan kasus: who, what needs, the plan and how far it is, referrals, counselling and
    the closure. Assessment answers are not printed; only whether each need was assessed (and
    not even that for health and violence, to those outside the case)."""
    intake = case.intake
    point = case.service_point
    head = letterhead_for(point.area_id)
    paper = Paper(head, _("Ringkasan kasus %(number)s") % {"number": case.number})
    st = paper.st
    village = area_labels([case.area_code]).get(case.area_code, "—")
    story = paper.top(unit=_unit(point))
    story += [
        Paragraph(_("RINGKASAN KASUS"), st["title"]),
        _kv_table(
            [
                [_("Nomor kasus"), case.number],
                [_("Nomor tiket"), intake.ticket_number],
                [_("Status"), case.get_status_display()],
                [_("Dibuka"), fmt_date(intake.received_at)],
                [_("Ditutup"), fmt_date(case.closed_at)],
                [_("Pekerja sosial"), _name(case.assigned_to) or "—"],
                [_("Nama"), intake.name],
                [_("Tanggal lahir"), fmt_date(intake.birth_date)],
                [_("Alamat"), f"{intake.address}\n{village}" if intake.address else village],
            ],
            [40 * mm, paper.width - 40 * mm],
        ),
        Paragraph(_("Kebutuhan"), st["h"]),
    ]
    assessed = {a.area: a for a in case.assessments.all()}
    need_rows = []
    for need in intake.needs.all():
        if not show_assessments and need.area in c.PRIVATE_ASSESSMENTS:
            state = _("(hanya untuk petugas kasus)")
        elif need.area in assessed:
            state = _("Asesmen final") if assessed[need.area].final else _("Asesmen draf")
        else:
            state = _("Belum diases")
        need_rows.append([need.get_area_display(), need.detail or "—", state])
    story.append(
        grid([_("Bidang"), _("Keterangan"), _("Asesmen")], need_rows, _cols(paper, 45, 85))
    )
    story.append(Paragraph(_("Rencana intervensi"), st["h"]))
    if case.plan_summary:
        story.append(Paragraph(_esc(case.plan_summary), st["p"]))
    plan_rows = []
    for goal in case.goals.all():
        for act in goal.actions.all():
            if getattr(act, "cancelled", False):  # plan actions can be cancelled at closure
                state = _("Dibatalkan: %(reason)s") % {"reason": act.cancel_reason}
            else:
                state = _("Selesai") if act.done else _("Berjalan")
            plan_rows.append(
                [
                    goal.description,
                    act.description,
                    act.responsible or "—",
                    fmt_date(act.due_on),
                    state,
                ]
            )
    if plan_rows:
        story.append(
            grid(
                [_("Tujuan"), _("Kegiatan"), _("Penanggung jawab"), _("Target"), _("Keadaan")],
                plan_rows,
                _cols(paper, 40, 45, 30, 22),
            )
        )
    elif not case.plan_summary:
        story.append(Paragraph(_("Belum ada rencana."), st["p"]))
    referrals = list(case.referrals.all())
    if referrals:
        story += [
            Paragraph(_("Rujukan"), st["h"]),
            grid(
                [_("Nomor"), _("Kepada"), _("Dikirim"), _("Status")],
                [
                    [
                        r.number or "—",
                        f"{r.agency.name} — {r.service.name}",
                        fmt_date(r.sent_at),
                        r.get_status_display(),
                    ]
                    for r in referrals
                ],
                _cols(paper, 35, 75, 22),
            ),
        ]
    sessions = list(case.counselling.all())
    if sessions:
        story += [
            Paragraph(_("Konseling"), st["h"]),
            Paragraph(
                _esc(
                    _("%(n)s sesi: %(dates)s")
                    % {
                        "n": len(sessions),
                        "dates": ", ".join(fmt_date(s.held_on) for s in sessions),
                    }
                ),
                st["p"],
            ),
        ]
    if case.status == c.CaseStatus.CLOSED:
        story += [
            Paragraph(_("Penutupan"), st["h"]),
            _kv_table(
                [
                    [_("Hasil"), case.get_outcome_display() if case.outcome else "—"],
                    [_("Ringkasan"), case.closure_summary or "—"],
                    [_("Ditutup oleh"), _name(case.closed_by) or "—"],
                ],
                [40 * mm, paper.width - 40 * mm],
            ),
        ]
    story += [
        Spacer(1, 8 * mm),
        signature_block(
            st,
            head,
            DocumentKind.CASE,
            width=paper.width,
            fallback_name=_name(case.assigned_to) or printed_by,
        ),
        Spacer(1, 4 * mm),
        Paragraph(_esc(_("Rahasia: hanya untuk keperluan penanganan kasus.")), st["small"]),
    ]
    return paper.build(story)


def _cols(paper: Paper, *fixed_mm: float) -> list[float]:
    """Column widths: the given ones in millimetres, the last column takes the rest."""
    widths = [w * mm for w in fixed_mm]
    return [*widths, paper.width - sum(widths)]


def _month_chart(months: list[dict], width: float):
    """Intakes per month as a bar chart drawn into the PDF."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    height = 60 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 10 * mm
    chart.width, chart.height = width - 16 * mm, height - 16 * mm
    chart.data = [[m["n"] for m in months]]
    chart.categoryAxis.categoryNames = [str(m["label"]) for m in months]
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30 if len(months) > 6 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(months) > 6 else "n"
    chart.valueAxis.valueMin = 0
    top = max([m["n"] for m in months] + [1])
    chart.valueAxis.valueMax = top + max(1, top // 10)
    chart.valueAxis.valueStep = max(1, -(-top // 5))
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#198754")
    chart.barLabelFormat = "%d"
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    return drawing


def dashboard_pdf(figures, monthly: dict, area_name: str, area_code: str, *, printed_by: str):
    """The service dashboard for a period, to take to the Bupati: the figures, intakes per month
    (chart) and per district, by need, channel and status, and the partners' answers."""
    from . import reports

    head = letterhead_for(area_code)
    paper = Paper(head, _("Laporan layanan terpadu %(area)s") % {"area": area_name})
    st = paper.st
    period = _("%(start)s s.d. %(end)s") % {
        "start": fmt_date(figures.start),
        "end": fmt_date(figures.end),
    }
    story = paper.top()
    story += [
        Paragraph(_("LAPORAN LAYANAN TERPADU"), st["title"]),
        _kv_table(
            [
                [_("Wilayah"), area_name],
                [_("Periode"), period],
                [_("Pengaduan/permohonan"), str(figures.intakes)],
                [
                    _("Sampai tindakan pertama (median / P90)"),
                    f"{reports.fmt_hours(figures.first_action.get('median_hours'))} / "
                    f"{reports.fmt_hours(figures.first_action.get('p90_hours'))}",
                ],
                [
                    _("Sampai selesai (median / P90)"),
                    f"{reports.fmt_hours(figures.closure.get('median_hours'))} / "
                    f"{reports.fmt_hours(figures.closure.get('p90_hours'))}",
                ],
                [_("Rujukan terlambat (saat ini)"), str(figures.overdue_referrals)],
                [_("Tindak lanjut terlambat (saat ini)"), str(figures.overdue_tasks)],
                [
                    _("Sesi K3"),
                    _("%(n)s sesi, %(cases)s kasus")
                    % {"n": figures.counselling_sessions, "cases": figures.counselling_cases},
                ],
            ],
            [70 * mm, paper.width - 70 * mm],
        ),
        Paragraph(_("Pengaduan/permohonan per bulan"), st["h"]),
        _month_chart(monthly["months"], paper.width),
    ]
    if monthly["districts"]:
        story += [
            Paragraph(_("Perbandingan antarkecamatan"), st["h"]),
            grid(
                [_("Kecamatan"), _("Pengaduan/permohonan")],
                [[d["name"], str(d["n"])] for d in monthly["districts"]],
                _cols(paper, 110),
            ),
        ]
    for title, pairs in (
        (_("Menurut kebutuhan"), figures.by_need),
        (_("Menurut saluran"), figures.by_channel),
        (_("Menurut status"), figures.by_status),
    ):
        story += [
            Paragraph(_esc(title), st["h"]),
            grid(
                [_("Uraian"), _("Jumlah")],
                [[label, str(n)] for label, n in pairs],
                _cols(paper, 110),
            )
            if pairs
            else Paragraph(_("Belum ada data."), st["p"]),
        ]
    story += [
        Paragraph(_("Rujukan per mitra"), st["h"]),
        grid(
            [_("Mitra"), _("Dikirim"), _("Selesai"), _("Tingkat penyelesaian")],
            [
                [
                    p["agency"],
                    str(p["sent"]),
                    str(p["completed"]),
                    f"{round(p['completion_rate'] * 100)}%"
                    if p["completion_rate"] is not None
                    else "—",
                ]
                for p in figures.partners
            ],
            _cols(paper, 80, 25, 25),
        )
        if figures.partners
        else Paragraph(_("Belum ada rujukan pada periode ini."), st["p"]),
        Spacer(1, 3 * mm),
        Paragraph(
            _esc(
                _(
                    "Angka ini jumlah saja, tanpa nama; kasus sensitif ikut dihitung tetapi "
                    "tidak dirinci."
                )
            ),
            st["small"],
        ),
        Spacer(1, 8 * mm),
        signature_block(st, head, DocumentKind.REPORT, width=paper.width, fallback_name=printed_by),
    ]
    return paper.build(story)
