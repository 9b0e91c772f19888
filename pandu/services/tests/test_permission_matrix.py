"""Who may open each page of the service: every ``services:`` URL has a rule here.

The records live in Maros (the case of Daeng Baji in Moncongloe Lappara, referred to Dinas
Kesehatan Maros); Makassar's administrator and Dukcapil's partner user must never see them. A page
a role may not use, or a record outside its reach, answers 404 and is written to the access log.
POST-only pages answer 405 to a GET from any role that may use them at all (before any record is
looked up), and 404 to the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from pandu.core.models import AccessLog
from pandu.regions.models import Area
from pandu.services import actions, public

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

WHO = [
    "admin_maros",
    "operator_lappara",
    "tksk_moncongloe",
    "social_worker",
    "worker2",
    "front_office",
    "partner",
    "partner_dukcapil",
    "head",
    "auditor",
    "admin_makassar",
]
SETUP_VIEW = {
    "admin_maros",
    "tksk_moncongloe",
    "social_worker",
    "worker2",
    "front_office",
    "head",
    "auditor",
}
SETUP_VIEW_ANY = SETUP_VIEW | {"admin_makassar"}
MANAGE = {"admin_maros"}
MANAGE_ANY = MANAGE | {"admin_makassar"}
INTAKE_ANY = {
    "admin_maros",
    "tksk_moncongloe",
    "social_worker",
    "worker2",
    "front_office",
    "admin_makassar",
}
INTAKE_VIEW_ANY = INTAKE_ANY | {"auditor"}
SEE_RECORD = {
    "admin_maros",
    "tksk_moncongloe",
    "social_worker",
    "worker2",
    "front_office",
    "auditor",
}
WORK_RECORD = {"admin_maros", "social_worker"}
CASE_WORK_ANY = {"admin_maros", "tksk_moncongloe", "social_worker", "worker2", "admin_makassar"}
REPORTS = {"admin_maros", "social_worker", "worker2", "head", "auditor", "admin_makassar"}
PARTNERS = {"partner", "partner_dukcapil"}
EVERYONE = set(WHO)


@dataclass
class Records:
    point: object
    agency: object
    service: object
    agreement: object
    intake: object
    case: object
    referral: object
    attachment: object
    task: object


@pytest.fixture
def records(world, make_case) -> Records:
    admin, worker = world.users["admin_maros"], world.users["social_worker"]
    agreement = actions.create_agreement(
        admin,
        number="1/PKS/2024",
        title="Rujukan kesehatan",
        agency=world.dinkes,
        parties="A\nB",
        area=Area.objects.get(code="73.09"),
        signed_on=date(2024, 1, 15),
        document=SimpleUploadedFile("pks.pdf", PDF),
    )
    case = make_case()
    referral = actions.create_referral(
        worker, case, world.health, need_area="health", need="Periksa", request="Obati"
    )
    attachment = actions.add_referral_attachment(
        worker, referral, title="Ringkasan asesmen", file=SimpleUploadedFile("a.pdf", PDF)
    )
    actions.record_consent(worker, referral, consent_by="self", method="signed")
    actions.send_referral(worker, referral)
    task = actions.add_task(worker, case, title="Kunjungan", due_on=date.today())
    return Records(
        point=world.slrt,
        agency=world.dinkes,
        service=world.health,
        agreement=agreement,
        intake=case.intake,
        case=case,
        referral=referral,
        attachment=attachment,
        task=task,
    )


@dataclass(frozen=True)
class Rule:
    url: Callable[[Records], str]
    see: frozenset = frozenset()  # GET answers 200 (or a redirect to a reason page / the inbox)
    post_only: frozenset = frozenset()  # a GET answers 405 to these, 404 to everyone else
    public: bool = False


def R(url, see=(), post_only=(), public=False) -> Rule:  # noqa: N802
    return Rule(url, frozenset(see), frozenset(post_only), public)


def u(name, attr=None, *extra):
    return lambda r: reverse(
        f"services:{name}", args=[*([getattr(r, attr).uid] if attr else []), *extra]
    )


RULES: dict[str, Rule] = {
    "services:home": R(u("home"), see=SETUP_VIEW_ANY | PARTNERS),
    "services:point_list": R(u("point_list"), see=SETUP_VIEW_ANY),
    "services:point_create": R(u("point_create"), see=MANAGE_ANY),
    "services:point_detail": R(u("point_detail", "point"), see=SETUP_VIEW),
    "services:point_edit": R(u("point_edit", "point"), see=MANAGE),
    "services:staff_add": R(u("staff_add", "point"), post_only=MANAGE_ANY),
    "services:staff_end": R(u("staff_end", "point"), post_only=MANAGE_ANY),
    "services:partner_list": R(u("partner_list"), see=SETUP_VIEW_ANY),
    "services:partner_create": R(u("partner_create"), see=MANAGE_ANY),
    "services:partner_detail": R(u("partner_detail", "agency"), see=SETUP_VIEW),
    "services:partner_edit": R(u("partner_edit", "agency"), see=MANAGE),
    "services:service_create": R(u("service_create", "agency"), see=MANAGE),
    "services:service_edit": R(u("service_edit", "service"), see=MANAGE),
    "services:member_add": R(u("member_add", "agency"), post_only=MANAGE_ANY),
    "services:member_end": R(u("member_end", "agency"), post_only=MANAGE_ANY),
    "services:agreement_list": R(u("agreement_list"), see=SETUP_VIEW_ANY),
    "services:agreement_create": R(u("agreement_create"), see=MANAGE_ANY),
    "services:agreement_detail": R(u("agreement_detail", "agreement"), see=SETUP_VIEW),
    "services:agreement_document": R(u("agreement_document", "agreement"), see=SETUP_VIEW),
    "services:agreement_upload": R(u("agreement_upload", "agreement"), see=MANAGE),
    "services:agreement_extend": R(u("agreement_extend", "agreement"), see=MANAGE),
    "services:agreement_terminate": R(u("agreement_terminate", "agreement"), see=MANAGE),
    "services:holidays": R(u("holidays"), see=SETUP_VIEW_ANY),
    "services:holiday_delete": R(u("holiday_delete"), post_only=MANAGE_ANY),
    "services:intake_list": R(u("intake_list"), see=INTAKE_VIEW_ANY),
    "services:intake_create": R(u("intake_create"), see=INTAKE_ANY),
    "services:person_search": R(u("person_search"), post_only=INTAKE_ANY),
    "services:intake_detail": R(u("intake_detail", "intake"), see=SEE_RECORD),
    "services:intake_reason": R(u("intake_reason", "intake"), see=SEE_RECORD),
    "services:intake_receipt": R(u("intake_receipt", "intake"), see=SEE_RECORD),
    "services:intake_open_case": R(u("intake_open_case", "intake"), post_only=INTAKE_ANY),
    "services:intake_resolve": R(u("intake_resolve", "intake"), post_only=INTAKE_ANY),
    "services:intake_queue": R(u("intake_queue", "intake"), post_only=INTAKE_ANY),
    "services:queue": R(u("queue"), see=INTAKE_VIEW_ANY),
    "services:case_list": R(u("case_list"), see=INTAKE_VIEW_ANY),
    "services:case_detail": R(u("case_detail", "case"), see=SEE_RECORD),
    "services:case_reason": R(u("case_reason", "case"), see=SEE_RECORD),
    "services:case_pdf": R(u("case_pdf", "case"), see=SEE_RECORD),
    "services:case_assign": R(u("case_assign", "case"), post_only=INTAKE_VIEW_ANY),
    "services:case_assessment": R(u("case_assessment", "case", "health"), see=WORK_RECORD),
    "services:case_plan_summary": R(u("case_plan_summary", "case"), post_only=CASE_WORK_ANY),
    "services:case_goal_add": R(u("case_goal_add", "case"), post_only=CASE_WORK_ANY),
    "services:case_action_add": R(u("case_action_add", "case"), post_only=CASE_WORK_ANY),
    "services:case_action_done": R(u("case_action_done", "case"), post_only=CASE_WORK_ANY),
    "services:case_plan_submit": R(u("case_plan_submit", "case"), post_only=CASE_WORK_ANY),
    "services:case_plan_decide": R(u("case_plan_decide", "case"), post_only=INTAKE_VIEW_ANY),
    "services:case_note_add": R(u("case_note_add", "case"), post_only=CASE_WORK_ANY),
    "services:case_task_add": R(u("case_task_add", "case"), post_only=CASE_WORK_ANY),
    "services:case_counselling": R(u("case_counselling", "case"), see=WORK_RECORD),
    "services:case_close": R(u("case_close", "case"), see=WORK_RECORD),
    "services:case_close_decide": R(u("case_close_decide", "case"), post_only=INTAKE_VIEW_ANY),
    "services:case_reopen": R(u("case_reopen", "case"), see=WORK_RECORD),
    "services:referral_create": R(u("referral_create", "case"), see=WORK_RECORD),
    "services:task_done": R(u("task_done", "task"), post_only=CASE_WORK_ANY),
    "services:overdue": R(u("overdue"), see=CASE_WORK_ANY),
    "services:referral_detail": R(u("referral_detail", "referral"), see=SEE_RECORD),
    "services:referral_edit": R(u("referral_edit", "referral"), see=WORK_RECORD),
    "services:referral_consent": R(u("referral_consent", "referral"), post_only=CASE_WORK_ANY),
    "services:referral_attach": R(u("referral_attach", "referral"), post_only=CASE_WORK_ANY),
    "services:referral_send": R(u("referral_send", "referral"), post_only=CASE_WORK_ANY),
    "services:referral_withdraw": R(u("referral_withdraw", "referral"), post_only=CASE_WORK_ANY),
    "services:referral_letter": R(u("referral_letter", "referral"), see=SEE_RECORD),
    "services:attachment_download": R(
        u("attachment_download", "attachment"), see=SEE_RECORD | {"partner"}
    ),
    "services:inbox": R(u("inbox"), see=PARTNERS),
    "services:inbox_detail": R(u("inbox_detail", "referral"), see={"partner"}),
    "services:inbox_letter": R(u("inbox_letter", "referral"), see={"partner"}),
    "services:inbox_move": R(u("inbox_move", "referral", "accept"), post_only=PARTNERS),
    "services:dashboard": R(u("dashboard"), see=REPORTS),
    "services:dashboard_xlsx": R(u("dashboard_xlsx"), see=REPORTS),
    "services:dashboard_pdf": R(u("dashboard_pdf"), see=REPORTS),
    "services:notifications": R(u("notifications"), see=EVERYONE),
    "services:notifications_read": R(u("notifications_read"), post_only=EVERYONE),
    "services:public_status": R(u("public_status"), public=True),
    "services:public_letter": R(
        lambda r: reverse("services:public_letter", args=[public.letter_token(r.referral)]),
        public=True,
    ),
}


def service_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif p.name and namespace == "services:":
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_service_page_has_a_rule():
    names = service_url_names()
    assert sorted(names - RULES.keys()) == []
    assert sorted(RULES.keys() - names) == []


@pytest.mark.parametrize("name", sorted(RULES))
def test_who_opens_each_service_page(name, world, records):
    rule = RULES[name]
    url = rule.url(records)
    failures = []
    anonymous = Client().get(url)
    if rule.public:
        if anonymous.status_code != 200:
            failures.append(f"anonymous: expected 200, got {anonymous.status_code}")
    elif anonymous.status_code != 302 or "/akun/masuk/" not in anonymous["Location"]:
        failures.append(f"anonymous: expected the login page, got {anonymous.status_code}")
    for who in WHO:
        if rule.public:
            continue
        client = Client()
        user = world.users[who]
        client.force_login(user)
        code = client.get(url).status_code
        if who in rule.see:
            ok = code in (200, 302)
        elif who in rule.post_only:
            ok = code == 405
        else:
            ok = (
                code == 404
                and AccessLog.objects.filter(
                    user=user, kind=AccessLog.Kind.DENIED, path=url.split("?")[0]
                ).exists()
            )
        if not ok:
            failures.append(f"{who}: got {code}")
    assert not failures, f"GET {url}\n" + "\n".join(failures)


# --- The API ----------------------------------------------------------------------------------

API_DETAIL = {
    "services-api:intake-detail": (
        lambda r: f"/api/v1/services/intakes/{r.intake.uid}/",
        SEE_RECORD,
    ),
    "services-api:case-detail": (lambda r: f"/api/v1/services/cases/{r.case.uid}/", SEE_RECORD),
    "services-api:referral-detail": (
        lambda r: f"/api/v1/services/referrals/{r.referral.uid}/",
        SEE_RECORD | {"partner"},
    ),
}
API_LIST = {
    "services-api:intake-list": ("/api/v1/services/intakes/", "intake", SEE_RECORD),
    "services-api:case-list": ("/api/v1/services/cases/", "case", SEE_RECORD),
    "services-api:referral-list": (
        "/api/v1/services/referrals/",
        "referral",
        SEE_RECORD | {"partner"},
    ),
}
API_MOVES = {
    f"services-api:referral-{m}": m
    for m in ("accept", "decline", "start", "update", "complete", "return")
}


def service_api_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif p.name and namespace == "services-api:":
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def _api(user):
    from rest_framework.test import APIClient

    from pandu.conftest import api_token

    client = APIClient()
    if user is not None:
        token = api_token(user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_every_service_api_endpoint_has_a_rule():
    assert service_api_names() == API_DETAIL.keys() | API_LIST.keys() | API_MOVES.keys()


def test_who_reads_the_service_api(world, records):
    failures = []
    for name, (url_of, see) in API_DETAIL.items():
        url = url_of(records)
        if _api(None).get(url).status_code != 401:
            failures.append(f"{name} anonymous: not 401")
        for who in WHO:
            user = world.users[who]
            code = _api(user).get(url).status_code
            expected = 200 if who in see else 404
            if code != expected:
                failures.append(f"{name} {who}: expected {expected}, got {code}")
            elif (
                code == 404
                and not AccessLog.objects.filter(
                    user=user, kind=AccessLog.Kind.DENIED, path=url
                ).exists()
            ):
                failures.append(f"{name} {who}: 404 not logged")
    for name, (url, attr, see) in API_LIST.items():
        uid = str(getattr(records, attr).uid)
        for who in WHO:
            response = _api(world.users[who]).get(url)
            shown = response.status_code == 200 and uid in response.content.decode()
            if shown != (who in see):
                failures.append(f"{name} {who}: shown={shown} ({response.status_code})")
    for name, move in API_MOVES.items():
        url = f"/api/v1/services/referrals/{records.referral.uid}/{move}/"
        for who in WHO:
            if _api(world.users[who]).get(url).status_code != 405:
                failures.append(f"{name} {who}: GET is not 405")
    assert not failures, "\n".join(failures)
