"""Askesos in the Maros demo: an accredited provider whose members pay, claim and fall behind,
and a second provider whose accreditation is under review.

"LKS Harapan Sejahtera" (code LHS01) was accredited eleven months ago for a year, so its
re-accreditation reminder is due; Pak Yusuf (role Mitra) keeps its members. Eight breadwinners
of Moncongloe were enrolled over the past ten months, each step written through the actions
with the clock set to the day it happened (``onestop.demo_clock``): most pay every month, one
is two months behind, one stopped paying and lapsed; an illness claim was paid, an accident
claim waits for review (its police report is still to come), a claim inside the waiting
period was rejected. "Yayasan Bina Usaha Mandiri" (BUM02) has applied and half of its
checklist is reviewed. A second load adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from pandu.accounts.models import User
from pandu.insurance import actions
from pandu.insurance.choices import Finding
from pandu.insurance.models import Member, Provider
from pandu.regions.models import Area
from pandu.registry import actions as registry
from pandu.registry.models import Household

from .onestop import demo_clock

VILLAGE = "73.09.13.2001"
DISTRICT_DIGITS = "730913"
SERIAL_BASE = 9500
PREMIUM = 10_400

# name, birth date, occupation, months ago enrolled, payment habit
MEMBERS = [
    ("Daeng Sikki", date(1979, 4, 12), "Pedagang ikan keliling", 10, "monthly"),
    ("Muh. Arsyad", date(1986, 9, 3), "Tukang ojek", 9, "monthly"),
    ("Hj. Saenab", date(1972, 1, 25), "Penjual kue", 9, "monthly"),
    ("Baharuddin", date(1990, 6, 17), "Buruh tani harian", 8, "behind"),
    ("Nurdin Tala", date(1983, 11, 8), "Tukang batu", 8, "stopped"),
    ("Sitti Rahmah", date(1988, 2, 14), "Penjahit rumahan", 6, "monthly"),
    ("Ambo Tuwo", date(1976, 8, 21), "Nelayan", 5, "monthly"),
    ("Rosmiati", date(1994, 12, 2), "Pedagang sayur", 1, "monthly"),
]

PDF = b"%PDF-1.4\n% surat keterangan (contoh demo)\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=timezone.get_current_timezone())


def _nik(born: date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{DISTRICT_DIGITS}{day:02d}{born:%m%y}{serial:04d}"


def _months_ago(today: date, months: int) -> date:
    from pandu.insurance.rules import add_months

    return add_months(today.replace(day=5), -months)


def _person(admin: User, n: int, name: str, born: date):
    sex = "P" if name.startswith(("Hj.", "Sitti", "Rosmiati")) else "L"
    serial = SERIAL_BASE + n
    kk = f"{DISTRICT_DIGITS}{date(2016, 5, 3):%d%m%y}{serial:04d}"
    household = Household.objects.filter(kk_number=kk).first()
    if household is None:
        household = registry.register_household(
            admin,
            household={"kk_number": kk, "village": VILLAGE, "rt": 1 + n % 4, "rw": 2},
            members=[
                {
                    "nik": _nik(born, sex, serial),
                    "full_name": name,
                    "sex": sex,
                    "birth_date": born,
                    "relationship": 1,
                    "marital_status": 2,
                    "has_id_card": True,
                    "work_status": 1,
                    "worked_last_week": True,
                }
            ],
            reason="Demo Askesos",
        )
    return household.members.get(relationship=1)


def _accredit(admin: User, provider: Provider, applied: date, valid_from: date) -> None:
    with demo_clock(_at(applied)):
        application = actions.open_accreditation(admin, provider, applied_on=applied)
        for item in application.items.all():
            actions.record_evidence(
                admin, item, evidence=f"Dokumen {item.get_criterion_display().lower()}"
            )
            actions.review_item(admin, item, finding=Finding.MET)
    with demo_clock(_at(valid_from)):
        actions.decide_accreditation(
            admin,
            application,
            accredited=True,
            decision_number="460/75/DINSOS-ASKESOS/" + f"{valid_from:%Y}",
            decided_on=valid_from,
            valid_from=valid_from,
            valid_until=valid_from + timedelta(days=365),
            note="Semua persyaratan seed 001 terpenuhi.",
        )


def load() -> bool:
    if Provider.objects.filter(code="LHS01").exists():
        return False
    admin = User.objects.get(username="admin")
    yusuf = User.objects.get(username="yusuf")
    today = timezone.localdate()
    start = _months_ago(today, 11)
    regency = Area.objects.get(code="73.09")
    with demo_clock(_at(start - timedelta(days=30))):
        provider = actions.create_provider(
            admin,
            name="LKS Harapan Sejahtera Maros",
            code="LHS01",
            area=regency,
            established_on=date(2012, 3, 1),
            legal_basis="Akta Yayasan No. 12/2012, SK Kemenkumham AHU-0031.AH.01.04",
            opening_reserve=5_000_000,
            address="Jl. Poros Maros-Makassar No. 45, Moncongloe",
        )
        actions.link_staff(admin, provider, yusuf, position="Pengelola kepesertaan dan iuran")
    _accredit(admin, provider, start - timedelta(days=20), start)
    with demo_clock(_at(start)):
        scheme = actions.create_scheme(
            admin,
            provider,
            name="Askesos Mandiri Maros",
            terms={"valid_from": start.replace(day=1)},
            note="Ketentuan awal sesuai pedoman Askesos (seed 001).",
        )
    members: list[tuple[Member, str]] = []
    for n, (name, born, job, ago, habit) in enumerate(MEMBERS):
        person = _person(admin, n, name, born)
        enrolled = _months_ago(today, ago)
        with demo_clock(_at(enrolled)):
            member = actions.enrol_member(
                yusuf,
                scheme,
                nik=person.nik,
                enrolled_on=enrolled,
                occupation=job,
                monthly_income=250_000 + 25_000 * (n % 4),
                work_status=1,
                breadwinner=True,
            )
        members.append((member, habit))
    # Month by month, on the 6th: the paying members pay that month's premium.
    month = start.replace(day=6)
    receipts = 0
    while month <= today:
        with demo_clock(_at(month)):
            for member, habit in members:
                member.refresh_from_db()
                if member.enrolled_on > month or member.status != "aktif":
                    continue
                skip = (habit == "behind" and month > _months_ago(today, 2)) or (
                    habit == "stopped" and month > _months_ago(today, 5)
                )
                if skip:
                    continue
                actions.record_payment(
                    yusuf,
                    member,
                    amount=PREMIUM,
                    paid_on=month,
                    method="tunai" if receipts % 3 else "transfer",
                    reference="" if receipts % 3 else f"TRF-{month:%y%m}-{member.pk:04d}",
                )
                receipts += 1
        month = (month.replace(day=1) + timedelta(days=32)).replace(day=6)
    with demo_clock(_at(today)):
        actions.run_ledger()
    _claims(admin, yusuf, members, today)
    _second_provider(admin, regency, today)
    return True


def _claims(admin: User, yusuf: User, members: list[tuple[Member, str]], today: date) -> None:
    sikki, arsyad, rosmiati = members[0][0], members[1][0], members[7][0]
    letter = ContentFile(PDF, name="surat-dokter.pdf")
    illness_day = today - timedelta(days=40)
    with demo_clock(_at(illness_day + timedelta(days=3))):
        claim = actions.file_claim(
            yusuf,
            sikki,
            event_type="sakit",
            event_date=illness_day,
            description="Dirawat 5 hari karena demam berdarah; tidak dapat berjualan.",
            documents=[("surat_dokter", letter)],
        )
        if claim.status == "ditinjau":
            actions.decide_claim(admin, claim, approve=True, reason="Dokumen lengkap dan sah.")
        claim.refresh_from_db()
    with demo_clock(_at(illness_day + timedelta(days=6))):
        actions.pay_claim(yusuf, claim, paid_on=illness_day + timedelta(days=6), method="tunai")
    accident_day = today - timedelta(days=4)
    with demo_clock(_at(today)):
        actions.file_claim(
            yusuf,
            arsyad,
            event_type="kecelakaan",
            event_date=accident_day,
            amount_claimed=5_000_000,
            description="Jatuh dari motor saat mengantar penumpang; patah tangan kiri. "
            "Laporan polisi menyusul.",
        )
        actions.file_claim(
            yusuf,
            rosmiati,
            event_type="sakit",
            event_date=today - timedelta(days=2),
            description="Tifus, rawat jalan.",
            documents=[("surat_dokter", ContentFile(PDF, name="surat-dokter-2.pdf"))],
        )


def _second_provider(admin: User, regency: Area, today: date) -> None:
    with demo_clock(_at(today - timedelta(days=12))):
        provider = actions.create_provider(
            admin,
            name="Yayasan Bina Usaha Mandiri",
            code="BUM02",
            area=regency,
            established_on=date(2021, 8, 17),
        )
        application = actions.open_accreditation(
            admin, provider, applied_on=today - timedelta(days=12)
        )
        for n, item in enumerate(application.items.all()):
            if n < 5:
                actions.record_evidence(admin, item, evidence="Dokumen terlampir pada permohonan")
            if item.criterion == "pengalaman":
                actions.review_item(
                    admin,
                    item,
                    finding=Finding.NOT_MET,
                    note="Berdiri 2021: belum tiga tahun menyelenggarakan pelayanan sosial.",
                )
            elif n < 3:
                actions.review_item(admin, item, finding=Finding.MET)
