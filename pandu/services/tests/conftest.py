"""The service's own world on top of the shared personas.

The SLRT secretariat of Maros has Ibu Dewi (``front_office``) at the desk, Pak Andi
(``social_worker``) and a second worker (``worker2``) doing casework, and the administrator
(``admin_maros``) as their supervisor. The Puskesos of Moncongloe has the TKSK. Dinas Kesehatan
Maros takes health referrals and dr. Lina (``partner``) works its inbox; Dukcapil has its own
partner user (``partner_dukcapil``). Makassar has its own point, partner and case.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.cache import cache

from pandu.conftest import LAPPARA, MAKASSAR_VILLAGE, PASSWORD
from pandu.regions.models import Area
from pandu.services import actions
from pandu.services.models import PartnerAgency, PartnerService, ServicePoint


@dataclass
class World:
    slrt: ServicePoint
    puskesos: ServicePoint
    mk_slrt: ServicePoint
    dinkes: PartnerAgency
    health: PartnerService
    dukcapil: PartnerAgency
    civil: PartnerService
    mk_dinkes: PartnerAgency
    mk_health: PartnerService
    users: dict


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(personas) -> World:
    from pandu.accounts.models import User
    from pandu.registry.reference import load_reference_data

    # A transactional (browser) test elsewhere may have flushed the migrations' reference rows.
    load_reference_data()
    admin, mk_admin = personas["admin_maros"], personas["admin_makassar"]
    users = dict(personas)
    users["worker2"] = User.objects.create_user(
        "worker2", password=PASSWORD, role="social_worker", area_id="73.09"
    )
    users["partner_dukcapil"] = User.objects.create_user(
        "partner_dukcapil", password=PASSWORD, role="partner", area_id="73.09"
    )
    users["partner_makassar"] = User.objects.create_user(
        "partner_makassar", password=PASSWORD, role="partner", area_id="73.71"
    )
    users["worker_makassar"] = User.objects.create_user(
        "worker_makassar", password=PASSWORD, role="social_worker", area_id="73.71"
    )
    maros = Area.objects.get(code="73.09")
    makassar = Area.objects.get(code="73.71")
    slrt = actions.create_service_point(
        admin,
        name="SLRT Dinas Sosial Maros",
        kind="slrt",
        area=maros,
        address="Jl. Jenderal Sudirman No. 1, Maros",
        opening_hours="Senin–Jumat 08.00–15.00",
    )
    puskesos = actions.create_service_point(
        admin, name="Puskesos Moncongloe", kind="puskesos", area=Area.objects.get(code="73.09.13")
    )
    for who, role in (
        ("front_office", "front_office"),
        ("social_worker", "social_worker"),
        ("worker2", "social_worker"),
        ("admin_maros", "supervisor"),
        ("admin_maros", "manager"),
    ):
        actions.add_staff(admin, slrt, users[who], role)
    actions.add_staff(admin, puskesos, users["tksk_moncongloe"], "tksk")
    mk_slrt = actions.create_service_point(
        mk_admin, name="SLRT Dinas Sosial Makassar", kind="slrt", area=makassar
    )
    actions.add_staff(mk_admin, mk_slrt, users["worker_makassar"], "social_worker")

    dinkes = actions.create_partner(
        admin, name="Dinas Kesehatan Kabupaten Maros", kind="health", area=maros
    )
    health = actions.save_partner_service(
        admin,
        dinkes,
        name="Pemeriksaan dan pengobatan gratis",
        need_areas=["health"],
        respond_days=3,
        complete_days=10,
    )
    actions.add_partner_member(admin, dinkes, users["partner"], "Kepala Seksi Yankes")
    dukcapil = actions.create_partner(
        admin, name="Disdukcapil Kabupaten Maros", kind="dukcapil", area=maros
    )
    civil = actions.save_partner_service(
        admin,
        dukcapil,
        name="Penerbitan KTP-el, KK dan akta",
        need_areas=["civil_documents"],
        respond_days=2,
        complete_days=5,
    )
    actions.add_partner_member(admin, dukcapil, users["partner_dukcapil"])
    mk_dinkes = actions.create_partner(
        mk_admin, name="Dinas Kesehatan Kota Makassar", kind="health", area=makassar
    )
    mk_health = actions.save_partner_service(
        mk_admin, mk_dinkes, name="Layanan puskesmas", need_areas=["health"]
    )
    actions.add_partner_member(mk_admin, mk_dinkes, users["partner_makassar"])
    return World(
        slrt=slrt,
        puskesos=puskesos,
        mk_slrt=mk_slrt,
        dinkes=dinkes,
        health=health,
        dukcapil=dukcapil,
        civil=civil,
        mk_dinkes=mk_dinkes,
        mk_health=mk_health,
        users=users,
    )


def unregistered(name="Daeng Baji", born=date(1970, 3, 4), village=LAPPARA, **kw):
    return actions.Subject(
        name=name,
        birth_date=born,
        sex=kw.pop("sex", "L"),
        village=Area.objects.get(code=village),
        address=kw.pop("address", "Dusun Lappara RT 2"),
        propose_to_registry=True,
        **kw,
    )


@pytest.fixture
def make_intake(world):
    """An intake through the real action (front office of Maros unless said otherwise)."""

    def make(
        subject=None,
        needs=("health",),
        user=None,
        point=None,
        confirm=True,
        description="Sakit paru, tidak punya biaya berobat",
        **kw,
    ):
        return actions.create_intake(
            user or world.users["front_office"],
            service_point=point or world.slrt,
            kind=kw.pop("kind", "permohonan"),
            channel=kw.pop("channel", "walk_in"),
            subject=subject or unregistered(),
            needs=[(n, "") for n in needs],
            description=description,
            confirm_duplicate=confirm,
            **kw,
        )

    return make


@pytest.fixture
def make_case(world, make_intake):
    """An open case assigned to Pak Andi (or ``worker``)."""

    def make(worker=None, **kw):
        intake = make_intake(**kw)
        return actions.open_case(
            world.users["front_office"], intake, assign_to=worker or world.users["social_worker"]
        )

    return make


@pytest.fixture
def mk_case(world):
    """A case in Makassar, out of every Maros persona's reach."""
    mk = world.users["admin_makassar"]
    intake = actions.create_intake(
        mk,
        service_point=world.mk_slrt,
        kind="permohonan",
        channel="walk_in",
        subject=unregistered("Andi Makkasau", village=MAKASSAR_VILLAGE),
        needs=[("health", "")],
        description="Butuh layanan kesehatan",
    )
    return actions.open_case(mk, intake, assign_to=world.users["worker_makassar"])
