"""List rows are built in one pass (``core/templatetags/pandu_tables.py``); the markup must be
exactly what django-tables2's own per-cell loop writes, on every service list and the registry's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pandu.core.templatetags.pandu_tables import rows_html
from pandu.services import actions
from pandu.services.models import Task

from .conftest import unregistered

pytestmark = pytest.mark.django_db

# The library's loop, as core/table.html rendered each row before.
LIBRARY_ROWS = Template(
    "{% load l10n %}{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>"
    "{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }} "
    'data-label="{{ column.header|striptags }}">{% if column.localize == None %}{{ cell }}'
    "{% else %}{% if column.localize %}{{ cell|localize }}{% else %}{{ cell|unlocalize }}"
    "{% endif %}{% endif %}</td>{% endfor %}</tr>{% endfor %}"
)


def both_renderings(user, url: str, **params) -> tuple[str, str, int]:
    client = Client()
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    table = response.context["table"]
    rows = list(table.paginated_rows)
    library = LIBRARY_ROWS.render(Context({"table": table}))
    return str(rows_html(table, table.paginated_rows, Context())), library, len(rows)


@pytest.fixture
def busy_office(world, make_case, make_intake):
    """Open cases (one sensitive), overdue follow-ups, sent and answered referrals, new intakes."""
    worker = world.users["social_worker"]
    cases = [make_case(subject=unregistered(f"Warga Ke {i}")) for i in range(4)]
    cases.append(make_case(subject=unregistered("Warga Terlindungi"), sensitive_topic="violence"))
    for case in cases[:3]:
        actions.add_task(worker, case, title="Kunjungan rumah", due_on=timezone.localdate())
    Task.objects.update(due_on=timezone.localdate() - timedelta(days=4))
    for case in cases[:2]:
        referral = actions.create_referral(
            worker, case, world.health, need_area="health", need="Berobat paru", request="Periksa"
        )
        actions.record_consent(worker, referral, consent_by="self", method="signed")
        actions.send_referral(worker, referral)
    make_intake(subject=unregistered("Baru Datang"))
    return cases


@pytest.mark.parametrize(
    "who,name",
    [
        ("social_worker", "services:case_list"),
        ("admin_maros", "services:case_list"),
        ("social_worker", "services:overdue"),
        ("front_office", "services:intake_list"),
        ("partner", "services:inbox"),
        ("admin_maros", "services:point_list"),
        ("admin_maros", "services:partner_list"),
    ],
)
def test_service_lists_render_the_same_rows_as_the_library(world, busy_office, who, name):
    lean, library, n = both_renderings(world.users[who], reverse(name), lingkup="semua")
    assert n > 0
    assert lean == library


def test_registry_lists_render_the_same_rows_as_the_library(personas, household_factory):
    for _ in range(3):
        household_factory()
    for name in ("registry:household_list", "registry:person_list"):
        lean, library, n = both_renderings(personas["admin_maros"], reverse(name))
        assert n > 0
        assert lean == library
