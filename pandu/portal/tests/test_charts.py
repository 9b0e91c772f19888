"""The head of office's and administrator's pictures on the front page: intake trends by month,
districts compared, PPKS and desil distributions, each as a chart spec in a JSON block (the CSP
allows no inline script); a visible note when sensitive PPKS categories are left out; and in a
real browser the charts are drawn from the locally served Chart.js without a CSP error."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from pandu.conftest import LAPPARA
from pandu.core.tests.browser import CHROMIUM, DESKTOP, Session, chromium
from pandu.registry import actions
from pandu.registry.models import PPKSCategory

HOME = reverse("portal:home")


@pytest.fixture(autouse=True)
def _fresh_figures():
    cache.clear()
    yield
    cache.clear()


def _specs(html: str) -> dict[str, dict]:
    blocks = re.findall(
        r'<script id="(chart-[a-z]+)-data" type="application/json">(.*?)</script>', html, re.S
    )
    return {name: json.loads(body) for name, body in blocks}


@pytest.fixture
def registry(personas, household_factory):
    from pandu.registry.reference import load_reference_data

    # A transactional (browser) test that ran before may have flushed the migrations' PPKS rows.
    load_reference_data()
    head = household_factory(LAPPARA, desil=2).members.get(relationship=1)
    for number in (9, 19):  # disability; victim of violence (sensitive)
        actions.assign_ppks(
            personas["admin_maros"],
            category=PPKSCategory.objects.get(number=number),
            person=head,
            identified_on=date.today(),
            source="visit",
        )


@pytest.mark.django_db
def test_the_head_sees_trends_districts_ppks_and_desil_as_charts_with_the_sensitive_note(
    personas, registry, make_intake
):
    make_intake()
    client = Client()
    client.force_login(personas["head"])
    html = client.get(HOME).content.decode()
    specs = _specs(html)
    assert set(specs) == {"chart-months", "chart-districts", "chart-ppks", "chart-desil"}
    assert specs["chart-months"]["type"] == "line" and len(specs["chart-months"]["labels"]) == 12
    assert specs["chart-months"]["values"][-1] == 1  # this month's intake
    assert (
        dict(
            zip(specs["chart-districts"]["labels"], specs["chart-districts"]["values"], strict=True)
        )["Moncongloe"]
        == 1
    )
    assert specs["chart-ppks"]["labels"] == [PPKSCategory.objects.get(number=9).name]
    assert specs["chart-desil"]["labels"] == ["Desil 2"] and specs["chart-desil"]["values"] == [1]
    assert 'data-note="sensitive-hidden"' in html
    assert "vendor/chart.js/chart.umd.min.js" in html and "pandu/charts.js" in html
    assert "<script>" not in html  # no inline script for the CSP to refuse


@pytest.mark.django_db
def test_the_administrator_counts_sensitive_ppks_and_gets_no_note(personas, registry):
    client = Client()
    client.force_login(personas["admin_maros"])
    html = client.get(HOME).content.decode()
    assert len(_specs(html)["chart-ppks"]["labels"]) == 2
    assert 'data-note="sensitive-hidden"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["operator_lappara", "front_office", "partner"])
def test_roles_without_the_head_s_pictures_get_no_charts(personas, registry, who):
    client = Client()
    client.force_login(personas[who])
    html = client.get(HOME).content.decode()
    assert not _specs(html) and "chart.umd.min.js" not in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium")
def test_the_charts_are_drawn_in_a_browser_under_the_csp(live_server, personas, registry):
    messages: list[str] = []
    with chromium() as browser:
        session = Session(browser, live_server.url, "head", DESKTOP)
        session.page.on("console", lambda msg: messages.append(msg.text))
        session.page.goto("/")
        session.page.wait_for_selector('canvas#chart-ppks[data-chart-drawn="true"]')
        drawn = session.page.locator('canvas[data-chart-drawn="true"]').count()
        session.page.goto("/layanan/dasbor/")
        session.page.wait_for_selector('canvas#chart-months[data-chart-drawn="true"]')
        session.close()
    assert drawn == 4
    assert not session.errors
    assert not [m for m in messages if "Content Security Policy" in m], messages
