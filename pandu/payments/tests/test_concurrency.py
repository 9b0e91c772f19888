"""No family is paid twice for one cycle, whatever imports run at the same time: two
reconciliation imports in two threads, each with its own connection and transaction, on a
real PostgreSQL database. Both check their rows before either has written (a barrier holds
them there), so only the database's unique index can keep them apart."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from pandu.payments import actions
from pandu.payments.actions import reconciliation
from pandu.payments.models import Entitlement, Payment

from .helpers import ELDERLY_WITH_ACCOUNT, approved_cycle

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="SQLite runs one writer at a time: two imports cannot overlap there; this test "
        "needs PostgreSQL (DATABASE_URL=postgres://...)",
    ),
]
FAMILIES = 40


@pytest.fixture(autouse=True)
def _var_in_tmp(settings, tmp_path, catalogue):
    """Files under the test's folder; PKH and its scheme as the data migrations wrote them."""
    settings.VAR_DIR = tmp_path / "var"


def _file(path: Path, cycle, families, prefix: str, reverse: bool = False) -> Path:
    rows = [
        [str(cycle.uid), f.kk_number, "dibayar", "600000", "15-02-2026", f"{prefix}-{i}", ""]
        for i, f in enumerate(families)
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["siklus", "penerima", "status", "nominal", "tanggal", "referensi",
                         "alasan"])  # fmt: skip
        writer.writerows(reversed(rows) if reverse else rows)
    return path


def _at_once(monkeypatch, user, paths: list[Path]) -> list:
    """Import every file in its own thread; all of them have checked their rows before any
    writes a payment."""
    barrier = threading.Barrier(len(paths), timeout=60)
    original = reconciliation._record

    def record_together(checked, batch):
        barrier.wait()
        return original(checked, batch)

    monkeypatch.setattr(reconciliation, "_record", record_together)
    results: list = [None] * len(paths)
    errors: list = []

    def run(i: int) -> None:
        try:
            results[i] = actions.start_reconciliation(user, paths[i])
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(paths))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


@pytest.fixture
def world(personas, pkh, maros, bulk_families, enrol):
    return approved_cycle(
        personas, pkh, maros, bulk_families, enrol, [ELDERLY_WITH_ACCOUNT] * FAMILIES
    )


def test_two_files_paying_the_same_families_at_once_pay_each_once(
    world, personas, tmp_path, monkeypatch
):
    cycle, families = world
    first = _file(tmp_path / "bri.csv", cycle, families, "BRI")
    second = _file(tmp_path / "ulang.csv", cycle, families, "ULANG", reverse=True)
    a, b = _at_once(monkeypatch, personas["admin_maros"], [first, second])
    for batch in (a, b):
        assert batch.rows_read == FAMILIES
        assert batch.recorded + batch.unchanged + batch.rejected == FAMILIES
    assert a.recorded + b.recorded == FAMILIES
    paid = Payment.objects.filter(cycle=cycle, status="dibayar")
    assert paid.count() == FAMILIES
    assert paid.values("household").distinct().count() == FAMILIES
    assert set(Entitlement.objects.filter(cycle=cycle).values_list("status", flat=True)) == {
        "dibayar"
    }
    loser = b if a.recorded == FAMILIES else a
    with open(loser.report_path, encoding="utf-8-sig") as handle:
        reasons = {row[1] for row in list(csv.reader(handle))[1:]}
    assert reasons == {"Penerima ini sudah dibayar untuk siklus ini; tidak dibayar dua kali."}


def test_the_same_file_imported_twice_at_once_is_recorded_once(
    world, personas, tmp_path, monkeypatch
):
    cycle, families = world
    path = _file(tmp_path / "bri.csv", cycle, families, "BRI")
    a, b = _at_once(monkeypatch, personas["admin_maros"], [path, path])
    assert a.recorded + b.recorded == FAMILIES
    assert a.unchanged + b.unchanged == FAMILIES
    assert a.rejected == b.rejected == 0
    assert Payment.objects.filter(cycle=cycle).count() == FAMILIES
