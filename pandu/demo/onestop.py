"""The one-stop service part of the Maros demo (``manage.py load_demo``).

Everything is written through the service actions, by the demo users who would do it at the
office, so histories, case trails, ticket numbers and the dashboard's tallies are what real use
would leave: the SLRT of Maros and the Puskesos of Moncongloe with their staff, three partner
agencies with their services and an agreement, and a dozen intakes of registered people at
every stage (answered at the desk, assessed, planned and approved, referred with consent,
accepted and completed by the partner, counselled).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from pandu.accounts.models import User
from pandu.regions.models import Area
from pandu.registry.choices import Relationship
from pandu.registry.models import Person
from pandu.services import actions
from pandu.services.models import PartnerService, ServicePoint

# (need, channel, kind, what was told at the desk); the index also sets how far the case goes.
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


_USERNAMES = ("admin", "dewi", "andi", "syamsul", "lina")


def load() -> bool:
    """Set up the demo service office once; returns False when service points already exist."""
    if ServicePoint.objects.exists():
        return False
    users = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
    if set(users) != set(_USERNAMES):
        return False
    admin = users["admin"]
    today = timezone.localdate()
    maros = Area.objects.get(code="73.09")
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
        .only("id", "area_code")[: len(STORIES)]
    )
    front, worker = users["dewi"], users["andi"]
    for number, (person, story) in enumerate(zip(people, STORIES, strict=False)):
        need, channel, kind, told = story
        intake = actions.create_intake(
            front,
            service_point=slrt,
            kind=kind,
            channel=channel,
            subject=actions.Subject(person=person),
            needs=[(need, "")],
            description=told,
            confirm_duplicate=True,
        )
        if number % 6 == 5:
            actions.resolve_at_desk(front, intake, "Informasi syarat dan alamat layanan diberikan")
            continue
        if number % 6 == 4:
            continue  # still waiting at the desk
        case = actions.open_case(front, intake, assign_to=worker)
        actions.save_assessment(worker, case, need, {"situation": told})
        if number % 3 == 0:
            goal = actions.add_goal(worker, case, description=told, need_area=need)
            actions.add_plan_action(
                worker,
                goal,
                description="Kunjungan rumah dan pengumpulan dokumen",
                responsible="Pekerja sosial",
                due_on=today + timedelta(days=7),
            )
            actions.submit_plan(worker, case)
            actions.decide_plan(admin, case, approve=True, comment="Rencana sesuai asesmen")
        actions.add_task(
            worker, case, title="Kunjungan rumah", due_on=today + timedelta(days=number % 4 + 1)
        )
        service = services.get(need)
        if service is not None and number % 2 == 0:
            _refer(worker, users["lina"], case, service, need, told, step=number)
        if need in ("rehabilitation", "protection"):
            actions.record_counselling(
                worker,
                case,
                held_on=today,
                participants="Kepala keluarga, istri, anak sulung",
                issues=told,
                agreed_steps="Keluarga membuat jadwal pendampingan bergantian",
                next_session_on=today + timedelta(days=14),
            )
    return True


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


def _refer(worker, lina, case, service: PartnerService, need: str, told: str, *, step: int):
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
    if need == "health":  # dr. Lina answers for the health agency
        if step % 4 == 0:
            actions.partner_move(lina, referral, "accept")
        if step == 0:
            actions.partner_move(lina, referral, "complete", "Sudah diperiksa dan diobati")
