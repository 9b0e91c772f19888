"""A case's plan summary written by two people at once: the second one is shown the first one's
text and who wrote it, with their own text kept in the form; nothing is overwritten unseen."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from pandu.conftest import browser_data
from pandu.services.forms import PlanSummaryForm
from pandu.services.models import Case

pytestmark = pytest.mark.django_db


def _opened(case: Case, **changes) -> dict:
    """The summary form as the case page showed it, with the user's text."""
    fresh = Case.objects.get(pk=case.pk)
    return browser_data(PlanSummaryForm(case=fresh, versioned=True), **changes)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_case_page_carries_the_summarys_version(world, make_case):
    case = make_case()
    page = _client(world.users["social_worker"]).get(
        reverse("services:case_detail", args=[case.uid])
    )
    body = page.content.decode()
    assert f'name="version" value="{case.version}"' in body and 'name="version_seen"' in body


def test_a_summary_written_meanwhile_is_shown_not_overwritten(world, make_case):
    case = make_case()
    shown = case.version
    worker, supervisor = world.users["social_worker"], world.users["admin_maros"]
    url = reverse("services:case_plan_summary", args=[case.uid])
    workers_page = _opened(case, plan_summary="Pendampingan berobat ke RSUD Maros")
    supervisors_page = _opened(case, plan_summary="Rujuk ke Dinas Kesehatan")

    saved = _client(worker).post(url, workers_page)
    refused = _client(supervisor).post(url, supervisors_page)

    assert saved.status_code == 302
    assert refused.status_code == 200
    text = html.unescape(refused.content.decode())
    assert "Data ini sudah diubah orang lain sejak Anda membukanya" in text
    assert (
        "Ringkasan rencana kini “Pendampingan berobat ke RSUD Maros”, diubah oleh social_worker"
        in text
    )
    assert "Rujuk ke Dinas Kesehatan</textarea>" in text  # the supervisor's text is kept
    case.refresh_from_db()
    assert case.plan_summary == "Pendampingan berobat ke RSUD Maros"
    assert case.version == shown + 1
    # Saved again from the page it was shown on, the supervisor's text is written.
    again = _client(supervisor).post(url, browser_data(refused.context["summary_form"]))
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.plan_summary == "Rujuk ke Dinas Kesehatan" and case.version == shown + 2


def test_a_summary_sent_back_unchanged_writes_nothing(world, make_case):
    case = make_case()
    shown, rows = case.version, case.history.count()
    url = reverse("services:case_plan_summary", args=[case.uid])
    response = _client(world.users["social_worker"]).post(url, _opened(case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.version == shown and case.history.count() == rows


def test_a_summary_without_its_version_is_refused(world, make_case):
    case = make_case()
    url = reverse("services:case_plan_summary", args=[case.uid])
    response = _client(world.users["social_worker"]).post(url, {"plan_summary": "Teks"})
    assert response.status_code == 200
    assert "Muat ulang halaman" in html.unescape(response.content.decode())
    case.refresh_from_db()
    assert case.plan_summary == ""
