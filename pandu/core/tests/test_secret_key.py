"""The development SECRET_KEY in the repository must never sign a production site's sessions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core import checks

ROOT = Path(settings.BASE_DIR)


def _deploy_errors() -> list[str]:
    return [m.id for m in checks.run_checks(include_deployment_checks=True) if m.is_serious()]


def test_the_deploy_check_refuses_the_development_key_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.PANDU_DEVELOPMENT_KEY
    assert "pandu.E001" in _deploy_errors()


def test_the_deploy_check_accepts_a_key_of_the_sites_own(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "site-own-" + "k3y" * 20
    assert "pandu.E001" not in _deploy_errors()


def test_development_with_debug_on_may_use_the_committed_key(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = settings.PANDU_DEVELOPMENT_KEY
    assert "pandu.E001" not in _deploy_errors()


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "pandu.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_check_deploy_fails_without_a_secret_key():
    result = _run(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy'])",
        DEBUG="0",
        ALLOWED_HOSTS="pandu.example.go.id",
    )
    assert result.returncode != 0
    assert "pandu.E001" in result.stderr


def test_a_site_declared_secure_does_not_start_with_the_development_key():
    result = _run("import django; django.setup()", DEBUG="0", PANDU_SECURE="1")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr
