"""Exports of the registry lists, in the import layout (so an export can be imported again).

The rows are the ones the same filters show on the web lists (``PersonFilterSet`` for people,
``HouseholdFilterSet`` for families: all active members of the matching families), inside the
user's area (``visible_to``). Sensitive PPKS categories are left out of the PPKS column for roles
without need-to-know, and NIKs are masked for roles without ``registry.nik`` (such a file is for
reading, not for importing again). Rows are read in chunks ordered by household, so a family's
rows stay together and memory stays flat at a million rows. Text cells that a spreadsheet would
run as a formula (starting with = + - @) get a leading apostrophe; the importer removes it again.

Every export is logged (``AccessLog`` kind ``export``): who, which filter (NIK/KK values masked)
and how many rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pandu.accounts.roles import Cap
from pandu.core.access import record_access
from pandu.core.models import AccessLog
from pandu.core.printing import area_labels
from pandu.core.spreadsheets import safe_cell
from pandu.registry import choices as rc
from pandu.registry.filtersets import HouseholdFilterSet, PersonFilterSet
from pandu.registry.masking import mask_nik, may_see_nik
from pandu.registry.models import Household, Person, PPKSCategory
from pandu.registry.validation import mask_account

from .importer import jobs_dir
from .layout import EXPORT_COLUMNS, FIELD_BY_NAME, HOUSEHOLD_OPTIONAL, PERSON_OPTIONAL
from .permissions import can_see_sensitive

CHUNK = 5000
XLSX_SHEET_ROWS = 1_048_575  # Excel's limit, minus the header row
XLSX_INLINE_LIMIT = 5000  # larger XLSX exports run as a background job
KINDS = ("persons", "households")
FORMATS = ("csv", "xlsx")

# Columns read from the database, in EXPORT_COLUMNS order (ppks is filled separately).
_SOURCES = {
    "kk_number": "household__kk_number",
    "village_code": "household__village",
    "rt": "household__rt",
    "rw": "household__rw",
    "address": "household__address",
    **{name: f"household__{name}" for name in HOUSEHOLD_OPTIONAL},
    "breadwinner": "household__breadwinner_id",
}
#: Columns filled after the query: PPKS and businesses from their own tables.
_LATER = ("ppks", "businesses")
_DATES = {"birth_date", "collected_on", "due_date"}
_TEXT = {"full_name", "birth_place", "address", "head_reason", "bank_name", "desil_reference"}
_BOOLS = {name for name in PERSON_OPTIONAL if FIELD_BY_NAME[name].kind.endswith("bool")} | {
    "pregnant",
    "on_family_card",
    "breadwinner",
}
_MASKED_FILTERS = {"nik", "kk"}


@dataclass
class ExportRequest:
    kind: str  # "persons" or "households"
    params: dict[str, str]


def _readable(user, area: str) -> tuple[QuerySet, QuerySet]:
    """Households and people an export reads: what ``user`` may see or, without a user (the
    command line's export), every record; in both cases only inside ``area`` when one is given."""
    if user is None:
        households, people = Household.objects.all(), Person.objects.all()
    else:
        households, people = Household.objects.visible_to(user), Person.objects.visible_to(user)
    if area:
        households, people = households.in_area(area), people.in_area(area)
    return households, people


def _every_category_without_a_user(fs, user) -> None:
    if user is None and "ppks" in fs.filters:
        fs.filters["ppks"].queryset = PPKSCategory.objects.all()


def filtered_people(
    user,
    kind: str,
    params: dict[str, Any],
    *,
    prepare: Callable[[Any], Any] | None = None,
    area: str = "",
) -> tuple[QuerySet, Any]:
    """People to export and the bound filterset (check ``is_valid()`` before using the rows).

    ``prepare`` may change the filter form first (the web page: ``filtersets.names_only``).
    ``user`` None is the command line's export: every record of ``area`` ("" the whole
    registry), sensitive PPKS categories included."""
    request = SimpleNamespace(user=user)
    data = {k: v for k, v in params.items() if v not in (None, "")}
    households, people = _readable(user, area)
    if kind == "households":
        fs = HouseholdFilterSet(data, queryset=households, request=request)
        _every_category_without_a_user(fs, user)
        if prepare is not None:
            prepare(fs)
        people = people.filter(status="active")
        if fs.is_valid():
            people = people.filter(household__in=fs.qs.values("pk"))
        return people, fs
    fs = PersonFilterSet(data, queryset=people, request=request)
    _every_category_without_a_user(fs, user)
    if prepare is not None:
        prepare(fs)
    return (fs.qs if fs.is_valid() else Person.objects.none()), fs


def filter_description(params: dict[str, Any]) -> str:
    """The filter for the access log: no NIK or KK, and no number that looks like one."""
    parts = []
    for key in sorted(params):
        value = str(params[key] or "").strip()
        if not value or key in {"page", "format", "sort"}:
            continue
        digits = sum(ch.isdigit() for ch in value)
        if key in _MASKED_FILTERS or (key == "q" and digits >= 6):
            value = "****"
        parts.append(f"{key}={value[:40]}")
    return ", ".join(parts) or "-"


def log_export(request_or_user, kind: str, fmt: str, params: dict, rows: int, note: str = ""):
    detail = f"{kind} {fmt} rows={rows} filter: {filter_description(params)}"
    if note:
        detail += f" ({note})"
    record_access(request_or_user, AccessLog.Kind.EXPORT, detail=detail[:300])


# --- Rows ---------------------------------------------------------------------------------------


def export_rows(user, people: QuerySet) -> Iterator[list[Any]]:
    """Rows in EXPORT_COLUMNS order (Python values), a family's members together.

    The ORM builds the query (filters, area scope); the rows are read with a plain chunked
    cursor (server-side on PostgreSQL), skipping the ORM's per-row conversion.
    """
    sources = [_SOURCES.get(name, name) for name in EXPORT_COLUMNS if name not in _LATER]
    ppks_at = EXPORT_COLUMNS.index("ppks")
    qs = people.order_by("household_id", "relationship", "id").values_list(
        "id", "household_id", *sources
    )
    sql, params = qs.query.sql_with_params()
    connection = connections[qs.db]
    sensitive = can_see_sensitive(user)
    accounts = user is None or user.can(Cap.VIEW_ACCOUNTS)
    full_nik = user is None or may_see_nik(user)
    previous_household = None
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK):
            businesses = _businesses_of(connection, list({r[1] for r in chunk if r[1]}))
            for values in _with_ppks(connection, chunk, ppks_at, sensitive, previous_household):
                yield _finish(values, businesses, accounts, full_nik)
            previous_household = chunk[-1][1]


_BUSINESS_AT = EXPORT_COLUMNS.index("businesses")
_BREADWINNER_AT = EXPORT_COLUMNS.index("breadwinner")
_ACCOUNT_AT = EXPORT_COLUMNS.index("bank_account")
_NIK_AT = EXPORT_COLUMNS.index("nik")
_CODE_LISTS = [EXPORT_COLUMNS.index(n) for n in ("assets", "cards")]
_LIVESTOCK_AT = EXPORT_COLUMNS.index("livestock")


def _finish(
    values: list[Any], businesses: dict[int, str], accounts: bool, full_nik: bool = True
) -> list[Any]:
    """The row's computed columns: the breadwinner flag, the family's businesses (on its first
    row, like its PPKS), codes as text, and the account and the NIK masked for those without
    need (``registry.accounts``, ``registry.nik``)."""
    pid, hid = values.pop(0), values.pop(0)
    breadwinner = values[_BREADWINNER_AT]
    values[_BREADWINNER_AT] = None if breadwinner is None else breadwinner == pid
    values.insert(_BUSINESS_AT, businesses.pop(hid, "") if hid is not None else "")
    for i in _CODE_LISTS:
        value = _json(values[i])
        values[i] = ";".join(value) if value else ""
    livestock = _json(values[_LIVESTOCK_AT])
    values[_LIVESTOCK_AT] = ";".join(f"{k}={v}" for k, v in livestock.items()) if livestock else ""
    if not accounts and values[_ACCOUNT_AT]:
        values[_ACCOUNT_AT] = mask_account(values[_ACCOUNT_AT])
    if not full_nik:
        values[_NIK_AT] = mask_nik(values[_NIK_AT])
    return values


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) and value else value


def _businesses_of(connection, household_ids: list[int]) -> dict[int, str]:
    """Household id → its businesses as the import reads them: ``kind/sector/workers/turnover``
    joined by semicolons. Each is taken (popped) by the family's first row."""
    found: dict[int, list[str]] = defaultdict(list)
    if not household_ids:
        return {}
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(household_ids))
        cursor.execute(
            "SELECT household_id, kind, sector, workers, turnover_monthly "  # noqa: S608
            f"FROM registry_householdbusiness WHERE household_id IN ({marks}) ORDER BY id",
            household_ids,
        )
        for hid, kind, sector, workers, turnover in cursor.fetchall():
            found[hid].append(f"{kind}/{sector}/{workers}/{'' if turnover is None else turnover}")
    return {hid: ";".join(parts) for hid, parts in found.items()}


_PPKS_SQL = (
    "SELECT a.{key}, c.number FROM registry_ppksassignment a "
    "JOIN registry_ppkscategory c ON c.id = a.category_id "
    "WHERE a.active = %s AND (c.sensitive = %s OR c.sensitive = %s) AND {cond} "
    "ORDER BY c.number"
)


def _ppks_of(connection, key: str, ids: list[int], sensitive: bool) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    if not ids:
        return found
    extra = " AND a.person_id IS NULL" if key == "household_id" else ""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A semi-join on unnest() uses the index; "= ANY(array)" scans the whole table.
            cond = f"a.{key} IN (SELECT unnest(%s::bigint[])){extra}"
            cursor.execute(_PPKS_SQL.format(key=key, cond=cond), [True, False, sensitive, ids])
        else:
            cond = f"a.{key} IN ({', '.join(['%s'] * len(ids))}){extra}"
            cursor.execute(_PPKS_SQL.format(key=key, cond=cond), [True, False, sensitive, *ids])
        for owner, number in cursor.fetchall():
            found[owner].append(number)
    return found


def _with_ppks(
    connection, chunk: list[tuple], ppks_at: int, sensitive: bool, previous_household
) -> Iterator[list[Any]]:
    by_person = _ppks_of(connection, "person_id", [r[0] for r in chunk], sensitive)
    by_household = _ppks_of(
        connection, "household_id", list({r[1] for r in chunk if r[1] is not None}), sensitive
    )
    for row in chunk:
        pid, hid = row[0], row[1]
        values = list(row[2:])
        numbers = by_person.get(pid)
        if hid != previous_household:  # a family's own PPKS go on its first row (the head)
            previous_household = hid
            if hid in by_household:
                numbers = (numbers or []) + by_household[hid]
        values.insert(ppks_at, ";".join(str(n) for n in sorted(set(numbers))) if numbers else "")
        yield [pid, hid, *values]


def _bool(value: Any) -> Any:
    return value if value is None else ("1" if value else "0")


def _date(value: Any) -> Any:
    if isinstance(value, date):
        return f"{value.day:02d}-{value.month:02d}-{value.year}"
    if isinstance(value, str) and len(value) == 10:  # "1980-05-17" as SQLite may return it
        return f"{value[8:10]}-{value[5:7]}-{value[:4]}"
    return value


# Only these columns need converting; the csv module writes numbers and text as they are and
# None as an empty cell, so a million rows do not pay for 42 function calls each.
_CONVERTERS = [
    (i, _bool if name in _BOOLS else _date if name in _DATES else safe_cell)
    for i, name in enumerate(EXPORT_COLUMNS)
    if name in _BOOLS or name in _TEXT or name in _DATES
]


def as_text_row(values: list[Any]) -> list[Any]:
    """The row as the CSV/XLSX cells: dates DD-MM-YYYY, booleans 1/0, formulas defused."""
    for i, convert in _CONVERTERS:
        values[i] = convert(values[i])
    return values


# --- CSV ------------------------------------------------------------------------------------


class ExportCounter:
    def __init__(self) -> None:
        self.rows = 0
        self.finished = False


def csv_chunks(rows: Iterator[list[Any]], counter: ExportCounter) -> Iterator[bytes]:
    """The CSV file in pieces of about 1,000 rows (UTF-8 with BOM, comma-separated)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    yield b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    n = 0
    for values in rows:
        writer.writerow(as_text_row(values))
        n += 1
        if not n % 1000:
            counter.rows = n
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    counter.rows = n
    counter.finished = True
    tail = buffer.getvalue()
    if tail:
        yield tail.encode("utf-8")


def write_csv(path: Path, rows: Iterator[list[Any]]) -> int:
    counter = ExportCounter()
    with path.open("wb") as handle:
        for piece in csv_chunks(rows, counter):
            handle.write(piece)
    return counter.rows


# --- XLSX -----------------------------------------------------------------------------------


def xlsx_headers() -> list[str]:
    """The workbook's header row: each column's Indonesian label (the importer knows them as
    well as the layout's names), then the two readable columns the importer leaves aside."""
    with translation.override("id"):
        return [str(FIELD_BY_NAME[name].label) for name in EXPORT_COLUMNS] + [
            str(_("Nama desa/kelurahan")),
            str(_("Nama PPKS")),
        ]


def _label_tables() -> list[tuple[int, dict[Any, str]]]:
    """Column index → {code: label} for every coded column: one dict look-up per cell."""
    tables: list[tuple[int, dict[Any, str]]] = []
    with translation.override("id"):
        yes_no = {True: str(_("Ya")), False: str(_("Tidak"))}
        for i, name in enumerate(EXPORT_COLUMNS):
            field = FIELD_BY_NAME[name]
            if name == "sex":
                table: dict[Any, str] = {v: str(label) for v, label in rc.Sex.choices}
            elif name == "relationship":
                table = {v: str(label) for v, label in rc.Relationship.choices}
            elif name == "marital_status":
                table = {v: str(label) for v, label in rc.MaritalStatus.choices}
            elif field.kind == "code" and field.choices:
                table = {v: str(label) for v, label in getattr(rc, field.choices).choices}
            elif name in _BOOLS:
                table = yes_no
            else:
                continue
            tables.append((i, table))
    return tables


def _as_date(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10:  # SQLite gives "1980-05-17"
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


class _VillageNames:
    """Village code → "Desa X, Kecamatan Y, Kabupaten Z", read once per village."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def __call__(self, code: Any) -> str:
        if not code:
            return ""
        name = self.names.get(code)
        if name is None:
            name = area_labels([code]).get(code, code)
            self.names[code] = name
        return name


def write_xlsx(path: Path, rows: Iterator[list[Any]], progress=None) -> int:
    """An .xlsx written row by row (openpyxl write-only) for people to read and to import again:
    Indonesian headers, labels for coded answers (the importer reads them back), birth dates as
    date cells, NIK/KK as text; the village and the PPKS also by name in two last columns."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = None
    n = 0
    in_sheet = XLSX_SHEET_ROWS
    numbers = {
        i
        for i, name in enumerate(EXPORT_COLUMNS)
        if name in ("rt", "rw", "desil") or FIELD_BY_NAME[name].kind in ("int", "money")
    }
    labelled = _label_tables()
    text_at = [i for i, name in enumerate(EXPORT_COLUMNS) if name in _TEXT]
    born_at = EXPORT_COLUMNS.index("birth_date")
    village_at = EXPORT_COLUMNS.index("village_code")
    ppks_at = EXPORT_COLUMNS.index("ppks")
    villages = _VillageNames()
    ppks_names = {c.number: c.name for c in PPKSCategory.objects.all()}
    headers = xlsx_headers()
    bold = Font(bold=True)

    def new_sheet(number: int):
        ws = workbook.create_sheet(_("Data") if number == 1 else f"{_('Data')} {number}")
        ws.freeze_panes = "C2"
        header_cells = []
        for title in headers:
            cell = WriteOnlyCell(ws, value=title)
            cell.font = bold
            header_cells.append(cell)
        ws.append(header_cells)
        return ws

    for values in rows:
        if in_sheet >= XLSX_SHEET_ROWS:
            sheet = new_sheet(len(workbook.worksheets) + 1)
            in_sheet = 0
        for i, table in labelled:
            value = values[i]
            if value is not None:
                values[i] = table.get(value, value)
        for i in text_at:
            values[i] = safe_cell(values[i])
        for i, value in enumerate(values):
            if value is not None and i not in numbers and not isinstance(value, str):
                values[i] = str(value)
        born = WriteOnlyCell(sheet, value=_as_date(values[born_at]))
        born.number_format = "DD-MM-YYYY"
        values[born_at] = born
        ppks = values[ppks_at]
        values.append(villages(values[village_at]))
        names = "; ".join(ppks_names.get(int(x), x) for x in ppks.split(";")) if ppks else None
        values.append(names)
        assert sheet is not None
        sheet.append(values)
        in_sheet += 1
        n += 1
        if progress is not None and not n % 5000:
            progress(n)
    if sheet is None:
        new_sheet(1)
    workbook.save(path)
    return n


def file_name(kind: str, fmt: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    base = _("penduduk") if kind == "persons" else _("keluarga")
    return f"{base}-{stamp}.{fmt}"


# --- Background export --------------------------------------------------------------------------


def export_job(ctx) -> str:
    """Handler of the ``exchange.export`` job: write the file, log the export, offer the link."""
    job = ctx.job
    user = job.created_by
    params = ctx.params
    kind, fmt = params.get("kind"), params.get("format")
    if kind not in KINDS or fmt not in FORMATS or user is None:
        raise ValueError("bad export parameters")
    people, fs = filtered_people(user, kind, params.get("filters") or {})
    if not fs.is_valid():
        raise ValueError(_("Saringan tidak sah."))
    total = people.count()
    ctx.progress(0, total, force=True)
    folder = jobs_dir() / "exports" / str(job.uid)
    folder.mkdir(parents=True, exist_ok=True)
    name = file_name(kind, fmt)
    path = folder / name

    def progress(n: int) -> None:
        ctx.check_cancelled()
        ctx.progress(n, total)

    def counted(rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
        for n, row in enumerate(rows, start=1):
            yield row
            if not n % 5000:
                progress(n)

    if fmt == "xlsx":
        n = write_xlsx(path, counted(export_rows(user, people)))
    else:
        n = write_csv(path, counted(export_rows(user, people)))
    relative = str(path.relative_to(jobs_dir()))
    type(job).objects.filter(pk=job.pk).update(result_file=relative)
    job.result_file = relative
    log_export(user, kind, fmt, params.get("filters") or {}, n, note="background")
    ctx.progress(n, total, force=True, baris=n)
    return _("%(n)s baris diekspor ke %(file)s.") % {"n": f"{n:,}".replace(",", "."), "file": name}
