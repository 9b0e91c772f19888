"""Who the one-stop service tells when work arrives: each action, done as the persona who does it
at the office, tells exactly the people whose work it is, with a link that opens the record."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pandu.notifications.models import Notification
from pandu.services import actions
from pandu.services.models import Referral

from .conftest import unregistered

pytestmark = pytest.mark.django_db


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def only(world, username: str, kind: str) -> Notification:
    """The one notification of ``kind``, which went to ``username`` and nobody else."""
    assert told(kind) == {username}
    return Notification.objects.get(kind=kind, user=world.users[username])


def follow(user, note: Notification, expected_path: str) -> None:
    """The addressee follows the notification: it leads to the record (which opens, after the
    reason page of a sensitive case) and is marked read."""
    client = Client()
    client.force_login(user)
    response = client.get(reverse("notifications:open", args=[note.uid]))
    assert response.status_code == 302 and response["Location"] == expected_path
    assert client.get(response["Location"], follow=True).status_code == 200
    note.refresh_from_db()
    assert note.read_at is not None


def _referral(world, case):
    worker = world.users["social_worker"]
    referral = actions.create_referral(
        worker,
        case,
        world.health,
        need_area="health",
        need="Pemeriksaan paru",
        done_so_far="Asesmen",
        request="Mohon pemeriksaan",
    )
    actions.record_consent(worker, referral, consent_by="self", method="signed")
    return actions.send_referral(worker, referral)


def _with_plan(world, case):
    actions.add_goal(world.users["social_worker"], case, description="Berobat", need_area="health")
    return case


def test_the_worker_is_told_of_a_case_routed_to_them_at_the_desk(world, make_intake):
    case = actions.open_case(
        world.users["front_office"], make_intake(), assign_to=world.users["social_worker"]
    )
    note = only(world, "social_worker", "case_assigned")
    assert note.title == f"Kasus baru ditugaskan: {case.number}"
    follow(world.users["social_worker"], note, reverse("services:case_detail", args=[case.uid]))


def test_the_new_worker_is_told_when_the_supervisor_reassigns_a_case(world, make_case):
    case = make_case()
    Notification.objects.all().delete()
    actions.assign_case(world.users["admin_maros"], case, world.users["worker2"])
    note = only(world, "worker2", "case_assigned")
    follow(world.users["worker2"], note, reverse("services:case_detail", args=[case.uid]))


def test_the_supervisor_is_told_of_a_plan_waiting_for_approval(world, make_case):
    case = _with_plan(world, make_case())
    actions.submit_plan(world.users["social_worker"], case)
    note = only(world, "admin_maros", "plan_submitted")
    assert case.number in note.title
    follow(world.users["admin_maros"], note, reverse("services:case_detail", args=[case.uid]))


def test_the_supervisor_is_told_of_a_closure_waiting_for_approval(world, make_case):
    case = make_case()
    actions.request_closure(
        world.users["social_worker"], case, outcome="resolved", summary="Sudah berobat"
    )
    note = only(world, "admin_maros", "closure_requested")
    assert case.number in note.title
    follow(world.users["admin_maros"], note, reverse("services:case_detail", args=[case.uid]))


def test_without_a_supervisor_the_areas_administrator_is_told(world, make_case):
    admin = world.users["admin_maros"]
    post = world.slrt.staff.get(user=admin, role="supervisor", ended_on__isnull=True)
    actions.end_staff(admin, post)
    case = _with_plan(world, make_case())
    actions.submit_plan(world.users["social_worker"], case)
    assert told("plan_submitted") == {"admin_maros"}


def test_the_agencys_users_are_told_of_a_referral_sent_to_it(world, make_case):
    referral = _referral(world, make_case())
    note = only(world, "partner", "referral_received")
    assert note.title == f"Rujukan baru: {referral.number}"
    follow(world.users["partner"], note, reverse("services:inbox_detail", args=[referral.uid]))


@pytest.mark.parametrize(
    ("moves", "status"),
    [
        ([("accept", "")], "disetujui"),
        ([("decline", "Di luar layanan kami")], "ditolak"),
        ([("accept", ""), ("complete", "Sudah diobati")], "selesai"),
        ([("receive", ""), ("return", "Alamat tidak ditemukan")], "dikembalikan"),
    ],
)
def test_the_case_worker_is_told_of_the_partners_answer(world, make_case, moves, status):
    case = make_case()
    referral = _referral(world, case)
    for move, text in moves:
        actions.partner_move(world.users["partner"], referral, move, text)
    notes = Notification.objects.filter(kind="referral_answer")
    assert {n.user.username for n in notes} == {"social_worker"}
    last = notes.order_by("-id").first()
    assert referral.number in last.title and status in last.title.lower()
    follow(world.users["social_worker"], last, reverse("services:case_detail", args=[case.uid]))


def test_the_case_worker_is_told_of_an_overdue_referral_in_the_daily_digest(world, make_case):
    case = make_case()
    referral = _referral(world, case)
    Referral.objects.filter(pk=referral.pk).update(
        respond_due=timezone.localdate() - timedelta(days=2)
    )
    actions.send_overdue_digest()
    assert told("overdue_digest") == {"partner", "admin_maros", "social_worker"}
    note = Notification.objects.get(kind="overdue_digest", user=world.users["social_worker"])
    assert referral.number in note.body
    follow(world.users["social_worker"], note, reverse("services:overdue"))


def test_a_sensitive_case_is_announced_by_its_number_only(world, make_intake):
    nik = "7309131703700011"
    intake = make_intake(
        subject=unregistered(nik=nik),
        needs=("health",),
        sensitive_topic="violence",
        description="Korban kekerasan dalam rumah tangga",
    )
    worker = world.users["social_worker"]
    case = actions.open_case(world.users["front_office"], intake, assign_to=worker)
    _with_plan(world, case)
    actions.submit_plan(worker, case)
    referral = _referral(world, case)
    actions.partner_move(world.users["partner"], referral, "decline", "Korban KDRT dirujuk ke PPA")
    notes = list(Notification.objects.all())
    assert {n.kind for n in notes} >= {
        "case_assigned",
        "plan_submitted",
        "referral_received",
        "referral_answer",
    }
    for note in notes:
        text = f"{note.title} {note.body}".lower()
        for secret in (nik, "kekerasan", "kdrt", "daeng baji", "dinas kesehatan"):
            assert secret not in text, (note.kind, text)
    note = Notification.objects.get(kind="case_assigned")
    assert note.title == f"Kasus baru ditugaskan: {case.number}"
    follow(worker, note, reverse("services:case_detail", args=[case.uid]))
