"""Closing a case asks what became of each open follow-up and plan action; nothing stays open."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pandu.services import actions
from pandu.services.models import Case, CaseEvent, PlanAction, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_case(world, make_case):
    """A case with one open follow-up and two plan actions, one of them done."""
    worker = world.users["social_worker"]
    case = make_case()
    due = timezone.localdate() + timedelta(days=7)
    task = actions.add_task(worker, case, title="Antar ke puskesmas", due_on=due)
    goal = actions.add_goal(worker, case, description="Berobat rutin", need_area="health")
    open_action = actions.add_plan_action(worker, goal, description="Daftar BPJS PBI")
    done_action = actions.add_plan_action(worker, goal, description="Periksa dahak")
    actions.set_plan_action_done(worker, done_action)
    return case, task, open_action, done_action


def _nothing_open(case) -> bool:
    return not actions.open_items(case)


def test_closure_is_refused_while_a_follow_up_or_plan_action_is_left_open(world, busy_case):
    case, task, open_action, _done = busy_case
    with pytest.raises(ValidationError) as exc:
        actions.request_closure(
            world.users["social_worker"], case, outcome="resolved", summary="Sudah berobat"
        )
    errors = exc.value.message_dict
    assert f"task-{task.uid}" in errors and f"action-{open_action.pk}" in errors
    assert "Antar ke puskesmas" in " ".join(errors["__all__"])
    case.refresh_from_db()
    assert case.status == "open"
    assert Task.objects.get(pk=task.pk).done_at is None


def test_a_cancelled_item_needs_its_reason_and_nothing_is_written_without_it(world, busy_case):
    case, task, open_action, _done = busy_case
    with pytest.raises(ValidationError) as exc:
        actions.request_closure(
            world.users["social_worker"],
            case,
            outcome="resolved",
            summary="Sudah berobat",
            resolutions={
                f"task-{task.uid}": ("done", ""),
                f"action-{open_action.pk}": ("cancelled", "  "),
            },
        )
    assert f"action-{open_action.pk}-reason" in exc.value.message_dict
    # The transaction wrote nothing: the task is still open.
    assert Task.objects.get(pk=task.pk).done_at is None
    assert Case.objects.get(pk=case.pk).status == "open"


def test_each_item_is_marked_done_or_cancelled_and_the_case_closes(world, busy_case):
    case, task, open_action, done_action = busy_case
    worker, supervisor = world.users["social_worker"], world.users["admin_maros"]
    actions.request_closure(
        worker,
        case,
        outcome="partial",
        summary="Sebagian terpenuhi",
        resolutions={
            f"task-{task.uid}": ("done", ""),
            f"action-{open_action.pk}": ("cancelled", "Sudah punya KIS dari desa"),
        },
    )
    task.refresh_from_db()
    open_action.refresh_from_db()
    assert task.done_at is not None and not task.cancelled and task.done_by == worker
    assert open_action.cancelled and open_action.cancel_reason == "Sudah punya KIS dari desa"
    assert not open_action.done
    assert PlanAction.objects.get(pk=done_action.pk).done
    # The trail's detail is encrypted in its column (decision 0019): read, then compared.
    details = CaseEvent.objects.filter(case=case).values_list("detail", flat=True)
    assert any("Dibatalkan: Daftar BPJS PBI (Sudah punya KIS dari desa)" in d for d in details)
    actions.decide_closure(supervisor, case, approve=True)
    case.refresh_from_db()
    assert case.status == "closed" and _nothing_open(case)


def test_a_follow_up_added_after_the_request_keeps_the_case_open(world, busy_case):
    case, task, open_action, _done = busy_case
    worker = world.users["social_worker"]
    actions.request_closure(
        worker,
        case,
        outcome="resolved",
        summary="Selesai",
        resolutions={
            f"task-{task.uid}": ("done", ""),
            f"action-{open_action.pk}": ("done", ""),
        },
    )
    actions.add_task(
        worker, case, title="Kunjungan akhir", due_on=timezone.localdate() + timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="Kunjungan akhir"):
        actions.decide_closure(world.users["admin_maros"], case, approve=True)
    assert Case.objects.get(pk=case.pk).status == "closure_requested"


def test_the_closure_form_lists_each_open_item_with_its_choice(world, busy_case):
    case, task, open_action, done_action = busy_case
    client = Client()
    client.force_login(world.users["social_worker"])
    url = reverse("services:case_close", args=[case.uid])
    page = client.get(url).content.decode()
    assert f'name="task-{task.uid}"' in page and f'name="action-{open_action.pk}"' in page
    assert f'name="action-{done_action.pk}"' not in page
    assert "Antar ke puskesmas" in page and "Daftar BPJS PBI" in page

    # No choice made: the form says so and nothing changes.
    response = client.post(url, {"outcome": "resolved", "summary": "Selesai"})
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).status == "open"

    # Cancelled without a reason: asked for the reason.
    data = {
        "outcome": "resolved",
        "summary": "Selesai",
        f"task-{task.uid}": "done",
        f"action-{open_action.pk}": "cancelled",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "Tuliskan alasan pembatalan" in response.content.decode()

    data[f"action-{open_action.pk}-reason"] = "Tidak diperlukan lagi"
    response = client.post(url, data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closure_requested" and _nothing_open(case)
    detail = client.get(reverse("services:case_detail", args=[case.uid])).content.decode()
    assert "Tidak diperlukan lagi" in detail


def test_a_case_without_open_items_closes_as_before(world, make_case):
    case = make_case()
    actions.request_closure(
        world.users["social_worker"], case, outcome="resolved", summary="Selesai"
    )
    actions.decide_closure(world.users["admin_maros"], case, approve=True)
    assert Case.objects.get(pk=case.pk).status == "closed"
