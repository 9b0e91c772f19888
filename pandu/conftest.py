"""Shared test fixtures: a small slice of the official area tree and one persona per role.

Personas work in Kabupaten Maros (73.09) unless their name says otherwise:
  admin_maros, operator_lappara (village 73.09.13.2003), operator_bulu (73.09.13.2002),
  tksk_moncongloe (district 73.09.13), social_worker, front_office, partner, head, auditor,
  and admin_makassar (Kota Makassar 73.71), who must never see anything of Maros.
"""

import os
from datetime import date

import pytest

from pandu.regions.models import Area, Level

AREAS = [
    ("73", "Sulawesi Selatan", Level.PROVINCE, None),
    ("73.09", "Kabupaten Maros", Level.REGENCY, "73"),
    ("73.71", "Kota Makassar", Level.REGENCY, "73"),
    ("73.09.13", "Moncongloe", Level.DISTRICT, "73.09"),
    ("73.09.01", "Mandai", Level.DISTRICT, "73.09"),
    ("73.71.01", "Mariso", Level.DISTRICT, "73.71"),
    ("73.09.13.2001", "Moncongloe", Level.VILLAGE, "73.09.13"),
    ("73.09.13.2002", "Moncongloe Bulu", Level.VILLAGE, "73.09.13"),
    ("73.09.13.2003", "Moncongloe Lappara", Level.VILLAGE, "73.09.13"),
    ("73.09.01.1001", "Hasanuddin", Level.VILLAGE, "73.09.01"),
    ("73.71.01.1001", "Bontorannu", Level.VILLAGE, "73.71.01"),
]

LAPPARA = "73.09.13.2003"
BULU = "73.09.13.2002"
MANDAI_VILLAGE = "73.09.01.1001"
MAKASSAR_VILLAGE = "73.71.01.1001"
PASSWORD = "persona-pass-2026"

PERSONAS = {
    "admin_maros": ("admin", "73.09"),
    "operator_lappara": ("operator", LAPPARA),
    "operator_bulu": ("operator", BULU),
    "tksk_moncongloe": ("tksk", "73.09.13"),
    "social_worker": ("social_worker", "73.09"),
    "front_office": ("front_office", "73.09"),
    "partner": ("partner", "73.09"),
    "head": ("head", "73.09"),
    "auditor": ("auditor", "73.09"),
    "admin_makassar": ("admin", "73.71"),
}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """When tests run real Celery workers (marker ``workers``), a SQLite test database is a file
    (in memory-backed /dev/shm where there is one) that the worker processes can open too."""
    import shutil
    import tempfile

    from django.conf import settings

    db = settings.DATABASES["default"]
    wanted = any(item.get_closest_marker("workers") for item in request.session.items)
    if not wanted or "sqlite" not in db["ENGINE"]:
        return
    shm = "/dev/shm"  # noqa: S108  (a private folder is made inside)
    folder = tempfile.mkdtemp(prefix="pandu-test-db-", dir=shm if os.path.isdir(shm) else None)
    db.setdefault("TEST", {})["NAME"] = os.path.join(folder, "test.sqlite3")
    request.addfinalizer(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(scope="session", autouse=True)
def _celery_messages_go_nowhere():
    """Jobs queued by tests are run in-process (``jobs.run_pending``) or by the real workers of
    the ``workers`` tests, which point the app at their own queue; other messages are dropped."""
    from pandu.core.tests.celery_workers import use_broker

    with use_broker("memory://localhost/", {}, "pandu-test"):
        yield


@pytest.fixture(autouse=True)
def _cache_of_this_test(settings):
    """Each test counts its rate limits and caches its figures afresh, in this process (the
    site's shared file cache would mix in other test runs)."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas are created for every test; real PBKDF2 would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_second_factor_unless_asked(settings):
    """Personas sign in with their password alone (``force_login`` or the login form): no role
    must use two-factor login unless a test of it sets ``PANDU_2FA_REQUIRED_ROLES`` itself
    (pandu/accounts/tests/test_two_factor.py)."""
    settings.PANDU_2FA_REQUIRED_ROLES = []


def api_token(user) -> str:
    """A fresh API key for ``user`` (``Authorization: Token <key>``), issued like any other."""
    from pandu.accounts.actions import issue_token

    return issue_token(user, name="test")


@pytest.fixture
def areas(db):
    from pandu.regions.queries import forget_cached_codes

    for code, name, level, parent in AREAS:
        Area.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent_id": parent}
        )
    forget_cached_codes()
    yield
    forget_cached_codes()


@pytest.fixture
def personas(areas):
    from pandu.accounts.models import User

    users = {}
    for username, (role, area) in PERSONAS.items():
        user = User.objects.create_user(username, password=PASSWORD, role=role, area_id=area)
        users[username] = user
    return users


def _nik(district: str, born: date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{district.replace('.', '')}{day:02d}{born:%m%y}{serial:04d}"


def make_nik(district: str, born: date, sex: str, serial: int = 1) -> str:
    """A structurally valid NIK for a person born in ``district`` (dotted code)."""
    return _nik(district, born, sex, serial)


def make_kk(district: str, issued: date, serial: int = 1) -> str:
    return f"{district.replace('.', '')}{issued:%d%m%y}{serial:04d}"


@pytest.fixture
def household_factory(personas):
    """Register a household through the real action, as the admin of Maros (or Makassar)."""
    from pandu.registry import actions

    counter = {"n": 0}

    def make(village: str = LAPPARA, members: list[dict] | None = None, **household):
        counter["n"] += 1
        n = counter["n"]
        district = village[:8]
        user = (
            personas["admin_makassar"] if village.startswith("73.71") else personas["admin_maros"]
        )
        if members is None:
            members = [
                {
                    "nik": make_nik(district, date(1980, 5, 17), "L", n * 10 + 1),
                    "full_name": f"Muhammad Rahman {n}",
                    "sex": "L",
                    "birth_date": date(1980, 5, 17),
                    "relationship": 1,
                    "marital_status": 2,
                },
                {
                    "nik": make_nik(district, date(1984, 8, 2), "P", n * 10 + 2),
                    "full_name": f"Siti Aminah {n}",
                    "sex": "P",
                    "birth_date": date(1984, 8, 2),
                    "relationship": 2,
                    "marital_status": 2,
                },
            ]
        data = {
            "kk_number": make_kk(district, date(2015, 3, 1), n),
            "village": village,
            "rt": 2,
            "rw": 1,
        }
        data.update(household)
        return actions.register_household(user, household=data, members=members, reason="fixture")

    return make


def browser_data(form, **overrides) -> dict:
    """What a browser submits for ``form`` as rendered (initial or instance values), plus overrides.

    Checkboxes that are not ticked are left out, like a browser does; multiple choices are lists.
    """
    from django import forms as djforms

    data: dict = {}
    for bf in form:
        widget = bf.field.widget
        value = bf.value()
        if isinstance(widget, djforms.CheckboxSelectMultiple | djforms.SelectMultiple):
            if value:
                data[bf.html_name] = [str(v) for v in value]
        elif isinstance(widget, djforms.CheckboxInput):
            if widget.check_test(value):
                data[bf.html_name] = "on"
        else:
            shown = widget.format_value(value)
            if isinstance(shown, list):  # a single select formats its value as a list
                shown = shown[0] if shown else ""
            data[bf.html_name] = "" if shown is None else str(shown)
    for key, value in overrides.items():
        name = form.add_prefix(key)
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def close_quietly(response) -> None:
    """Close a test response (a file download holds its file open until then) without firing
    Django's connection clean-up, which would close the test's own database connection inside
    its transaction (on PostgreSQL the connection is then gone for the rest of the test)."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.fixture
def data_ring(settings, tmp_path):
    """This test's own copy of the data-key ring (``core.crypto``), so a test that adds,
    retires or loses keys leaves the shared ring alone; the copy decrypts what the test
    database already holds."""
    from pathlib import Path

    from pandu.core import crypto

    crypto.ensure_ring()
    path = tmp_path / "keys" / "data-keys.json"
    path.parent.mkdir(mode=0o700)
    path.write_bytes(Path(settings.PANDU_DATA_KEY_FILE).read_bytes())
    path.chmod(0o600)
    settings.PANDU_DATA_KEY_FILE = path
    return path
