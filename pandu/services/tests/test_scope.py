"""A user's area bounds every service page, figures included: no area means nothing, never the
whole country."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from pandu.accounts.models import User
from pandu.core.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["services:dashboard", "services:dashboard_xlsx"])
def test_a_head_of_office_without_an_area_gets_no_country_wide_figures(world, make_intake, name):
    make_intake()
    head = User.objects.create_user("kepala_tanpa_wilayah", password="x", role="head", area=None)
    client = Client()
    client.force_login(head)
    response = client.get(reverse(name))
    assert response.status_code == 404
    assert AccessLog.objects.filter(user=head, kind=AccessLog.Kind.DENIED).exists()
