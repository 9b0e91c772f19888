"""The report as an Excel workbook: a summary sheet (the findings with their definitions, the
sub-areas, the runs, quotas and overlapping programmes read) and one sheet per finding listing
its families; or one finding alone. Written row by row (openpyxl write-only)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from pandu.core.spreadsheets import safe_cell

from .details import Line, all_lines
from .figures import BY_KEY, FIGURES, Conditions, Figure, Subject, families_with, no_jit
from .report import Report, area_name, flagged_ids

#: Rows of one sheet (Excel's limit is 1,048,576): a longer finding continues on the next.
SHEET_ROWS = 1_000_000


def _sheet_title(text: str, taken: set[str]) -> str:
    title = "".join(c for c in str(text) if c not in "[]:*?/\\")[:31] or "Sheet"
    base, n = title, 2
    while title in taken:
        suffix = f" {n}"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title)
    return title


def _headers() -> list[str]:
    return [
        _("No."),
        _("Nomor KK"),
        _("Kepala keluarga"),
        _("Penerima"),
        _("Desa/kelurahan"),
        _("Kode wilayah"),
        _("KPM sejak"),
        _("Keterangan"),
    ]


class _Book:
    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        self.workbook = Workbook(write_only=True)
        self.bold = Font(bold=True)
        self.titles: set[str] = set()

    def sheet(self, title: str, widths: Iterable[int] = ()):
        ws = self.workbook.create_sheet(_sheet_title(title, self.titles))
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        return ws

    def strong(self, ws, value):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=safe_cell(value))
        cell.font = self.bold
        return cell

    def dated(self, ws, value):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=value)
        if value is not None:
            cell.number_format = "DD-MM-YYYY"
        return cell

    def header(self, ws, values: Iterable) -> None:
        ws.append([self.strong(ws, v) for v in values])

    def lines(self, figure: Figure, rows: Iterable[Line]) -> int:
        widths = (6, 20, 30, 30, 25, 15, 12, 90)
        ws, written, n = None, SHEET_ROWS, 0
        for line in rows:
            if written >= SHEET_ROWS:
                ws = self.sheet(str(figure.short), widths)
                self.header(ws, _headers())
                written = 0
            n += 1
            assert ws is not None
            ws.append(
                [
                    n,
                    safe_cell(line.kk_number),
                    safe_cell(line.head),
                    safe_cell(line.recipient),
                    safe_cell(line.village_name),
                    line.village,
                    self.dated(ws, line.since),
                    safe_cell(line.reason),
                ]
            )
            written += 1
        if ws is None:
            ws = self.sheet(str(figure.short), widths)
            self.header(ws, _headers())
            ws.append([_("Tidak ada keluarga dengan temuan ini.")])
        return n

    def finish(self) -> bytes:
        out = io.BytesIO()
        self.workbook.save(out)
        return out.getvalue()


def _summary(book: _Book, report: Report) -> None:
    s = report.subject
    ws = book.sheet(_("Ringkasan"), (42, 16, 16, 100))
    ws.append([book.strong(ws, _("Laporan ketepatan sasaran"))])
    ws.append(
        [book.strong(ws, _("Program")), safe_cell(f"{s.programme.code} — {s.programme.name}")]
    )
    ws.append([book.strong(ws, _("Wilayah")), safe_cell(report.total.name), report.total.code])
    ws.append([book.strong(ws, _("Periode dari")), book.dated(ws, s.start)])
    ws.append([book.strong(ws, _("Periode sampai")), book.dated(ws, s.end)])
    ws.append([book.strong(ws, _("KPM pada periode")), report.total.kpm])
    ws.append([book.strong(ws, _("KPM dengan paling sedikit satu temuan")), report.total.flagged])
    ws.append([book.strong(ws, _("Keluarga layak menurut penetapan")), report.total.eligible])
    ws.append([])
    book.header(ws, [_("Temuan"), _("Jumlah"), _("Persen"), _("Definisi")])
    for figure, count, share in report.figures:
        ws.append([safe_cell(str(figure.label)), count, share, safe_cell(str(figure.definition))])
    ws.append(
        [
            _(
                "Persen dihitung dari KPM pada periode; untuk 'layak tetapi belum KPM' dari "
                "keluarga yang layak. Satu KPM dapat memiliki beberapa temuan."
            )
        ]
    )
    if report.rows:
        ws.append([])
        book.header(
            ws,
            [
                _("Wilayah"),
                _("Kode"),
                _("KPM"),
                *[str(f.short) for f in FIGURES],
                _("KPM dengan temuan"),
                _("Keluarga layak"),
            ],
        )
        for row in report.rows:
            ws.append(
                [
                    safe_cell(row.name),
                    row.code,
                    row.kpm,
                    *[row.counts.get(f.key, 0) for f in FIGURES],
                    row.flagged,
                    row.eligible,
                ]
            )
        ws.append(
            [
                _(
                    "Pindah keluar wilayah per sub-wilayah dihitung terhadap sub-wilayah itu; "
                    "keluarga yang pindah antarsub-wilayah terhitung di sub-wilayah asalnya tetapi "
                    "tidak di jumlah seluruh wilayah."
                )
            ]
        )
    ws.append([])
    book.header(
        ws, [_("Penetapan sasaran yang dipakai"), _("Wilayah"), _("Ditetapkan"), _("Aturan")]
    )
    for run in report.runs:
        ws.append(
            [
                str(run.uid)[:8],
                run.area_code,
                book.dated(ws, run.committed_at.date() if run.committed_at else None),
                safe_cell(str(run.ruleset)),
            ]
        )
    if not report.runs:
        ws.append([_("Belum ada penetapan sasaran yang ditetapkan untuk program dan wilayah ini.")])
    ws.append([])
    book.header(ws, [_("Kuota"), _("Wilayah"), _("Kuota (keluarga)")])
    for quota in report.quotas:
        ws.append([safe_cell(quota.area.name), quota.area_id, quota.quota])
    ws.append([])
    book.header(ws, [_("Program tumpang tindih"), _("Wilayah berlaku"), _("Catatan")])
    for pair in report.overlaps:
        ws.append(
            [
                f"{pair.programme.code} — {pair.other.code}",
                pair.area_id or _("Seluruh wilayah"),
                safe_cell(pair.note),
            ]
        )


def report_workbook(report: Report) -> bytes:
    """The whole report: the summary, then one sheet per finding."""
    book = _Book()
    _summary(book, report)
    conditions = Conditions(report.subject)
    ids = flagged_ids(report.subject, conditions)
    for figure in FIGURES:
        book.lines(figure, all_lines(report.subject, figure.key, conditions, ids.get(figure.key)))
    return book.finish()


def figure_workbook(subject: Subject, key: str) -> bytes:
    """One finding: a sheet naming the report and the definition, then its families."""
    figure = BY_KEY[key]
    book = _Book()
    s = subject
    ws = book.sheet(_("Keterangan"), (30, 100))
    ws.append([book.strong(ws, _("Temuan")), safe_cell(str(figure.label))])
    ws.append([book.strong(ws, _("Definisi")), safe_cell(str(figure.definition))])
    ws.append(
        [book.strong(ws, _("Program")), safe_cell(f"{s.programme.code} — {s.programme.name}")]
    )
    ws.append([book.strong(ws, _("Wilayah")), safe_cell(area_name(s.area)), s.area])
    ws.append([book.strong(ws, _("Periode dari")), book.dated(ws, s.start)])
    ws.append([book.strong(ws, _("Periode sampai")), book.dated(ws, s.end)])
    with no_jit():
        count = families_with(s, key).count()
    ws.append([book.strong(ws, _("Jumlah")), count])
    book.lines(figure, all_lines(s, key))
    return book.finish()
