"""Who may open each empowerment page and API endpoint: every ``empowerment:`` URL and every
``api:empowerment-*`` endpoint has a rule here (core's matrix counts them).

The records lie in Moncongloe Lappara: a KPM with a running plan and a visit, a graduated
family with its follow-ups, a KUBE group with a member, a UEP grant, and Maros's criteria.
Makassar's administrator holds the same role as Maros's but outside the area. A page a role may
not use, or a record outside its reach, answers 404 and is logged; POST-only pages answer 405 to
a GET from the roles that may use them at all, and 404 to the others. A refused POST changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from pandu.conftest import LAPPARA, PERSONAS
from pandu.core.models import AccessLog
from pandu.empowerment import actions
from pandu.empowerment.models import (
    FollowUp,
    GraduationCriterion,
    GraduationPlan,
    KubeGroup,
    KubeMember,
    PlanStep,
    UepGrant,
    UseVisit,
)
from pandu.regions.models import Area

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(PERSONAS)
# Roles holding each capability (anywhere), and those holding it inside Lappara.
VIEWERS = frozenset(
    {"admin_maros", "admin_makassar", "head", "auditor", "tksk_moncongloe", "social_worker"}
)
SEE = VIEWERS - {"admin_makassar"}
VISITORS = frozenset({"tksk_moncongloe", "social_worker"})
ACCOMPANY = frozenset({"admin_maros", "admin_makassar", "tksk_moncongloe", "social_worker"})
ACCOMPANY_HERE = ACCOMPANY - {"admin_makassar"}
MANAGE = frozenset({"admin_maros", "admin_makassar"})


@dataclass
class Records:
    kpm: object
    other_kpm: object
    visit: object
    plan: object
    step: object
    graduated: object
    follow_up: object
    criterion: object
    group: object
    member: object
    grant: object


@pytest.fixture
def records(personas, make_kpm, programme):
    admin, tksk = personas["admin_maros"], personas["tksk_moncongloe"]
    today = timezone.localdate()
    kpm, other, done = (make_kpm(desil=6, income_monthly=4_000_000) for _ in range(3))
    visit = actions.record_visit(tksk, kpm, visited_on=today, use_food=True)
    plan = actions.create_plan(
        tksk,
        kpm,
        facilitator=tksk,
        goals="Warung",
        steps=[actions.StepData("Pelatihan", today + timedelta(days=10))],
    )
    criterion = actions.set_criterion(
        admin, programme=programme, area=Area.objects.get(code="73.09"), kind="desil_di_atas",
        threshold=4,
    )  # fmt: skip
    graduated = actions.create_plan(tksk, done, facilitator=tksk, goals="Mandiri")
    actions.graduate_family(admin, graduated, on=today, reason="Lulus", pathway="mandiri")
    group = actions.create_group(
        tksk,
        village=Area.objects.get(code=LAPPARA),
        name="Maju",
        business_type="Warung",
        formed_on=date(2025, 1, 1),
    )
    member = actions.add_member(tksk, group, person=kpm.recipient)
    grant = actions.record_uep_grant(
        admin, other.household, amount=2_000_000, granted_on=today, business="Kue"
    )
    return Records(
        kpm,
        other,
        visit,
        plan,
        plan.steps.get(),
        graduated,
        graduated.follow_ups.get(months=3),
        criterion,
        group,
        member,
        grant,
    )


@dataclass(frozen=True)
class Rule:
    url: Callable[[Records], str]
    see: frozenset = frozenset()
    post_only: frozenset = frozenset()


def R(url, see=(), post_only=()) -> Rule:  # noqa: N802
    return Rule(url, frozenset(see), frozenset(post_only))


def u(name, attr=None):
    return lambda r: reverse(name, args=[getattr(r, attr).uid] if attr else [])


RULES: dict[str, Rule] = {
    "empowerment:kpm_list": R(u("empowerment:kpm_list"), see=VIEWERS),
    "empowerment:visit_create": R(u("empowerment:visit_create", "kpm"), see=VISITORS),
    "empowerment:plan_create": R(u("empowerment:plan_create", "other_kpm"), see=ACCOMPANY_HERE),
    "empowerment:visit_list": R(u("empowerment:visit_list"), see=VIEWERS),
    "empowerment:visit_detail": R(u("empowerment:visit_detail", "visit"), see=SEE),
    "empowerment:summary": R(u("empowerment:summary"), see=VIEWERS),
    "empowerment:summary_xlsx": R(u("empowerment:summary_xlsx"), see=VIEWERS),
    "empowerment:plan_list": R(u("empowerment:plan_list"), see=VIEWERS),
    "empowerment:criteria": R(u("empowerment:criteria"), see=VIEWERS),
    "empowerment:criterion_end": R(u("empowerment:criterion_end", "criterion"), post_only=MANAGE),
    "empowerment:follow_up_list": R(u("empowerment:follow_up_list"), see=VIEWERS),
    "empowerment:follow_up_record": R(u("empowerment:follow_up_record", "follow_up"), see=VISITORS),
    "empowerment:plan_detail": R(u("empowerment:plan_detail", "plan"), see=SEE),
    "empowerment:plan_edit": R(u("empowerment:plan_edit", "plan"), see=ACCOMPANY_HERE),
    "empowerment:step_add": R(u("empowerment:step_add", "plan"), post_only=ACCOMPANY),
    "empowerment:plan_cancel": R(u("empowerment:plan_cancel", "plan"), post_only=ACCOMPANY),
    "empowerment:graduate": R(u("empowerment:graduate", "plan"), see={"admin_maros"}),
    "empowerment:step_done": R(u("empowerment:step_done", "step"), post_only=ACCOMPANY),
    "empowerment:group_list": R(u("empowerment:group_list"), see=VIEWERS),
    "empowerment:group_create": R(u("empowerment:group_create"), see=ACCOMPANY),
    "empowerment:group_detail": R(u("empowerment:group_detail", "group"), see=SEE),
    "empowerment:group_edit": R(u("empowerment:group_edit", "group"), see=ACCOMPANY_HERE),
    "empowerment:member_add": R(u("empowerment:member_add", "group"), post_only=ACCOMPANY),
    "empowerment:group_grant": R(u("empowerment:group_grant", "group"), post_only=MANAGE),
    "empowerment:member_end": R(u("empowerment:member_end", "member"), post_only=ACCOMPANY),
    "empowerment:grant_list": R(u("empowerment:grant_list"), see=VIEWERS),
    "empowerment:grant_create": R(u("empowerment:grant_create"), see=MANAGE),
}
API: dict[str, Rule] = {
    "api:empowerment-visit-list": R(u("api:empowerment-visit-list"), see=VIEWERS),
    "api:empowerment-visit-detail": R(u("api:empowerment-visit-detail", "visit"), see=SEE),
    "api:empowerment-plan-list": R(u("api:empowerment-plan-list"), see=VIEWERS),
    "api:empowerment-plan-detail": R(u("api:empowerment-plan-detail", "plan"), see=SEE),
    "api:empowerment-group-list": R(u("api:empowerment-group-list"), see=VIEWERS),
    "api:empowerment-group-detail": R(u("api:empowerment-group-detail", "group"), see=SEE),
}


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif p.name and (
                namespace == "empowerment:"
                or (namespace == "api:" and p.name.startswith("empowerment-"))
            ):
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_empowerment_url_has_a_rule():
    assert url_names() == set(RULES) | set(API)


def state() -> tuple:
    """Every empowerment row and its history count: equal means nothing changed."""
    models = (
        UseVisit,
        GraduationPlan,
        PlanStep,
        FollowUp,
        GraduationCriterion,
        KubeGroup,
        KubeMember,
        UepGrant,
    )
    return tuple((m.__name__, m.objects.count(), m.history.count()) for m in models)


@pytest.mark.parametrize("name", sorted(RULES))
def test_who_opens_each_empowerment_page(name, personas, records):
    rule = RULES[name]
    url = rule.url(records)
    anonymous = Client().get(url)
    assert anonymous.status_code in (302, 405), name
    for who, user in personas.items():
        client = Client()
        client.force_login(user)
        response = client.get(url)
        expected = 200 if who in rule.see else 405 if who in rule.post_only else 404
        assert response.status_code == expected, f"{name} as {who}: {response.status_code}"
        if expected == 404:
            assert AccessLog.objects.filter(user=user, kind="denied", path=url).exists(), who


@pytest.mark.parametrize("name", sorted(API))
def test_who_reads_each_empowerment_endpoint(name, personas, records):
    rule = API[name]
    url = rule.url(records)
    assert Client().get(url).status_code in (401, 403)
    for who, user in personas.items():
        client = Client()
        client.force_login(user)
        response = client.get(url)
        if who in rule.see:
            assert response.status_code == 200, f"{name} as {who}"
        else:
            assert response.status_code in (403, 404), f"{name} as {who}"


# What a refused POST would have changed: each form's data, sent by every role that may not.
POSTS: dict[str, tuple[Callable[[Records], str], dict, frozenset]] = {
    "visit_create": (
        u("empowerment:visit_create", "kpm"),
        {"visited_on": "2026-01-05", "uses": ["use_food"]},
        VISITORS,
    ),
    "plan_create": (
        u("empowerment:plan_create", "other_kpm"),
        {"goals": "x", "facilitator": "1"},
        ACCOMPANY_HERE,
    ),
    "graduate": (
        u("empowerment:graduate", "plan"),
        {"on": "2026-01-05", "reason": "x", "pathway": "mandiri"},
        frozenset({"admin_maros"}),
    ),
    "step_add": (
        u("empowerment:step_add", "plan"),
        {"title": "Langkah", "due_on": "2030-01-01"},
        ACCOMPANY_HERE,
    ),
    "step_done": (u("empowerment:step_done", "step"), {}, ACCOMPANY_HERE),
    "plan_cancel": (u("empowerment:plan_cancel", "plan"), {"reason": "x"}, ACCOMPANY_HERE),
    "follow_up_record": (
        u("empowerment:follow_up_record", "follow_up"),
        {"done_on": "2026-01-05", "condition": "mandiri"},
        VISITORS,
    ),
    "criteria": (
        u("empowerment:criteria"),
        {"programme": "1", "area": "73.09", "kind": "mandiri"},
        frozenset({"admin_maros"}),
    ),
    "criterion_end": (
        u("empowerment:criterion_end", "criterion"),
        {},
        frozenset({"admin_maros"}),
    ),
    "group_edit": (
        u("empowerment:group_edit", "group"),
        {"name": "Lain", "business_type": "x", "formed_on": "2025-01-01", "status": "bubar"},
        ACCOMPANY_HERE,
    ),
    "member_end": (u("empowerment:member_end", "member"), {"reason": "x"}, ACCOMPANY_HERE),
    "group_grant": (
        u("empowerment:group_grant", "group"),
        {"amount": "1000000", "received_on": "2025-02-01"},
        frozenset({"admin_maros"}),
    ),
}


@pytest.mark.parametrize("name", sorted(POSTS))
def test_a_refused_post_changes_nothing(name, personas, records):
    url_of, data, allowed = POSTS[name]
    url = url_of(records)
    before = state()
    for who, user in personas.items():
        if who in allowed:
            continue
        client = Client()
        client.force_login(user)
        response = client.post(url, data)
        # An administrator of another area sees the criteria form again with its refusal.
        expected = 200 if (name, who) == ("criteria", "admin_makassar") else 404
        assert response.status_code == expected, f"{name} as {who}: {response.status_code}"
    assert state() == before
