"""Fixtures for imports and exports: small files in the import layout, written the ways offices
write them, and a helper that runs an import to the end through the real job queue."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from pandu.conftest import BULU, LAPPARA, make_kk, make_nik
from pandu.core import jobs
from pandu.exchange import actions
from pandu.exchange.layout import CORE_COLUMNS
from pandu.exchange.models import ImportBatch
from pandu.registry.models import Household, Membership, Person, PPKSAssignment

MONCONGLOE = "73.09.13"


@pytest.fixture(autouse=True)
def _var_in_tmp(settings, tmp_path):
    """Uploaded files, reports and exports go to a throw-away VAR_DIR."""
    settings.VAR_DIR = tmp_path / "var"


def person(
    serial: int,
    *,
    kk_serial: int | None = None,
    village: str = LAPPARA,
    rel: object = 1,
    sex: str = "L",
    born: date = date(1980, 5, 17),
    name: str | None = None,
    rt: object = 2,
    rw: object = 1,
    **overrides,
) -> dict:
    """One valid row (as text) of family ``kk_serial`` (default: its own family)."""
    kk = kk_serial if kk_serial is not None else serial
    row = {
        "kk_number": make_kk(village[:8], date(2015, 3, 1), kk),
        "nik": make_nik(village[:8], born, sex, serial),
        "full_name": name or f"Muhammad Rahman {serial}",
        "sex": sex,
        "birth_place": "Maros",
        "birth_date": born.strftime("%d-%m-%Y"),
        "relationship": str(rel),
        "marital_status": "2",
        "village_code": village,
        "rt": str(rt),
        "rw": str(rw),
        "address": "Dusun Lappara",
        "education": "3",
        "work_status": "1",
        "work_sector": "1",
        "disability_type": "0",
        "disability_severity": "0",
        "chronic_illness": "0",
        "pregnant": "0",
        "ppks": "",
    }
    row.update({k: str(v) for k, v in overrides.items()})
    return row


def family(kk_serial: int, first_serial: int, *, village: str = LAPPARA, size: int = 3) -> list:
    """A head, his wife and children, all on KK ``kk_serial``."""
    rows = [person(first_serial, kk_serial=kk_serial, village=village)]
    if size > 1:
        rows.append(
            person(
                first_serial + 1,
                kk_serial=kk_serial,
                village=village,
                rel=2,
                sex="P",
                born=date(1984, 8, 2),
                name=f"Siti Aminah {first_serial + 1}",
            )
        )
    for i in range(2, size):
        rows.append(
            person(
                first_serial + i,
                kk_serial=kk_serial,
                village=village,
                rel=3,
                sex="L" if i % 2 else "P",
                born=date(2010, 1, i),
                name=f"Anak Rahman {first_serial + i}",
                marital_status="1",
            )
        )
    return rows


def write_csv(
    path: Path,
    rows: list[dict],
    *,
    columns: list[str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    header: list[str] | None = None,
) -> Path:
    columns = columns or CORE_COLUMNS
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header or columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


def import_file(user, path: Path, *, mapping=None, batch_rows: int = 0, **kw) -> ImportBatch:
    """Upload, confirm the recognised columns and run the job queue until it is empty."""
    batch = actions.create_import(user, source=path, **kw)
    if batch.status == ImportBatch.Status.FAILED:
        return batch
    job = actions.start_import(user, batch, mapping)
    if batch_rows:
        job.params["batch_rows"] = batch_rows
        job.save(update_fields=["params"])
    jobs.run_pending()
    batch.refresh_from_db()
    return batch


def registry_state() -> dict:
    """What a failed import must leave exactly as it was."""
    return {
        "households": Household.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "ppks": PPKSAssignment.objects.count(),
        "sample": list(
            Person.objects.order_by("id").values_list(
                "nik", "full_name", "birth_date", "relationship", "area_code", "household_id"
            )[:3]
        ),
    }


def report_rows(batch: ImportBatch) -> list[dict]:
    from pandu.exchange.importer import jobs_dir

    path = jobs_dir() / batch.report_path
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


__all__ = ["BULU", "LAPPARA", "MONCONGLOE"]
