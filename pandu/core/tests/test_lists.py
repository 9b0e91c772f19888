"""Every list page is bounded: at most 200 rows a page, whatever ``per_page`` or ``page`` says.

A whole area's people are an export (logged as one), never one page; a ``per_page`` or ``page``
that is not a positive whole number shows the default page, not an error.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from pandu.core.lists import MAX_PER_PAGE, rows_per_page
from pandu.core.models import AccessLog
from pandu.registry.models import Person

pytestmark = pytest.mark.django_db

NIK_CELL = re.compile(r'<td class="nik"[^>]*>\s*\d{16}\s*</td>')


@pytest.fixture
def moncongloe(areas):
    """About 300 generated people in Moncongloe (73.09.13), more than the biggest page."""
    call_command(
        "generate_registry",
        "--region",
        "73.09.13",
        "--households",
        "80",
        "--seed",
        "14",
        "--single-process",
        verbosity=0,
    )
    assert Person.objects.count() > MAX_PER_PAGE
    return Person.objects.count()


@pytest.fixture
def admin(personas) -> Client:
    client = Client()
    client.force_login(personas["admin_maros"])
    return client


def nik_rows(response) -> int:
    return len(NIK_CELL.findall(response.content.decode()))


def test_per_page_100000_on_the_person_list_shows_200_people_and_points_to_the_export(
    admin, moncongloe
):
    response = admin.get(reverse("registry:person_list"), {"per_page": "100000"})
    assert response.status_code == 200
    assert nik_rows(response) == MAX_PER_PAGE
    page = response.content.decode()
    assert "Paling banyak 200 baris per halaman" in page
    assert reverse("exchange:export_persons") in page
    # A capped page is not an export: nothing is written to the export log.
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).exists()


@pytest.mark.parametrize("per_page", ["-5", "0", "abc", "1e3", "", "9" * 40, "٢٠"])
def test_a_per_page_that_is_not_a_positive_number_shows_the_default_page(
    admin, moncongloe, per_page
):
    response = admin.get(reverse("registry:person_list"), {"per_page": per_page})
    assert response.status_code == 200
    assert nik_rows(response) == 50


@pytest.mark.parametrize("page", ["-1", "0", "abc", "9" * 40, "99999999999"])
def test_a_page_number_that_is_not_usable_shows_the_first_page(admin, moncongloe, page):
    response = admin.get(reverse("registry:person_list"), {"page": page})
    assert response.status_code == 200
    assert nik_rows(response) == 50


def test_a_small_per_page_is_honoured_and_the_next_page_continues_the_list(admin, moncongloe):
    first = admin.get(reverse("registry:person_list"), {"per_page": "20"})
    second = admin.get(reverse("registry:person_list"), {"per_page": "20", "page": "2"})
    assert nik_rows(first) == nik_rows(second) == 20
    assert set(NIK_CELL.findall(first.content.decode())).isdisjoint(
        NIK_CELL.findall(second.content.decode())
    )
    assert "page=2" in first.content.decode()


@pytest.mark.parametrize(
    "url",
    ["registry:household_list", "registry:flagged", "registry:psks_list"],
)
@pytest.mark.parametrize("per_page", ["100000", "-5", "abc"])
def test_other_registry_lists_take_any_per_page_without_an_error(admin, moncongloe, url, per_page):
    response = admin.get(reverse(url), {"per_page": per_page, "orang-per_page": per_page})
    assert response.status_code == 200


def test_the_household_list_is_capped_too(admin, moncongloe):
    response = admin.get(reverse("registry:household_list"), {"per_page": "100000"})
    rows = re.findall(r'<td class="nik"[ >]', response.content.decode())
    assert 0 < len(rows) <= MAX_PER_PAGE


class _Get:
    def __init__(self, **params):
        self.GET = params


@pytest.mark.parametrize(
    "raw,expected",
    [
        (None, (50, False)),
        ("20", (20, False)),
        ("200", (200, False)),
        ("201", (200, True)),
        ("100000", (200, True)),
        ("-5", (50, False)),
        ("0", (50, False)),
        (" 30 ", (30, False)),
        ("3.5", (50, False)),
    ],
)
def test_rows_per_page_reads_the_query_string(raw, expected):
    params = {} if raw is None else {"per_page": raw}
    assert rows_per_page(_Get(**params)) == expected


# --- The list of background jobs ------------------------------------------------------------


def jobs_of(user, n: int, start: int = 0) -> None:
    """Finished jobs as the queue leaves them (rows only)."""
    from pandu.core.models import Job

    Job.objects.bulk_create(
        Job(kind="export", title=f"Ekspor nomor {i}.", created_by=user, status="succeeded")
        for i in range(start, start + n)
    )


JOB_ROW = re.compile(r"Ekspor nomor (\d+)\.")


def test_more_jobs_than_a_page_have_a_next_page(admin, personas):
    jobs_of(personas["admin_maros"], 120)
    first = JOB_ROW.findall(admin.get(reverse("core:job_list")).content.decode())
    assert len(first) == 50 and first[0] == "119"
    third = JOB_ROW.findall(admin.get(reverse("core:job_list"), {"page": "3"}).content.decode())
    assert len(third) == 20


@pytest.mark.parametrize("per_page,rows", [("100000", 200), ("-5", 50), ("abc", 50)])
def test_per_page_is_capped_and_checked_on_the_jobs(admin, personas, per_page, rows):
    jobs_of(personas["admin_maros"], 210)
    response = admin.get(reverse("core:job_list"), {"per_page": per_page})
    assert response.status_code == 200
    assert len(JOB_ROW.findall(response.content.decode())) == rows


def test_the_jobs_cost_the_same_queries_for_5_or_60(admin, personas, django_assert_max_num_queries):
    jobs_of(personas["admin_maros"], 5)
    admin.get(reverse("core:job_list"))  # the session is read once per client
    with django_assert_max_num_queries(12) as few:
        assert len(JOB_ROW.findall(admin.get(reverse("core:job_list")).content.decode())) == 5
    jobs_of(personas["admin_maros"], 55, start=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(JOB_ROW.findall(admin.get(reverse("core:job_list")).content.decode())) == 50


def test_a_page_deeper_than_any_list_says_why_it_shows_the_first_page(admin, moncongloe):
    response = admin.get(reverse("registry:person_list"), {"page": "99999999999"})
    assert nik_rows(response) == 50
    assert "Halaman sejauh itu tidak ditampilkan" in response.content.decode()


def test_the_export_link_of_a_capped_page_keeps_the_filters_but_never_a_number(admin, moncongloe):
    kk = Person.objects.select_related("household").first().household.kk_number
    response = admin.get(
        reverse("registry:person_list"), {"per_page": "100000", "sex": "P", "kk": kk}
    )
    links = re.findall(r'<a href="([^"]*)">Ekspor</a>', response.content.decode())
    assert links and all("sex=P" in link and kk not in link for link in links)
