"""Graduation: criteria per programme and area, the plan, the graduation through the programme's
own status change, the KUBE or UEP way on, and the follow-ups due 3, 6 and 12 months later."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pandu.empowerment import actions
from pandu.empowerment.criteria import assess
from pandu.empowerment.dates import add_months, months_between
from pandu.empowerment.models import (
    FollowUp,
    GraduationCriterion,
    GraduationPlan,
    KubeMember,
    UepGrant,
)
from pandu.regions.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def maros():
    return Area.objects.get(code="73.09")


@pytest.fixture
def criteria(personas, programme, maros):
    """Maros graduates a PKH family above desil 4 with more than Rp2.5 million a month."""
    admin = personas["admin_maros"]
    actions.set_criterion(admin, programme=programme, area=maros, kind="desil_di_atas", threshold=4)
    actions.set_criterion(
        admin, programme=programme, area=maros, kind="pendapatan_di_atas", threshold=2_500_000
    )


@pytest.fixture
def plan(personas, kpm):
    tksk = personas["tksk_moncongloe"]
    return actions.create_plan(
        tksk,
        kpm,
        facilitator=tksk,
        goals="Usaha warung berjalan, anak tetap sekolah",
        steps=[actions.StepData("Pelatihan usaha", timezone.localdate() + timedelta(days=30))],
    )


def test_months_are_added_and_counted_like_a_calendar():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2025, 6, 15), 12) == date(2026, 6, 15)
    assert months_between(date(2025, 1, 31), date(2025, 2, 28)) == 1
    assert months_between(date(2025, 1, 15), date(2025, 7, 14)) == 5
    assert months_between(date(2025, 7, 1), date(2025, 1, 1)) == 0


def test_a_plan_has_goals_a_facilitator_and_steps(personas, plan, kpm):
    assert plan.area_code == kpm.area_code and plan.status == "berjalan"
    assert [s.title for s in plan.steps.all()] == ["Pelatihan usaha"]
    with pytest.raises(ValidationError, match="sudah punya rencana"):
        actions.create_plan(personas["admin_maros"], kpm, facilitator=plan.facilitator, goals="x")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"goals": "  "}, "goals"),
        ({"facilitator": None}, "facilitator"),
        ({"business_started_on": date.today() + timedelta(days=3)}, "business_started_on"),
        ({"steps": [actions.StepData("", date.today())]}, "title"),
        ({"steps": [actions.StepData("Tabungan", date(2020, 1, 1))]}, "due_on"),
        ({"steps": [actions.StepData("Tabungan", None)]}, "due_on"),
    ],
)
def test_a_bad_plan_is_refused_on_its_field(personas, kpm, kwargs, field):
    tksk = personas["tksk_moncongloe"]
    data = {"facilitator": tksk, "goals": "Mandiri"} | kwargs
    with pytest.raises(ValidationError) as exc:
        actions.create_plan(tksk, kpm, **data)
    assert field in exc.value.message_dict
    assert not GraduationPlan.objects.exists()


def test_the_facilitator_works_in_the_family_area(personas, kpm):
    with pytest.raises(ValidationError) as exc:
        actions.create_plan(
            personas["admin_maros"], kpm, facilitator=personas["operator_lappara"], goals="x"
        )
    assert "facilitator" in exc.value.message_dict
    facilitators = set(actions.facilitators_for(kpm.area_code).values_list("username", flat=True))
    assert facilitators == {"tksk_moncongloe", "social_worker"}


def test_criteria_are_checked_against_the_family(personas, plan, criteria):
    result = assess(plan)
    assert result.configured and result.passed
    assert [c.met for c in result.checks] == [True, True]


def test_the_nearest_area_criteria_replace_the_wider_ones(personas, plan, programme, criteria):
    admin = personas["admin_maros"]
    moncongloe = Area.objects.get(code="73.09.13")
    actions.set_criterion(admin, programme=programme, area=moncongloe, kind="mandiri")
    result = assess(plan)
    assert [c.criterion.kind for c in result.checks] == ["mandiri"]
    assert not result.passed
    plan = actions.update_plan(
        personas["tksk_moncongloe"], plan, self_declared_on=timezone.localdate()
    )
    assert assess(plan).passed


def test_a_new_criterion_of_the_same_kind_ends_the_old_one(personas, programme, maros, criteria):
    admin = personas["admin_maros"]
    actions.set_criterion(admin, programme=programme, area=maros, kind="desil_di_atas", threshold=6)
    rows = GraduationCriterion.objects.filter(kind="desil_di_atas")
    assert sorted((r.threshold, r.active) for r in rows) == [(4, False), (6, True)]


@pytest.mark.parametrize(
    ("kind", "threshold", "message"),
    [
        ("desil_di_atas", 10, "antara 1 dan 9"),
        ("desil_di_atas", "empat", "bilangan bulat"),
        ("pendapatan_di_atas", None, "bilangan bulat"),
        ("usaha_berjalan", "2.5", "bilangan bulat"),
        ("mandiri", 3, "tidak memakai ambang"),
        ("apa_saja", 3, "Pilih jenis kriteria"),
    ],
)
def test_bad_criteria_are_refused(personas, programme, maros, kind, threshold, message):
    with pytest.raises(ValidationError) as exc:
        actions.set_criterion(
            personas["admin_maros"], programme=programme, area=maros, kind=kind, threshold=threshold
        )
    assert message in " ".join(exc.value.messages)
    assert not GraduationCriterion.objects.exists()


def test_criteria_are_set_by_an_administrator_of_the_area_only(personas, programme, maros):
    for who in ("tksk_moncongloe", "head", "admin_makassar"):
        with pytest.raises(PermissionDenied):
            actions.set_criterion(personas[who], programme=programme, area=maros, kind="mandiri")
    with pytest.raises(PermissionDenied):  # national criteria: a national user's
        actions.set_criterion(
            personas["admin_maros"], programme=programme, area=None, kind="mandiri"
        )


def test_graduation_moves_the_enrolment_and_schedules_the_year(personas, plan, criteria, kpm):
    admin = personas["admin_maros"]
    day = timezone.localdate() - timedelta(days=1)
    actions.graduate_family(
        admin, plan, on=day, reason="Desil naik ke 5, warung berjalan", pathway="mandiri"
    )
    plan.refresh_from_db()
    kpm.refresh_from_db()
    assert plan.status == "lulus" and plan.graduated_on == day and plan.graduated_by == admin
    assert kpm.status == "graduasi" and kpm.status_since == day
    assert kpm.history.first().history_change_reason == "Desil naik ke 5, warung berjalan"
    assert [(f.months, f.due_on) for f in plan.follow_ups.all()] == [
        (3, add_months(day, 3)),
        (6, add_months(day, 6)),
        (12, add_months(day, 12)),
    ]


def test_a_family_short_of_the_criteria_does_not_graduate(personas, plan, criteria, kpm):
    household = kpm.household
    household.desil = 3
    household.save()
    with pytest.raises(ValidationError) as exc:
        actions.graduate_family(
            personas["admin_maros"], plan, on=None, reason="x", pathway="mandiri"
        )
    assert "Desil di atas 4 belum terpenuhi (desil 3)." in exc.value.messages
    kpm.refresh_from_db()
    plan.refresh_from_db()
    assert kpm.status == "aktif" and plan.status == "berjalan"
    assert not FollowUp.objects.exists()


def test_without_criteria_nobody_graduates(personas, plan):
    with pytest.raises(ValidationError, match="Belum ada kriteria graduasi"):
        actions.graduate_family(
            personas["admin_maros"], plan, on=None, reason="x", pathway="mandiri"
        )


def test_only_the_dinas_graduates(personas, plan, criteria):
    for who in ("tksk_moncongloe", "social_worker", "head", "admin_makassar"):
        with pytest.raises(PermissionDenied):
            actions.graduate_family(personas[who], plan, on=None, reason="x", pathway="mandiri")


def test_bad_graduation_input_is_refused(personas, plan, criteria):
    admin = personas["admin_maros"]
    with pytest.raises(ValidationError) as exc:
        actions.graduate_family(
            admin, plan, on=timezone.localdate() + timedelta(days=5), reason="", pathway="x"
        )
    assert set(exc.value.message_dict) == {"on", "reason", "pathway"}
    with pytest.raises(ValidationError) as exc:
        actions.graduate_family(admin, plan, on=date(2024, 1, 1), reason="x", pathway="mandiri")
    assert "sebelum keluarga menjadi KPM" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        actions.graduate_family(admin, plan, on=None, reason="x", pathway="kube")
    assert "kube_group" in exc.value.message_dict
    plan.refresh_from_db()
    assert plan.status == "berjalan"


def test_graduating_into_a_kube_group(personas, plan, criteria, kpm):
    admin = personas["admin_maros"]
    group = actions.create_group(
        admin,
        village=Area.objects.get(code=kpm.area_code),
        name="Maju Bersama",
        business_type="Ternak ayam kampung",
        formed_on=date(2025, 3, 1),
    )
    head = kpm.recipient
    actions.graduate_family(
        admin,
        plan,
        on=None,
        reason="Lulus",
        pathway="kube",
        kube=actions.KubeJoin(group, head, "Ayam petelur"),
    )
    member = KubeMember.objects.get()
    assert (member.group, member.person, member.plan, member.business) == (
        group,
        head,
        plan,
        "Ayam petelur",
    )


def test_a_kube_member_must_be_of_the_family(personas, plan, criteria, household_factory, kpm):
    admin = personas["admin_maros"]
    group = actions.create_group(
        admin,
        village=Area.objects.get(code=kpm.area_code),
        name="Maju",
        business_type="Warung",
        formed_on=date(2025, 3, 1),
    )
    stranger = household_factory().members.first()
    with pytest.raises(ValidationError) as exc:
        actions.graduate_family(
            admin, plan, on=None, reason="x", pathway="kube", kube=actions.KubeJoin(group, stranger)
        )
    assert "kube_person" in exc.value.message_dict
    kpm.refresh_from_db()
    assert kpm.status == "aktif"


def test_graduating_with_a_uep_grant(personas, plan, criteria, kpm):
    admin = personas["admin_maros"]
    actions.graduate_family(
        admin,
        plan,
        on=None,
        reason="Lulus",
        pathway="uep",
        uep=actions.UepData(
            amount=Decimal(5_000_000),
            granted_on=timezone.localdate(),
            business="Warung kelontong",
            recipient=kpm.recipient,
        ),
    )
    grant = UepGrant.objects.get()
    assert (grant.household, grant.plan, grant.amount) == (kpm.household, plan, 5_000_000)


def test_a_bad_uep_grant_stops_the_graduation(personas, plan, criteria, kpm):
    with pytest.raises(ValidationError) as exc:
        actions.graduate_family(
            personas["admin_maros"],
            plan,
            on=None,
            reason="Lulus",
            pathway="uep",
            uep=actions.UepData(amount=0, granted_on=None, business=""),
        )
    assert {"uep_amount", "uep_granted_on", "uep_business"} <= set(exc.value.message_dict)
    kpm.refresh_from_db()
    assert kpm.status == "aktif" and not UepGrant.objects.exists()


@pytest.fixture
def graduated(personas, plan, criteria):
    day = timezone.localdate() - timedelta(days=200)
    kpm = plan.enrolment
    kpm.enrolled_on = day - timedelta(days=400)
    kpm.save()
    actions.graduate_family(
        personas["admin_maros"], plan, on=day, reason="Lulus", pathway="mandiri"
    )
    return plan


def test_follow_ups_are_due_and_overdue(personas, graduated):
    from pandu.empowerment.tables import follow_up_state

    states = [follow_up_state(f) for f in graduated.follow_ups.all()]
    assert states == ["terlambat", "terlambat", "akan_datang"]


def test_a_follow_up_is_recorded_once(personas, graduated):
    tksk = personas["tksk_moncongloe"]
    first = graduated.follow_ups.get(months=3)
    actions.record_follow_up(tksk, first, done_on=timezone.localdate(), condition="mandiri")
    with pytest.raises(ValidationError, match="sudah dicatat"):
        actions.record_follow_up(tksk, first, done_on=timezone.localdate(), condition="mandiri")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"condition": "baik"}, "condition"),
        ({"condition": "perlu_dukungan", "note": ""}, "note"),
        ({"condition": "mandiri", "done_on": None}, "done_on"),
        ({"condition": "mandiri", "done_on": date(2020, 1, 1)}, "done_on"),
        ({"condition": "mandiri", "income_monthly": -5}, "income_monthly"),
    ],
)
def test_a_bad_follow_up_is_refused(personas, graduated, kwargs, field):
    data = {"done_on": timezone.localdate()} | kwargs
    follow_up = graduated.follow_ups.get(months=3)
    with pytest.raises(ValidationError) as exc:
        actions.record_follow_up(personas["tksk_moncongloe"], follow_up, **data)
    assert field in exc.value.message_dict
    follow_up.refresh_from_db()
    assert follow_up.done_on is None


def test_steps_are_done_and_a_plan_is_cancelled_with_a_reason(personas, plan):
    tksk = personas["tksk_moncongloe"]
    step = plan.steps.get()
    actions.complete_step(tksk, step, done_on=None)
    with pytest.raises(ValidationError, match="sudah selesai"):
        actions.complete_step(tksk, step, done_on=None)
    with pytest.raises(ValidationError):
        actions.cancel_plan(tksk, plan, "  ")
    actions.cancel_plan(tksk, plan, "Keluarga pindah")
    plan.refresh_from_db()
    assert plan.status == "batal"
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        actions.add_step(tksk, plan, actions.StepData("Lagi", timezone.localdate()))
    # A cancelled plan leaves room for a new one.
    assert actions.create_plan(tksk, plan.enrolment, facilitator=tksk, goals="Baru").pk
