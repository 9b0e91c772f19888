"""The one-stop service part of the Maros demo (``manage.py load_demo``).

Everything is written through the service actions, by the demo users who would do it at the
office, so histories, case trails, ticket numbers and the dashboard's tallies are what real use
would leave: the SLRT of Maros and the Puskesos of Moncongloe with their staff, three partner
agencies with their services and an agreement, and intakes of registered people spread over the
last 90 days at every stage (answered at the desk, assessed, planned and approved or waiting for
approval, referred with consent, accepted and completed by the partner or overdue, counselled),
with visitors still waiting in today's queue.

**Demo-only backdating.** So that the dashboard's "time to first action" and the overdue lists
have something real to show, each step is written with the clock set to the moment it would
have happened (:func:`demo_clock`): ``django.utils.timezone.now`` answers that moment while the
action runs, so the row, its history, its case trail and the monthly tallies all carry the same
time, as if the office had worked these 90 days. Nothing outside the demo loader sets the clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from unittest import mock

from django.utils import timezone

from pandu.accounts.models import User
from pandu.regions.models import Area
from pandu.registry.choices import Relationship
from pandu.registry.models import Person
from pandu.services import actions
from pandu.services.models import PartnerService, ServicePoint

# (need, channel, kind, what was told at the desk)
STORIES = [
    ("health", "walk_in", "permohonan", "Batuk lebih dari tiga minggu, tidak punya biaya berobat"),
    ("civil_documents", "walk_in", "permohonan", "Anak belum punya akta kelahiran"),
    ("education", "phone", "permohonan", "Anak putus sekolah karena biaya seragam dan buku"),
    ("housing", "outreach", "keluhan", "Atap rumah bocor dan dinding retak setelah hujan deras"),
    ("empowerment", "walk_in", "permohonan", "Ingin modal usaha warung setelah suami meninggal"),
    ("health", "letter", "permohonan", "Lansia sendirian, perlu pemeriksaan rutin tekanan darah"),
    ("protection", "online", "pengaduan", "Kartu PKH tidak bisa dipakai di e-warong"),
    ("civil_documents", "walk_in", "permohonan", "KTP-el hilang, perlu untuk daftar BPJS"),
    ("health", "outreach", "permohonan", "Penyandang disabilitas perlu kursi roda dan terapi"),
    ("rehabilitation", "phone", "keluhan", "Keluarga meminta pendampingan bagi anggota ODGJ"),
    ("education", "walk_in", "permohonan", "Pendaftaran Program Indonesia Pintar untuk dua anak"),
    ("health", "walk_in", "permohonan", "Ibu hamil belum terdaftar JKN"),
]

INTAKES = 36  # spread over DAYS, the last WAITING_TODAY of them still waiting at the desk today
DAYS = 90
WAITING_TODAY = 4
# Hours from receipt to the worker's first step (assessment): most the same or the next day.
FIRST_ACTION_HOURS = [1.5, 3, 0.75, 5, 22, 2.5, 26, 4, 1, 47, 6, 2]

_USERNAMES = ("admin", "dewi", "andi", "syamsul", "lina")


@contextmanager
def demo_clock(moment: datetime) -> Iterator[None]:
    """Demo-only: while inside, ``timezone.now()`` (and so ``localdate()``) is ``moment``."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _urgency(number: int) -> str:
    if number % 11 == 5:
        return "emergency"
    if number % 7 == 3:
        return "high"
    if number % 9 == 8:
        return "low"
    return "normal"


def _received_at(number: int, now: datetime) -> datetime:
    """Office hours on a day of the last ``DAYS`` (oldest first); today's visitors this morning."""
    if number >= INTAKES - WAITING_TODAY:
        # Today's visitors, never before the local midnight (just after midnight they all
        # arrived in the first minutes of the day, so they are still today's queue).
        today = timezone.localdate(now)
        midnight = datetime(
            today.year, today.month, today.day, tzinfo=timezone.get_current_timezone()
        )
        earliest = min(midnight + timedelta(seconds=number - INTAKES + WAITING_TODAY + 1), now)
        return max(now - timedelta(minutes=25 * (INTAKES - number)), earliest)
    days_ago = DAYS - 1 - number * (DAYS - 2) // (INTAKES - WAITING_TODAY - 1)
    day = timezone.localdate(now) - timedelta(days=days_ago)
    local = datetime(day.year, day.month, day.day, 8, 0, tzinfo=timezone.get_current_timezone())
    return local + timedelta(minutes=(number * 47) % 390)


def _at(moment: datetime, now: datetime) -> datetime:
    """A step's moment, never later than now."""
    return min(moment, now - timedelta(minutes=1))


def load() -> bool:
    """Set up the demo service office once; returns False when service points already exist."""
    if ServicePoint.objects.exists():
        return False
    users = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
    if set(users) != set(_USERNAMES):
        return False
    admin = users["admin"]
    now = timezone.now()
    today = timezone.localdate()
    maros = Area.objects.get(code="73.09")
    with demo_clock(now - timedelta(days=DAYS + 30)):
        slrt = actions.create_service_point(
            admin,
            name="SLRT Dinas Sosial Kabupaten Maros",
            kind="slrt",
            area=maros,
            address="Jl. Jenderal Sudirman, Maros",
            opening_hours="Senin–Jumat 08.00–15.00",
        )
        for username, role in (
            ("dewi", "front_office"),
            ("andi", "social_worker"),
            ("admin", "supervisor"),
            ("admin", "manager"),
        ):
            actions.add_staff(admin, slrt, users[username], role)
        moncongloe = Area.objects.filter(code="73.09.13").first()
        if moncongloe is not None:
            puskesos = actions.create_service_point(
                admin, name="Puskesos Moncongloe", kind="puskesos", area=moncongloe
            )
            actions.add_staff(admin, puskesos, users["syamsul"], "tksk")
        services = _partners(admin, maros, users["lina"], today)
    people = list(
        Person.objects.filter(
            area_code__prefix="73.09.", status="active", relationship=Relationship.HEAD
        )
        .order_by("id")
        .only("id", "area_code")[:INTAKES]
    )
    for number, person in enumerate(people):
        _story(number, person, users, slrt, services, now)
    return True


def _story(number: int, person, users, slrt, services, now: datetime) -> None:
    """One intake and as far as its case has gone, each step at its own moment."""
    need, channel, kind, told = STORIES[number % len(STORIES)]
    front, worker, admin = users["dewi"], users["andi"], users["admin"]
    received = _received_at(number, now)
    with demo_clock(received):
        intake = actions.create_intake(
            front,
            service_point=slrt,
            kind=kind,
            channel="walk_in" if number >= INTAKES - WAITING_TODAY else channel,
            subject=actions.Subject(person=person),
            needs=[(need, "")],
            description=told,
            urgency=_urgency(number),
            confirm_duplicate=True,
        )
    if number >= INTAKES - WAITING_TODAY:
        return  # still waiting at the desk
    if number % 6 == 5:
        with demo_clock(_at(received + timedelta(minutes=20 + number % 40), now)):
            actions.resolve_at_desk(front, intake, "Informasi syarat dan alamat layanan diberikan")
        return
    with demo_clock(_at(received + timedelta(minutes=10 + number % 30), now)):
        case = actions.open_case(front, intake, assign_to=worker)
    hours = FIRST_ACTION_HOURS[number % len(FIRST_ACTION_HOURS)]
    first = _at(received + timedelta(hours=hours), now)
    with demo_clock(first):
        actions.save_assessment(worker, case, need, {"situation": told})
    age = now - received
    step = _at(first + timedelta(days=1), now)
    if number % 3 == 0:
        with demo_clock(step):
            goal = actions.add_goal(worker, case, description=told, need_area=need)
            actions.add_plan_action(
                worker,
                goal,
                description="Kunjungan rumah dan pengumpulan dokumen",
                responsible="Pekerja sosial",
                due_on=timezone.localdate() + timedelta(days=7),
            )
            actions.submit_plan(worker, case)
        if age > timedelta(days=10):  # the newer plans wait for the supervisor (admin)
            with demo_clock(_at(step + timedelta(hours=20), now)):
                actions.decide_plan(admin, case, approve=True, comment="Rencana sesuai asesmen")
    if number % 5 == 1 and age > timedelta(days=20):
        # A home visit that was due weeks ago and is still not done: the overdue list shows it.
        with demo_clock(step):
            actions.add_task(
                worker, case, title="Kunjungan rumah", due_on=timezone.localdate() + timedelta(3)
            )
    else:
        actions.add_task(
            worker,
            case,
            title="Kunjungan rumah",
            due_on=timezone.localdate() + timedelta(days=number % 6 + 1),
        )
    service = services.get(need)
    if service is not None and number % 2 == 0:
        _refer(worker, users["lina"], case, service, need, told, sent=step, now=now)
    if need in ("rehabilitation", "protection"):
        with demo_clock(step):
            actions.record_counselling(
                worker,
                case,
                held_on=timezone.localdate(),
                participants="Kepala keluarga, istri, anak sulung",
                issues=told,
                agreed_steps="Keluarga membuat jadwal pendampingan bergantian",
                next_session_on=timezone.localdate() + timedelta(days=14),
            )


# need served, agency, agency kind, the agency's service, days to respond, days to complete
PARTNERS = [
    (
        "health",
        "Dinas Kesehatan Kabupaten Maros",
        "health",
        "Pemeriksaan dan pengobatan gratis (puskesmas/RSUD)",
        3,
        14,
    ),
    (
        "civil_documents",
        "Disdukcapil Kabupaten Maros",
        "dukcapil",
        "Penerbitan KTP-el, KK dan akta kelahiran",
        2,
        5,
    ),
    (
        "education",
        "Dinas Pendidikan Kabupaten Maros",
        "education",
        "Program Indonesia Pintar dan sekolah kembali",
        5,
        30,
    ),
]


def _partners(admin, maros: Area, lina, today: date) -> dict[str, PartnerService]:
    """The partner agencies and their services, by the need each serves; dr. Lina works the
    health agency's inbox under a cooperation agreement."""
    services = {}
    for need, agency_name, kind, service_name, respond, complete in PARTNERS:
        agency = actions.create_partner(admin, name=agency_name, kind=kind, area=maros)
        services[need] = actions.save_partner_service(
            admin,
            agency,
            name=service_name,
            need_areas=[need],
            respond_days=respond,
            complete_days=complete,
        )
    health = services["health"].agency
    actions.add_partner_member(admin, health, lina, "Kepala Seksi Pelayanan Kesehatan")
    actions.create_agreement(
        admin,
        number="119/PKS/DINSOS-DINKES/2024",
        title="Rujukan layanan kesehatan bagi warga miskin dan rentan",
        agency=health,
        parties=f"Dinas Sosial Kabupaten Maros\n{health.name}",
        area=maros,
        signed_on=min(date(2024, 1, 15), today),
    )
    return services


def _refer(worker, lina, case, service: PartnerService, need, told, *, sent, now) -> None:
    """Sent with consent; dr. Lina answers for the health agency: older referrals are completed,
    some accepted and still in service, recent ones wait for her answer (and, past the days the
    agreement gives her, are overdue). The other agencies have no user in the demo: their
    referrals stay unanswered and become overdue."""
    with demo_clock(sent):
        referral = actions.create_referral(
            worker,
            case,
            service,
            need_area=need,
            need=told,
            done_so_far="Asesmen di kantor dan kunjungan rumah",
            request="Mohon layanan sesuai kebutuhan di atas",
        )
        actions.record_consent(worker, referral, consent_by="self", method="signed")
        actions.send_referral(worker, referral)
    if need != "health":
        return
    age = now - sent
    if age > timedelta(days=40):
        with demo_clock(_at(sent + timedelta(days=1, hours=3), now)):
            actions.partner_move(lina, referral, "accept")
        with demo_clock(_at(sent + timedelta(days=9), now)):
            actions.partner_move(lina, referral, "complete", "Sudah diperiksa dan diobati")
    elif age > timedelta(days=25):
        with demo_clock(_at(sent + timedelta(days=2), now)):
            actions.partner_move(lina, referral, "accept")
