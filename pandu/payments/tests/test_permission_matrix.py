"""Who may use each payment page and API endpoint: every ``payments`` URL has a rule here.

The cycles lie in Kabupaten Maros (73.09); the KPM in Moncongloe Lappara. Roles with
``payments.view`` whose area holds Maros see them, and the TKSK of Moncongloe from inside;
the administrator (the Dinas) manages; the head approves the second step; the operators, the
front office and the partner see nothing of payments; Makassar's administrator nothing of
Maros. Everyone else gets a 404 written to the access log; a refused POST changes nothing.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.conftest import PERSONAS, api_token, close_quietly
from pandu.core.models import AccessLog
from pandu.payments import actions
from pandu.payments.models import Cycle, Entitlement

from .helpers import ELDERLY_WITH_ACCOUNT, approved_cycle

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(PERSONAS)
# payments.view, each in their own area
VIEWERS = frozenset(
    {"admin_maros", "head", "auditor", "tksk_moncongloe", "social_worker", "admin_makassar"}
)
# ... whose area holds Maros's cycles (the TKSK's district lies inside)
SEE_CYCLE = VIEWERS - {"admin_makassar"}
# ... whose area holds the whole of Maros (imports are the regency's)
SEE_REGENCY = SEE_CYCLE - {"tksk_moncongloe"}
MANAGERS = frozenset({"admin_maros", "admin_makassar"})
MANAGE_MAROS = frozenset({"admin_maros"})


@pytest.fixture(autouse=True)
def _var_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def records(personas, pkh, kube, maros, group, bulk_families, enrol, tmp_path):
    cycle, (family,) = approved_cycle(
        personas, pkh, maros, bulk_families, enrol, [ELDERLY_WITH_ACCOUNT]
    )
    admin = personas["admin_maros"]
    draft = actions.create_cycle(admin, programme=pkh, area=maros, period_start=date(2026, 4, 1))
    grants = actions.create_cycle(admin, programme=kube, area=maros, period_start=date(2026, 1, 1))
    path = tmp_path / "hasil.csv"
    path.write_text(
        "siklus,penerima,status,nominal,tanggal,referensi,alasan\n"
        f"{cycle.uid},{family.kk_number},gagal,600000,15-02-2026,BRI-1,rekening tidak aktif\n"
        f"{cycle.uid},7309999999999999,dibayar,600000,15-02-2026,BRI-2,\n",
        encoding="utf-8",
    )
    batch = actions.start_reconciliation(admin, path)
    return {
        "cycle": cycle,
        "draft": draft,
        "grants": grants,
        "entitlement": Entitlement.objects.get(cycle=cycle),
        "batch": batch,
    }


def _token(user) -> str:
    """An API key for ``user``, issued as the platform issues them."""
    return api_token(user)


def _cycle(name):
    return lambda r: reverse(f"payments:{name}", args=[r["cycle"].uid])


WEB = {
    "payments:cycle_list": (lambda r: reverse("payments:cycle_list"), VIEWERS),
    "payments:cycle_new": (lambda r: reverse("payments:cycle_new"), MANAGERS),
    "payments:cycle_detail": (_cycle("cycle_detail"), SEE_CYCLE),
    "payments:cycle_compute": (_cycle("cycle_compute"), None),
    "payments:cycle_approve_dinas": (_cycle("cycle_approve_dinas"), None),
    "payments:cycle_approve_head": (_cycle("cycle_approve_head"), None),
    "payments:cycle_close": (_cycle("cycle_close"), None),
    "payments:cycle_export": (
        lambda r: reverse("payments:cycle_export", args=[r["cycle"].uid, "bank", "csv"]),
        MANAGE_MAROS,
    ),
    "payments:entitlement_list": (_cycle("entitlement_list"), SEE_CYCLE),
    "payments:group_entitlement_new": (
        lambda r: reverse("payments:group_entitlement_new", args=[r["grants"].uid]),
        MANAGE_MAROS,
    ),
    "payments:conditionality": (_cycle("conditionality"), SEE_CYCLE),
    "payments:conditionality_apply": (_cycle("conditionality_apply"), None),
    "payments:retry_schedule": (_cycle("retry_schedule"), None),
    "payments:treasury_return": (_cycle("treasury_return"), MANAGE_MAROS),
    "payments:entitlement_detail": (
        lambda r: reverse("payments:entitlement_detail", args=[r["entitlement"].uid]),
        SEE_CYCLE,
    ),
    "payments:entitlement_hold": (
        lambda r: reverse("payments:entitlement_hold", args=[r["entitlement"].uid]),
        None,
    ),
    "payments:entitlement_approve": (
        lambda r: reverse("payments:entitlement_approve", args=[r["entitlement"].uid]),
        None,
    ),
    "payments:import_list": (lambda r: reverse("payments:import_list"), VIEWERS),
    "payments:import_upload": (lambda r: reverse("payments:import_upload"), None),
    "payments:import_detail": (
        lambda r: reverse("payments:import_detail", args=[r["batch"].uid]),
        SEE_REGENCY,
    ),
    "payments:import_report": (
        lambda r: reverse("payments:import_report", args=[r["batch"].uid]),
        SEE_REGENCY,
    ),
    "payments:retry_list": (lambda r: reverse("payments:retry_list"), VIEWERS),
    "payments:returned_list": (lambda r: reverse("payments:returned_list"), VIEWERS),
}
API = {
    # An API list answers everyone, with rows only for those who see them.
    "api:payments-api:cycle-list": ("/api/v1/payments/cycles/", EVERYONE),
    "api:payments-api:cycle-detail": ("/api/v1/payments/cycles/{cycle}/", SEE_CYCLE),
    "api:payments-api:cycle-compute": ("/api/v1/payments/cycles/{cycle}/compute/", None),
    "api:payments-api:cycle-approve": ("/api/v1/payments/cycles/{cycle}/approve/", None),
    "api:payments-api:entitlement-list": ("/api/v1/payments/entitlements/", EVERYONE),
    "api:payments-api:entitlement-detail": (
        "/api/v1/payments/entitlements/{entitlement}/",
        SEE_CYCLE,
    ),
    "api:payments-api:reconciliation-list": ("/api/v1/payments/reconciliations/", EVERYONE),
    "api:payments-api:reconciliation-detail": (
        "/api/v1/payments/reconciliations/{batch}/",
        SEE_REGENCY,
    ),
}


def test_every_payments_url_has_a_rule():
    from pandu.core.tests.test_permission_matrix import url_patterns

    names = {n for n in url_patterns()[0] if n.split(":")[0] == "payments" or "payments-api" in n}
    assert names == set(WEB) | set(API)


@pytest.mark.parametrize("name", sorted(WEB))
def test_who_opens_each_payments_page(name, records, personas):
    make_url, see = WEB[name]
    url = make_url(records)
    failures = []
    if Client().get(url).status_code != 302:
        failures.append("anonymous: not redirected to the login")
    for who in PERSONAS:
        client = Client()
        client.force_login(personas[who])
        response = client.get(url)
        code = response.status_code
        close_quietly(response)
        if see is None:
            if code != 405:
                failures.append(f"{who}: GET on a POST-only page answered {code}")
        elif who in see:
            if code != 200:
                failures.append(f"{who}: expected 200, got {code}")
        elif code != 404:
            failures.append(f"{who}: expected 404, got {code}")
        elif not AccessLog.objects.filter(user=personas[who], kind="denied").exists():
            failures.append(f"{who}: 404 without an access-log row")
    assert not failures, f"GET {url}\n" + "\n".join(failures)


@pytest.mark.parametrize("name", sorted(API))
def test_who_reads_each_payments_api_endpoint(name, records, personas):
    template, see = API[name]
    url = template.format(
        cycle=records["cycle"].uid,
        entitlement=records["entitlement"].uid,
        batch=records["batch"].uid,
    )
    failures = []
    if APIClient().get(url).status_code != 401:
        failures.append("anonymous: not 401")
    shown_to = {
        "api:payments-api:cycle-list": SEE_CYCLE,
        "api:payments-api:entitlement-list": SEE_CYCLE,
        "api:payments-api:reconciliation-list": SEE_REGENCY,
    }
    marker = {
        "api:payments-api:cycle-list": records["cycle"].uid,
        "api:payments-api:entitlement-list": records["entitlement"].uid,
        "api:payments-api:reconciliation-list": records["batch"].uid,
    }
    for who in PERSONAS:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {_token(personas[who])}")
        response = client.get(url)
        code = response.status_code
        if see is None:
            if code != 405:
                failures.append(f"{who}: GET on a POST-only endpoint answered {code}")
        elif who in see:
            if code != 200:
                failures.append(f"{who}: expected 200, got {code}")
            elif name in shown_to:
                shown = str(marker[name]) in response.content.decode()
                if shown != (who in shown_to[name]):
                    failures.append(f"{who}: the list {'lacks' if not shown else 'shows'} it")
        elif code != 404:
            failures.append(f"{who}: expected 404, got {code}")
        elif not AccessLog.objects.filter(user=personas[who], kind="denied").exists():
            failures.append(f"{who}: 404 without an access-log row")
    assert not failures, f"GET {url}\n" + "\n".join(failures)


def _state(records) -> tuple:
    cycles = tuple(Cycle.objects.order_by("id").values_list("id", "status", "dinas_at", "head_at"))
    entitlements = tuple(Entitlement.objects.order_by("id").values_list("id", "status", "note"))
    return cycles, entitlements


POSTS = {
    "payments:cycle_compute": ("draft", {}),
    "payments:cycle_approve_dinas": ("draft", {}),
    "payments:cycle_approve_head": ("draft", {}),
    "payments:cycle_close": ("cycle", {}),
    "payments:retry_schedule": ("cycle", {}),
    "payments:conditionality_apply": ("cycle", {}),
}


@pytest.mark.parametrize("name", sorted(POSTS))
def test_refused_posts_change_nothing(name, records, personas):
    key, data = POSTS[name]
    url = reverse(name, args=[records[key].uid])
    before = _state(records)
    allowed = {
        "payments:cycle_compute": MANAGE_MAROS,
        "payments:cycle_approve_dinas": MANAGE_MAROS,
        "payments:cycle_approve_head": {"head"},
        "payments:cycle_close": MANAGE_MAROS,
        "payments:retry_schedule": MANAGE_MAROS,
        "payments:conditionality_apply": MANAGE_MAROS,
    }[name]
    for who in EVERYONE - allowed:
        client = Client()
        client.force_login(personas[who])
        assert client.post(url, data).status_code == 404, who
        assert _state(records) == before, who


def test_refused_api_posts_change_nothing(records, personas):
    cycle = records["draft"]
    before = _state(records)
    for who in EVERYONE - {"admin_maros", "head"}:
        api = APIClient()
        api.force_authenticate(personas[who])
        assert api.post(f"/api/v1/payments/cycles/{cycle.uid}/compute/").status_code == 404, who
        answer = api.post(f"/api/v1/payments/cycles/{cycle.uid}/approve/", {"step": "dinas"})
        assert answer.status_code == 404, who
        assert _state(records) == before, who
