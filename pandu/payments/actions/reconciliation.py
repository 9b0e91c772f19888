"""The reconciliation import: what the bank, PT Pos or the e-warong reported, row by row, in a
few statements.

The file's rows are read and their own values checked in Python (a row that cannot be read is
rejected with its number and reason); the rest go into a temporary table, and one statement
joins them to the cycles' entitlements and existing payments and names each row's problem:
not in the cycle, not approved, an amount other than the entitlement's, a date outside the
cycle, a reference used twice, a recipient twice in the file, already paid, already returned.
The accepted rows are inserted with ``ON CONFLICT DO NOTHING``: the unique indexes (one paid
payment per family and cycle, a reference once) decide between imports running at the same
time, and a row another import got in first is rejected after all (or, when it is the very same
payment, counted as already recorded). A row identical to a payment already recorded changes
nothing: re-importing a file records nothing new. rows read = recorded + already recorded +
rejected, always.
"""

from __future__ import annotations

import csv
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pandu.core.jobs import enqueue
from pandu.core.spreadsheets import safe_text
from pandu.exchange.readers import FileProblem, cell_text
from pandu.organisations.models import Organisation

from .. import computation, reconcile
from ..capabilities import PayCap
from ..choices import CycleStatus, ImportStatus
from ..models import Cycle, Entitlement, Payment, ReconciliationImport
from ._common import refresh_figures, require, scope_of

__all__ = ["JOB_KIND", "REPORT_COLUMNS", "run_reconciliation", "start_reconciliation"]

JOB_KIND = "payments.reconcile"
REPORT_COLUMNS = ["baris", "alasan", "siklus", "penerima", "status", "nominal", "tanggal",
                  "referensi"]  # fmt: skip


def folder() -> Path:
    return Path(settings.VAR_DIR) / "jobs" / "payments"


def _safe_name(name: str) -> str:
    from pandu.core.files import safe_filename

    return safe_filename(name, default="rekonsiliasi.csv")


def start_reconciliation(
    user: Any,
    source: str | Path,
    *,
    file_name: str = "",
    background: bool = False,
    copy: bool = True,
    report: str | Path | None = None,
) -> ReconciliationImport:
    """Record the file as an import (kept under ``VAR_DIR/jobs/payments/<uid>/``) and import it
    here, or in a background job (web pages and the API)."""
    require(user, PayCap.MANAGE)
    source = Path(source)
    batch = ReconciliationImport(
        user=user,
        area_code=scope_of(user),
        file_name=(file_name or source.name)[:255],
        file_path=str(source.resolve()),
    )
    if copy:
        target = folder() / str(batch.uid)
        target.mkdir(parents=True, exist_ok=True)
        kept = target / _safe_name(batch.file_name)
        shutil.copyfile(source, kept)
        batch.file_path = str(kept)
    if report is not None:
        batch.report_path = str(Path(report).resolve())
    with transaction.atomic():
        batch.save()
        if background:
            batch.job = enqueue(
                JOB_KIND,
                user=user,
                params={"batch": str(batch.uid)},
                area_code=batch.area_code,
                title=_("Impor rekonsiliasi %(file)s") % {"file": batch.file_name[:150]},
            )
            batch.save(update_fields=["job"])
    if not background:
        run_reconciliation(batch)
        batch.refresh_from_db()
    return batch


# --- The body -----------------------------------------------------------------------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _cycles(user: Any, uids: Iterable[uuid.UUID]) -> tuple[dict[uuid.UUID, Cycle], dict]:
    """The file's cycles the user may reconcile, and the problem of each other one."""
    found = {
        c.uid: c
        for c in (Cycle.objects.all() if user is None else Cycle.objects.restrict(user, "manage"))
        .filter(uid__in=list(uids))
        .select_related("programme")
    }
    usable, problems = {}, {}
    for uid in uids:
        cycle = found.get(uid)
        if cycle is None:
            problems[uid] = _("Siklus %(uid)s tidak dikenal atau di luar wilayah Anda.") % {
                "uid": uid
            }
        elif cycle.status == CycleStatus.CLOSED:
            problems[uid] = _("Siklus %(name)s sudah ditutup; rekonsiliasinya tidak diterima.") % {
                "name": cycle.name
            }
        elif cycle.status != CycleStatus.APPROVED:
            problems[uid] = _("Siklus %(name)s belum disetujui Kepala; belum ada yang dibayar.") % {
                "name": cycle.name
            }
        else:
            usable[uid] = cycle
    return usable, problems


STAGE_COLUMNS = ("row_no", "cycle_id", "kk", "org_id", "status", "amount", "paid_on",
                 "reference", "reason")  # fmt: skip


def _stage(table: str, rows: list[tuple]) -> None:
    q = _q(table)
    big = "BIGINT"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {q}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {q} (row_no INTEGER, cycle_id {big}, kk VARCHAR(16), "
            f"org_id {big}, status VARCHAR(12), amount {big}, paid_on DATE, "
            "reference VARCHAR(60), reason VARCHAR(300))"
        )
        if not rows:
            return
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {q} ({', '.join(STAGE_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _c in STAGE_COLUMNS)
            connection.connection.executemany(
                f"INSERT INTO {q} ({', '.join(STAGE_COLUMNS)}) VALUES ({marks})",  # noqa: S608
                [(*r[:6], r[6].isoformat(), *r[7:]) for r in rows],
            )


def _check_sql(stage: str, checked: str) -> str:
    """The temporary table of every staged row with its entitlement and its problem ('' when
    it is to be recorded, ``same`` when that very payment is recorded already)."""
    from pandu.registry.models import Household

    s, c = _q(stage), _q(checked)
    ent, pay = _q(Entitlement._meta.db_table), _q(Payment._meta.db_table)
    cyc, hh = _q(Cycle._meta.db_table), _q(Household._meta.db_table)
    resolved = (
        "SELECT s.*, COALESCE(eh.id, eo.id) AS ent_id, COALESCE(eh.amount, eo.amount) AS "  # noqa: S608
        "ent_amount, COALESCE(eh.status, eo.status) AS ent_status, eh.household_id AS hid, "
        "eo.organisation_id AS oid, COALESCE(eh.area_code, eo.area_code) AS area, "
        "COALESCE(eh.retry_in_id, eo.retry_in_id) AS retry_in "
        f"FROM {s} s LEFT OUTER JOIN {hh} h ON (h.kk_number = s.kk) "
        f"LEFT OUTER JOIN {ent} eh ON (eh.cycle_id = s.cycle_id AND eh.household_id = h.id "
        "AND eh.household_id IS NOT NULL) "
        f"LEFT OUTER JOIN {ent} eo ON (eo.cycle_id = s.cycle_id AND eo.organisation_id = "
        "s.org_id AND eo.organisation_id IS NOT NULL)"
    )
    window_end = (
        "CASE WHEN rc.period_end IS NOT NULL AND rc.period_end > c.period_end "
        "THEN rc.period_end ELSE c.period_end END"
    )
    same = (
        "p.id IS NOT NULL AND p.entitlement_id = r.ent_id AND p.status = r.status "
        "AND p.amount = r.amount AND p.paid_on = r.paid_on"
    )
    return (
        f"CREATE TEMPORARY TABLE {c} AS SELECT r.row_no, r.cycle_id, r.kk, r.org_id, r.status, "  # noqa: S608
        "r.amount, r.paid_on, r.reference, r.reason, r.ent_id, r.ent_amount, r.hid, r.oid, "
        f"r.area, c.period_start AS window_start, {window_end} AS window_end, "
        "MIN(r.row_no) OVER (PARTITION BY r.reference) AS first_ref_row, "
        "MIN(r.row_no) OVER (PARTITION BY r.ent_id) AS first_ent_row, "
        "CASE "
        "WHEN r.ent_id IS NULL THEN 'absent' "
        f"WHEN {same} AND ROW_NUMBER() OVER (PARTITION BY r.reference ORDER BY r.row_no) = 1 "
        "THEN 'same' "
        "WHEN r.ent_status IN ('draf', 'ditahan') THEN 'held' "
        "WHEN r.amount <> r.ent_amount THEN 'amount' "
        f"WHEN r.paid_on < c.period_start OR r.paid_on > {window_end} THEN 'date' "
        "WHEN ROW_NUMBER() OVER (PARTITION BY r.reference ORDER BY r.row_no) > 1 "
        "THEN 'ref_in_file' "
        "WHEN p.id IS NOT NULL THEN 'ref_used' "
        "WHEN ROW_NUMBER() OVER (PARTITION BY r.ent_id ORDER BY r.row_no) > 1 "
        "THEN 'twice_in_file' "
        "WHEN r.ent_status = 'dikembalikan' THEN 'returned' "
        "WHEN r.ent_status = 'dibayar' AND r.status <> 'dikembalikan' THEN 'paid' "
        "ELSE '' END AS problem "
        f"FROM ({resolved}) r INNER JOIN {cyc} c ON (c.id = r.cycle_id) "
        f"LEFT OUTER JOIN {cyc} rc ON (rc.id = r.retry_in) "
        f"LEFT OUTER JOIN {pay} p ON (p.reference = r.reference)"
    )


PAYMENT_COLUMNS = ("entitlement_id", "cycle_id", "household_id", "organisation_id",
                   "area_code", "status", "amount", "paid_on", "reference", "reason",
                   "batch_id", "row_number", "recorded_at")  # fmt: skip


def _record(checked: str, batch: ReconciliationImport) -> int:
    """Insert the accepted rows; those another import got in first are left out (and named
    by :func:`_lost`). In the order of the recipients, so two imports lock alike."""
    pay = _q(Payment._meta.db_table)
    sql = (
        f"INSERT INTO {pay} ({', '.join(_q(c) for c in PAYMENT_COLUMNS)}) "  # noqa: S608
        "SELECT ent_id, cycle_id, hid, oid, area, status, amount, paid_on, reference, reason, "
        f"%s, row_no, %s FROM {_q(checked)} WHERE problem = '' "
        "ORDER BY cycle_id, ent_id ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [batch.pk, timezone.now()])
        return max(cursor.rowcount, 0)


def _lost(checked: str, batch: ReconciliationImport) -> None:
    """Accepted rows not inserted: another import running at the same time recorded the very
    same payment (``same``), used the reference (``ref_used``) or paid the recipient (``paid``)."""
    c, pay = _q(checked), _q(Payment._meta.db_table)
    mine = f"SELECT 1 FROM {pay} m WHERE m.reference = {c}.reference AND m.batch_id = %s"  # noqa: S608
    theirs = f"SELECT 1 FROM {pay} o WHERE o.reference = {c}.reference"  # noqa: S608
    identical = (
        f"{theirs} AND o.entitlement_id = {c}.ent_id AND o.status = {c}.status "
        f"AND o.amount = {c}.amount AND o.paid_on = {c}.paid_on"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {c} SET problem = CASE WHEN EXISTS ({identical}) THEN 'same' "  # noqa: S608
            f"WHEN EXISTS ({theirs}) THEN 'ref_used' ELSE 'paid' END "
            f"WHERE problem = '' AND NOT EXISTS ({mine})",
            [batch.pk],
        )


def _settle_entitlements(batch: ReconciliationImport) -> None:
    """Each entitlement the import touched takes the status all its payments say: returned if
    any was returned, else paid if any was paid, else failed. One ``UPDATE … FROM`` over the
    payments grouped by entitlement (a correlated look-up per row is slow on PostgreSQL)."""
    ent, pay = _q(Entitlement._meta.db_table), _q(Payment._meta.db_table)
    rank = "MAX(CASE p.status WHEN 'dikembalikan' THEN 3 WHEN 'dibayar' THEN 2 ELSE 1 END)"
    outcome = (
        f"SELECT p.entitlement_id AS eid, {rank} AS r FROM {pay} p "  # noqa: S608
        f"WHERE p.entitlement_id IN (SELECT b.entitlement_id FROM {pay} b WHERE b.batch_id = %s) "
        "GROUP BY p.entitlement_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ent} SET status = CASE o.r WHEN 3 THEN 'dikembalikan' "  # noqa: S608
            f"WHEN 2 THEN 'dibayar' ELSE 'gagal' END FROM ({outcome}) o "
            f"WHERE {ent}.id = o.eid",
            [batch.pk],
        )


def _analyze(*tables: str) -> None:
    """Fresh statistics for PostgreSQL's planner: a temporary table has none, and a payment
    table that just grew by 250,000 rows still looks empty to it."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {_q(table)}")


def _money(value: Any) -> str:
    return number_format(int(value or 0), force_grouping=True)


def _day(value: Any) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value:%d-%m-%Y}" if value else ""


def _problem_text(problem: str, row: dict) -> str:
    who = row["kk"] or str(row.get("group") or "")
    texts = {
        "absent": _("Penerima %(who)s tidak ada dalam siklus ini.") % {"who": who},
        "held": _("Hak penerima ini belum disetujui (ditahan, atau menunggu persetujuan)."),
        "amount": _("Nominal %(got)s berbeda dengan nilai hak %(want)s.")
        % {"got": _money(row["amount"]), "want": _money(row["ent_amount"])},
        "date": _("Tanggal %(day)s di luar periode siklus (%(start)s s.d. %(end)s).")
        % {
            "day": _day(row["paid_on"]),
            "start": _day(row["window_start"]),
            "end": _day(row["window_end"]),
        },
        "ref_in_file": _("Referensi %(ref)s sudah dipakai di baris %(row)s berkas ini.")
        % {"ref": row["reference"], "row": row["first_ref_row"]},
        "ref_used": _("Referensi %(ref)s sudah tercatat untuk pembayaran lain.")
        % {"ref": row["reference"]},
        "twice_in_file": _("Penerima yang sama sudah ada di baris %(row)s berkas ini.")
        % {"row": row["first_ent_row"]},
        "paid": _("Penerima ini sudah dibayar untuk siklus ini; tidak dibayar dua kali."),
        "returned": _("Dana penerima ini sudah dikembalikan; tidak dicatat lagi."),
    }
    return texts.get(problem, problem)


def _sql_rejections(checked: str, uids: dict[int, str], groups: dict[int, str]) -> list:
    columns = ("row_no", "cycle_id", "kk", "org_id", "status", "amount", "paid_on", "reference",
               "ent_amount", "window_start", "window_end", "first_ref_row", "first_ent_row",
               "problem")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {_q(checked)} "  # noqa: S608
            "WHERE problem NOT IN ('', 'same') ORDER BY row_no"
        )
        found = []
        for values in cursor.fetchall():
            row = dict(zip(columns, values, strict=True))
            row["group"] = groups.get(row["org_id"]) if row["org_id"] else None
            cells = {
                "siklus": uids.get(row["cycle_id"], ""),
                "penerima": row["kk"] or row["group"] or "",
                "status": row["status"],
                "nominal": str(row["amount"]),
                "tanggal": _day(row["paid_on"]),
                "referensi": row["reference"],
            }
            found.append(reconcile.Rejected(row["row_no"], _problem_text(row["problem"], row),
                                            cells))  # fmt: skip
        return found


def _write_report(batch: ReconciliationImport, rejected: list) -> str:
    path = (
        Path(batch.report_path)
        if batch.report_path
        else folder() / str(batch.uid) / ("laporan-ditolak.csv")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(REPORT_COLUMNS)
        for item in sorted(rejected, key=lambda r: r.row_no):
            writer.writerow(
                [item.row_no, item.reason, *(safe_text(item.cells.get(c, ""))
                                             for c in REPORT_COLUMNS[2:])]
            )  # fmt: skip
    return str(path)


def _read(batch: ReconciliationImport, ctx: Any) -> tuple[list, list, int]:
    """Every row: the staged ones (their values checked) and those already rejected."""
    _info, rows = reconcile.rows_of(batch.file_path)
    header_row, where = reconcile.find_header(rows)
    good: list[reconcile.Row] = []
    rejected: list[reconcile.Rejected] = []
    read = 0
    for row_no, cells in rows:
        if cells is None:
            read += 1
            rejected.append(reconcile.Rejected(row_no, _("Baris tidak terbaca sebagai CSV."), {}))
            continue
        if not any(cell_text(c).strip() for c in cells):
            continue
        read += 1
        parsed = reconcile.parse(row_no, cells, where)
        if isinstance(parsed, reconcile.Rejected):
            rejected.append(parsed)
        else:
            good.append(parsed)
        if ctx is not None and not read % 20000:
            ctx.progress(read, None)
            ctx.check_cancelled()
    del header_row
    return good, rejected, read


def run_reconciliation(batch: ReconciliationImport, ctx: Any = None) -> ReconciliationImport:
    """Import the batch's file (the job body calls this). A batch already finished is left as
    it is, so a job run twice imports once."""
    if batch.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return batch
    started = time.perf_counter()
    ReconciliationImport.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
    user = batch.user
    try:
        good, rejected, read = _read(batch, ctx)
    except (FileProblem, OSError) as exc:
        message = str(exc) if isinstance(exc, FileProblem) else _("Berkas tidak dapat dibaca.")
        ReconciliationImport.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED, message=message, finished_at=timezone.now()
        )
        batch.refresh_from_db()
        return batch
    cycles, cycle_problems = _cycles(user, {r.cycle for r in good})
    groups = {
        o.uid: o.pk for o in Organisation.objects.filter(uid__in={r.group for r in good if r.group})
    }
    staged = []
    for r in good:
        if r.cycle in cycle_problems:
            rejected.append(reconcile.Rejected(r.row_no, cycle_problems[r.cycle], {
                "siklus": str(r.cycle), "penerima": r.kk or str(r.group), "status": r.status,
                "nominal": str(r.amount), "tanggal": _day(r.paid_on), "referensi": r.reference,
            }))  # fmt: skip
            continue
        org_id = groups.get(r.group) if r.group else None
        if r.group and org_id is None:
            rejected.append(reconcile.Rejected(r.row_no, _(
                "Penerima %(who)s tidak ada dalam siklus ini.") % {"who": r.group}, {
                "siklus": str(r.cycle), "penerima": str(r.group), "status": r.status,
                "nominal": str(r.amount), "tanggal": _day(r.paid_on), "referensi": r.reference,
            }))  # fmt: skip
            continue
        staged.append((r.row_no, cycles[r.cycle].pk, r.kk, org_id, r.status, r.amount,
                       r.paid_on, r.reference, r.reason))  # fmt: skip
    del good
    stage, checked = f"pay_stage_{int(batch.pk)}", f"pay_check_{int(batch.pk)}"
    with transaction.atomic():
        computation.roomy()
        try:
            _stage(stage, staged)
            _analyze(stage)  # without statistics the check looks rows up one by one
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {_q(checked)}")
                cursor.execute(_check_sql(stage, checked))
            _analyze(checked)
            recorded = _record(checked, batch)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {_q(checked)} WHERE problem = ''")  # noqa: S608
                accepted = cursor.fetchone()[0]
            if recorded < accepted:  # another import got some in first
                _analyze(Payment._meta.db_table)
                _lost(checked, batch)
            uids = {c.pk: str(c.uid) for c in cycles.values()}
            names = {pk: str(uid) for uid, pk in groups.items()}
            rejected += _sql_rejections(checked, uids, names)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {_q(checked)} WHERE problem = 'same'")  # noqa: S608
                unchanged = cursor.fetchone()[0]
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {_q(stage)}")
                cursor.execute(f"DROP TABLE IF EXISTS {_q(checked)}")
        _analyze(Payment._meta.db_table)
        _settle_entitlements(batch)
        outcomes = Counter(
            dict(
                Payment.objects.filter(batch=batch)
                .order_by()
                .values_list("status")
                .annotate(n=Count("pk"))
            )
        )
        report = _write_report(batch, rejected)
        assert recorded + unchanged + len(rejected) == read, (recorded, unchanged, rejected, read)
        ReconciliationImport.objects.filter(pk=batch.pk).update(
            status=ImportStatus.DONE,
            rows_read=read,
            recorded=recorded,
            unchanged=unchanged,
            rejected=len(rejected),
            outcomes=dict(outcomes),
            report_path=report,
            seconds=round(time.perf_counter() - started, 3),
            finished_at=timezone.now(),
            message=_(
                "%(read)s baris dibaca: %(recorded)s dicatat, %(unchanged)s sudah tercatat "
                "sebelumnya, %(rejected)s ditolak."
            )
            % {
                "read": _money(read),
                "recorded": _money(recorded),
                "unchanged": _money(unchanged),
                "rejected": _money(len(rejected)),
            },
        )
        for cycle in cycles.values():
            refresh_figures(cycle)
    batch.refresh_from_db()
    return batch
