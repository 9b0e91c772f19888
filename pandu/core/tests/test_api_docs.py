"""The API documentation is for signed-in users and comes from Pandu itself: no file is loaded
from another site, and the page runs no inline script (the CSP allows none)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in_for_the_docs(areas):
    response = Client().get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


def test_anonymous_callers_get_no_schema(areas):
    assert Client().get("/api/schema/").status_code in (401, 403)


def test_signed_in_users_read_the_schema(personas):
    client = Client()
    client.force_login(personas["operator_lappara"])
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"Pandu API" in response.content


def test_the_docs_page_loads_its_assets_from_pandu_and_has_no_inline_script(personas):
    client = Client()
    client.force_login(personas["operator_lappara"])
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every script is a file
    assert "<style" not in html and " style=" not in html
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/").split("?")[0]), source
    script = next(s for s in sources if "script" in s and s.startswith("/api/docs/"))
    init = client.get(script.replace("&amp;", "&"))
    assert init.status_code == 200 and "SwaggerUIBundle" in init.content.decode()
