"""The service's lists are bounded lists like every other: a list longer than a page has a next
page (they used to stop at 100 rows, without a word), ``per_page`` is capped at 200 and checked,
and a page costs the same queries for a few rows as for many."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pandu.regions.models import Area
from pandu.services import actions
from pandu.services.models import Task

from .conftest import unregistered

pytestmark = pytest.mark.django_db

TICKET = re.compile(r"SLRT-[0-9A-Z-]+?-(\d{6})\b")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tickets(response) -> set[str]:
    assert response.status_code == 200
    return set(TICKET.findall(response.content.decode()))


@pytest.fixture
def many_cases(world, make_case):
    """101 open cases of Pak Andi (social_worker), each from its own intake."""
    return [make_case(subject=unregistered(f"Orang Ke {i}")) for i in range(101)]


def test_more_than_100_intakes_show_a_next_page_and_the_last_one_is_on_it(world, many_cases):
    desk = client_for(world.users["front_office"])
    first = desk.get(reverse("services:intake_list"))
    assert len(tickets(first)) == 50
    assert "page=2" in first.content.decode()
    seen = set()
    for page in ("1", "2", "3"):
        seen |= tickets(desk.get(reverse("services:intake_list"), {"page": page}))
    assert len(seen) == 101


def test_more_than_100_cases_show_a_next_page(world, many_cases):
    andi = client_for(world.users["social_worker"])
    first = andi.get(reverse("services:case_list"))
    assert len(tickets(first)) == 50 and "page=2" in first.content.decode()
    last = andi.get(reverse("services:case_list"), {"page": "3"})
    assert len(tickets(last)) == 1


@pytest.mark.parametrize("per_page,rows", [("100000", 101), ("-5", 50), ("abc", 50), ("0", 50)])
def test_per_page_is_capped_and_checked_on_the_service_lists(world, many_cases, per_page, rows):
    for who, name in (("front_office", "intake_list"), ("social_worker", "case_list")):
        url = reverse(f"services:{name}")
        response = client_for(world.users[who]).get(url, {"per_page": per_page})
        assert len(tickets(response)) == rows, (name, per_page)


def test_the_case_list_keeps_its_filters_on_the_next_page(world, many_cases):
    andi = client_for(world.users["social_worker"])
    first = andi.get(reverse("services:case_list"), {"lingkup": "semua", "status": "aktif"})
    page = first.content.decode()
    assert "lingkup=semua" in page and "page=2" in page


@pytest.fixture
def sent_referrals(world, make_case):
    """60 referrals sent to the health office (Bu Lina's inbox)."""
    worker = world.users["social_worker"]
    for i in range(60):
        case = make_case(subject=unregistered(f"Pasien Ke {i}"))
        referral = actions.create_referral(
            worker, case, world.health, need_area="health", need="x", request="y"
        )
        actions.record_consent(worker, referral, consent_by="self", method="signed")
        actions.send_referral(worker, referral)


def test_a_partner_inbox_longer_than_a_page_has_a_next_page(world, sent_referrals):
    lina = client_for(world.users["partner"])
    first = lina.get(reverse("services:inbox")).content.decode()
    numbers = re.findall(r'href="/layanan/masuk/[0-9a-f-]{36}/"', first)
    assert len(numbers) == 50 and "page=2" in first
    second = lina.get(reverse("services:inbox"), {"page": "2", "status": "terbuka"}).content
    assert len(re.findall(rb'href="/layanan/masuk/[0-9a-f-]{36}/"', second)) == 10


def test_the_overdue_follow_ups_are_paged_too(world, make_case):
    worker = world.users["social_worker"]
    case = make_case()
    for i in range(60):
        actions.add_task(worker, case, title=f"Kunjungan ke-{i}", due_on=timezone.localdate())
    Task.objects.update(due_on=timezone.localdate() - timedelta(days=3))
    page = client_for(worker).get(reverse("services:overdue")).content.decode()
    assert len(re.findall(r"Kunjungan ke-\d+", page)) == 50
    assert "page=2" in page


def test_service_points_partners_and_agreements_are_paged(world):
    admin = world.users["admin_maros"]
    maros, moncongloe = Area.objects.get(code="73.09"), Area.objects.get(code="73.09.13")
    for i in range(55):
        actions.create_service_point(
            admin, name=f"Pos Pelayanan {i}", kind="puskesos", area=moncongloe
        )
        actions.create_partner(admin, name=f"Lembaga Mitra {i}", kind="lks", area=maros)
    client = client_for(admin)
    points = client.get(reverse("services:point_list")).content.decode()
    assert "page=2" in points
    more = client.get(reverse("services:point_list"), {"page": "2"}).content.decode()
    assert len(set(re.findall(r"Pos Pelayanan \d+", points + more))) == 55
    partners = [
        client.get(reverse("services:partner_list"), {"page": n}).content.decode() for n in "12"
    ]
    assert "page=2" in partners[0]
    assert len(set(re.findall(r"Lembaga Mitra \d+", "".join(partners)))) == 55


def _agreements(world, n: int, start: int = 0) -> None:
    admin = world.users["admin_maros"]
    for i in range(start, start + n):
        actions.create_agreement(
            admin,
            number=f"PKS-{i:03d}/2026",
            title=f"Kerja sama layanan {i}",
            agency=world.dinkes,
            area=Area.objects.get(code="73.09"),
            parties="Dinas Sosial dan Dinas Kesehatan Kabupaten Maros",
            signed_on=date(2025, 1, 5),
        )


@pytest.mark.parametrize(
    "who,name",
    [
        ("admin_maros", "services:point_list"),
        ("admin_maros", "services:partner_list"),
        ("admin_maros", "services:agreement_list"),
    ],
)
def test_setup_lists_cost_the_same_queries_for_few_or_many_rows(
    world, who, name, django_assert_max_num_queries
):
    admin = world.users["admin_maros"]
    maros, moncongloe = Area.objects.get(code="73.09"), Area.objects.get(code="73.09.13")
    client = client_for(world.users[who])
    _agreements(world, 2)
    client.get(reverse(name))  # the session is read once per client
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse(name)).status_code == 200
    for i in range(12):
        actions.create_service_point(admin, name=f"Pos {i}", kind="puskesos", area=moncongloe)
        partner = actions.create_partner(admin, name=f"Mitra {i}", kind="lks", area=maros)
        actions.save_partner_service(
            admin, partner, name=f"Layanan {i}", need_areas=["health"], respond_days=3
        )
    _agreements(world, 12, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(name)).status_code == 200
