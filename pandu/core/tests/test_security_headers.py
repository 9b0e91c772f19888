"""Every answer carries a Content-Security-Policy that lets pages run only Pandu's own files,
and a Permissions-Policy that turns off what Pandu never uses; no template needs more."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

TEMPLATES = Path(settings.BASE_DIR) / "pandu" / "templates"


def _directives(header: str) -> dict[str, str]:
    parts = (p.strip() for p in header.split(";") if p.strip())
    return {p.split()[0]: " ".join(p.split()[1:]) for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/akun/masuk/", "/api/v1/", "/tidak-ada/"])
def test_every_answer_has_a_self_only_content_security_policy(areas, path):
    response = Client().get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_every_answer_has_a_permissions_policy(areas):
    response = Client().get("/akun/masuk/")
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_has_an_inline_script_or_event_handler():
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in match.group(1):
                found.append(f"{path.relative_to(TEMPLATES)}: inline <script>")
        for match in re.finditer(r"\son[a-z]+\s*=", text):
            found.append(f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}")
    assert not found, found


def test_no_template_has_an_inline_style():
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        if re.search(r"<style\b", text) or re.search(r"\sstyle\s*=", text):
            found.append(str(path.relative_to(TEMPLATES)))
    assert not found, found
