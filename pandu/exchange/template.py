"""The import template: a workbook to fill in and upload. Its first sheet has the layout's
columns (the Indonesian headers the importer recognises) and one example row; a guide sheet says
what each column takes; one sheet per code list gives the words (or numbers) each coded column
accepts, the PPKS categories the user may record and the villages of the user's area."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from pandu.regions.models import Area, Level
from pandu.registry import choices as rc
from pandu.registry.models import PPKSCategory

from .exporter import xlsx_headers
from .layout import EXPORT_COLUMNS, FIELD_BY_NAME, Field
from .permissions import can_see_sensitive

#: Villages listed on their own sheet at most (a province has a few thousand).
MAX_VILLAGES = 5000
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")

_KIND_HELP = {
    "kk": "16 angka, ditulis sebagai teks",
    "nik": "16 angka, ditulis sebagai teks",
    "name": "huruf, sesuai KTP/KK",
    "text": "teks bebas",
    "date": "tanggal (sel tanggal, atau teks 05-07-1985)",
    "sex": "Laki-laki atau Perempuan (L/P)",
    "relationship": "lihat lembar daftar kode",
    "marital": "lihat lembar daftar kode",
    "village": "kode desa/kelurahan, lihat lembar Wilayah",
    "rtrw": "angka 1-999",
    "code": "lihat lembar daftar kode (nama atau nomornya)",
    "bool": "Ya atau Tidak",
    "nullbool": "Ya, Tidak, atau kosong bila tidak diketahui",
    "bool_default_true": "Ya atau Tidak (kosong: Ya)",
    "int": "angka bulat",
    "ppks": "nomor kategori PPKS dipisah titik koma, lihat lembar PPKS",
}


def _choices_of(field: Field):
    if field.name == "sex":
        return rc.Sex
    if field.name == "relationship":
        return rc.Relationship
    if field.name == "marital_status":
        return rc.MaritalStatus
    if field.kind == "code" and field.choices:
        return getattr(rc, field.choices)
    return None


def _sheet_title(text: str, taken: set[str]) -> str:
    title = _SHEET_UNSAFE.sub(" ", text)[:28].strip() or "Kode"
    candidate, n = title, 2
    while candidate.lower() in taken:
        candidate = f"{title[:26]} {n}"
        n += 1
    taken.add(candidate.lower())
    return candidate


def _example_village(user) -> Area | None:
    scope = user.scope_code or ""
    return Area.objects.filter(level=Level.VILLAGE, code__startswith=scope).order_by("code").first()


def _example_row(user) -> list[Any]:
    """A made-up head of a family in the first village of the user's area."""
    village = _example_village(user)
    code = village.code if village else ""
    district = code[:8].replace(".", "") if code else "000000"
    values: dict[str, Any] = {
        "kk_number": f"{district}0103150001",
        "nik": f"{district}1705800001",
        "full_name": "Contoh Nama Kepala Keluarga",
        "sex": rc.Sex("L").label,
        "birth_place": "Maros",
        "birth_date": date(1980, 5, 17),
        "relationship": rc.Relationship(1).label,
        "marital_status": rc.MaritalStatus(2).label,
        "village_code": code,
        "rt": 2,
        "rw": 1,
        "address": "Dusun Contoh",
        "pregnant": _("Tidak"),
        "ppks": "",
    }
    return [values.get(n) for n in EXPORT_COLUMNS]


def import_template_xlsx(user) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    with translation.override("id"):
        wb = Workbook()
        data = wb.active
        assert data is not None
        data.title = _("Data")
        headers = xlsx_headers()[: len(EXPORT_COLUMNS)]
        data.append(headers)
        for cell in data[1]:
            cell.font = bold
        row = [_plain(v) for v in _example_row(user)]
        data.append(row)
        born = data.cell(row=2, column=EXPORT_COLUMNS.index("birth_date") + 1)
        born.number_format = "DD-MM-YYYY"
        for i, name in enumerate(EXPORT_COLUMNS, start=1):
            if name in ("kk_number", "nik"):
                data.cell(row=2, column=i).number_format = "@"
            data.column_dimensions[data.cell(row=1, column=i).column_letter].width = max(
                12, min(len(headers[i - 1]) + 2, 40)
            )
        data.freeze_panes = "A2"

        guide = wb.create_sheet(_("Petunjuk"))
        guide.append([_("Kolom"), _("Judul kolom"), _("Nama kolom"), _("Wajib"), _("Isian")])
        for cell in guide[1]:
            cell.font = bold
        taken = {data.title.lower(), guide.title.lower()}
        code_sheets: list[tuple[str, Any]] = []
        seen: dict[Any, str] = {}
        for i, name in enumerate(EXPORT_COLUMNS, start=1):
            field = FIELD_BY_NAME[name]
            choices = _choices_of(field)
            note = _KIND_HELP.get(field.kind, "")
            if choices is not None and field.kind not in ("sex",):
                if choices not in seen:
                    seen[choices] = _sheet_title(str(field.label), taken)
                    code_sheets.append((seen[choices], choices))
                note = _("pilih dari lembar “%(sheet)s”") % {"sheet": seen[choices]}
            guide.append(
                [
                    data.cell(row=1, column=i).column_letter,
                    headers[i - 1],
                    name,
                    _("Ya") if field.required else _("Tidak"),
                    note,
                ]
            )
        guide.append([])
        guide.append(
            [
                _(
                    "Satu baris per orang; anggota satu keluarga memakai Nomor KK yang sama. "
                    "Baris contoh boleh dihapus. Kolom yang tidak diketahui boleh dikosongkan."
                )
            ]
        )
        for letter, width in zip("ABCDE", (8, 45, 28, 8, 60), strict=True):
            guide.column_dimensions[letter].width = width

        for title, choices in code_sheets:
            sheet = wb.create_sheet(title)
            sheet.append([_("Isian"), _("Kode")])
            for cell in sheet[1]:
                cell.font = bold
            for value, label in choices.choices:
                sheet.append([str(label), value])
            sheet.column_dimensions["A"].width = 60

        ppks = wb.create_sheet(_sheet_title("PPKS", taken))
        ppks.append([_("Nomor"), _("PPKS"), _("Berlaku untuk keluarga")])
        for cell in ppks[1]:
            cell.font = bold
        categories = PPKSCategory.objects.order_by("number")
        if not can_see_sensitive(user):
            categories = categories.filter(sensitive=False)
        for cat in categories:
            ppks.append([cat.number, cat.name, _("Ya") if cat.household_level else _("Tidak")])
        ppks.column_dimensions["B"].width = 60

        places = wb.create_sheet(_sheet_title(str(_("Wilayah")), taken))
        places.append([_("Kode desa/kelurahan"), _("Desa/kelurahan"), _("Kecamatan")])
        for cell in places[1]:
            cell.font = bold
        scope = user.scope_code or ""
        villages = (
            Area.objects.filter(level=Level.VILLAGE, code__startswith=scope)
            .select_related("parent")
            .order_by("code")[:MAX_VILLAGES]
        )
        for v in villages:
            places.append([v.code, v.display_name, v.parent.name if v.parent else ""])
        places.column_dimensions["A"].width = 18
        places.column_dimensions["B"].width = 40
        places.column_dimensions["C"].width = 30

        out = BytesIO()
        wb.save(out)
    return out.getvalue()


def _plain(value: Any) -> Any:
    """Lazy labels as plain text; dates and numbers as they are."""
    if value is None or isinstance(value, int | date):
        return value
    return str(value)
