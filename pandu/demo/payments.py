"""A PKH payment cycle in the Maros demo: the stage of this quarter for the KPM of the demo,
computed, approved by the Dinas ('admin') and the head ('kadis'), with a bank's reconciliation of
a few rows (paid and one failed payment waiting on the retry list).

The demo's PKH families (``pandu.demo.empowerment``) are couples; three of them get children
first (through the registry's actions), so that PKH's components count someone: a toddler, a
primary-school child and a junior-secondary one. A second load adds nothing.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from pandu.accounts.models import User
from pandu.payments import actions
from pandu.payments.models import Cycle, Entitlement
from pandu.programs.models import Enrolment, Programme
from pandu.regions.models import Area
from pandu.registry import actions as registry
from pandu.registry.models import Person

DISTRICT_DIGITS = "730913"
SERIAL_BASE = 9500  # NIK serials apart from the generated registry and the other demo parts
# (index of the demo's KPM, child's name, sex, age in years, current school level or None)
CHILDREN = [
    (1, "Fitriani", "P", 4, None),
    (1, "Muh. Ikhsan", "L", 9, 2),
    (2, "Andi Reski", "L", 13, 3),
    (3, "Nur Aulia", "P", 2, None),
]


def _nik(born: date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{DISTRICT_DIGITS}{day:02d}{born:%m%y}{serial:04d}"


def _children(admin: User, kpm: list[Enrolment], today: date) -> None:
    for n, (index, name, sex, age, level) in enumerate(CHILDREN):
        if index >= len(kpm):
            continue
        born = date(today.year - age - 1, 7, 15)
        nik = _nik(born, sex, SERIAL_BASE + n)
        if Person.objects.filter(nik=nik).exists():
            continue
        registry.add_member(
            admin,
            kpm[index].household,
            {
                "nik": nik,
                "full_name": name,
                "sex": sex,
                "birth_date": born,
                "relationship": 3,
                "marital_status": 1,
                "school_participation": 1 if level else 0,
                "school_level": level or 0,
            },
            reason="Anak tercatat saat pendampingan PKH",
        )


def load() -> bool:
    """The quarter's PKH cycle of Maros, approved and partly reconciled; False when there is
    one already or the demo has no PKH KPM."""
    if Cycle.objects.exists():
        return False
    users = {u.username: u for u in User.objects.filter(username__in=("admin", "kadis"))}
    pkh = Programme.objects.filter(code="PKH").first()
    maros = Area.objects.filter(code="73.09").first()
    if len(users) != 2 or pkh is None or maros is None:
        return False
    kpm = list(
        Enrolment.objects.filter(programme=pkh, status="aktif", area_code__startswith="73.09")
        .select_related("household")
        .order_by("id")[:10]
    )
    if not kpm:
        return False
    admin, head = users["admin"], users["kadis"]
    today = timezone.localdate()
    _children(admin, kpm, today)
    start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    cycle = actions.create_cycle(admin, programme=pkh, area=maros, period_start=start)
    actions.compute_cycle(admin, cycle)
    if not Entitlement.objects.filter(cycle=cycle).exists():
        return True
    actions.approve_cycle_dinas(admin, cycle, "Diperiksa bidang linjamsos")
    cycle = actions.approve_cycle_head(head, cycle, "")
    owed = list(
        Entitlement.objects.filter(cycle=cycle, household__isnull=False)
        .select_related("household")
        .order_by("id")[:3]
    )
    paid_on = max(start, today - timedelta(days=5))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"rekonsiliasi-penyalur-{start:%Y%m}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ["siklus", "penerima", "status", "nominal", "tanggal", "referensi", "alasan"]
            )
            for n, entitlement in enumerate(owed):
                failed = n == len(owed) - 1 and len(owed) > 1
                writer.writerow(
                    [
                        str(cycle.uid),
                        entitlement.household.kk_number,  # type: ignore[union-attr]
                        "gagal" if failed else "dibayar",
                        int(entitlement.amount),
                        f"{paid_on:%d-%m-%Y}",
                        f"{entitlement.channel.upper()}-{start:%Y%m}-{n + 1:05d}",
                        "Rekening KKS tidak aktif" if failed else "",
                    ]
                )
        actions.start_reconciliation(admin, path)
    return True
