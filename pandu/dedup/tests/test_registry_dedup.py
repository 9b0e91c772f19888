"""Deduplication against the registry: the command, the online check, the review queue, merges."""

import csv
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.conftest import BULU, LAPPARA, MAKASSAR_VILLAGE, api_token
from pandu.core.models import AccessLog
from pandu.dedup import actions
from pandu.dedup.models import DuplicatePair, Merge, PairStatus
from pandu.dedup.online import possible_duplicates
from pandu.regions.models import Area
from pandu.registry import actions as registry_actions
from pandu.registry.models import (
    Membership,
    Person,
    PPKSAssignment,
    PPKSCategory,
    PSKSPerson,
    PSKSType,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins_of_one(person_factory):
    """Pak Rahman registered twice: in Lappara, and again in Bulu under another NIK."""
    first = person_factory("Moh. Rahman", date(1980, 5, 17), spouse="Siti Aminah")
    again = person_factory(
        "H. Muhammad Rahman", date(1980, 5, 17), village=BULU, spouse="Sitti Aminah"
    )
    person_factory("Andi Baso", date(1975, 1, 9))
    person_factory("Nurhayati", date(1990, 2, 3), sex="P")
    return first, again


def _pair(a, b):
    a, b = sorted((a, b), key=lambda p: p.pk)
    return DuplicatePair.objects.get(person_a=a, person_b=b)


def test_find_duplicates_stores_the_pair_and_writes_the_export(twins_of_one, tmp_path):
    first, again = twins_of_one
    out = tmp_path / "PAIRS.csv"
    call_command("find_duplicates", "--export", str(out), "--threshold", "0.5")
    pair = _pair(first, again)
    assert pair.status == PairStatus.OPEN and pair.probability >= 0.5
    levels = {e["comparison"]: e["level"] for e in pair.evidence}
    assert levels["name"] == "exact" and levels["birth_date"] == "exact"
    assert levels["spouse"] == "shared"
    lines = out.read_text().splitlines()
    assert lines[0] == "nik_a,nik_b,probability"
    rows = list(csv.DictReader(lines))
    assert {first.nik, again.nik} in [{r["nik_a"], r["nik_b"]} for r in rows]
    assert all(0.5 <= float(r["probability"]) <= 1 for r in rows)
    # A later run finds the pair again but keeps the reviewer's decision.
    actions.dismiss_pair(_admin(), pair, reason="kakak-adik")
    call_command("find_duplicates", "--threshold", "0.5")
    again_pair = DuplicatePair.objects.get(person_a=pair.person_a, person_b=pair.person_b)
    assert again_pair.status == PairStatus.DISMISSED


def _admin():
    from pandu.accounts.models import User

    return User.objects.get(username="admin_maros")


def test_find_duplicates_in_an_area_only_compares_people_there(twins_of_one, stored_model):
    call_command("find_duplicates", "--area", LAPPARA, "--threshold", "0.5")
    assert not DuplicatePair.objects.exists()


def test_online_check_suggests_the_person_already_registered(twins_of_one, personas, stored_model):
    first, _again = twins_of_one
    data = {
        "full_name": "H. Muhamad Rahman",
        "birth_date": "17-05-1980",
        "sex": "L",
        "village": LAPPARA,
        "birth_place": "Maros",
    }
    found = possible_duplicates(data, user=personas["operator_lappara"])
    assert found and found[0][0] == first
    assert found[0][1] > 0.5
    # An operator of another village is not told about people outside their area.
    other = possible_duplicates(data, user=personas["admin_makassar"])
    assert other == []


def test_online_check_endpoint_answers_htmx_with_the_candidates(twins_of_one, personas):
    client = Client()
    client.force_login(personas["operator_lappara"])
    response = client.post(
        reverse("dedup:check"),
        {"m-0-full_name": "Muhammad Rahman", "m-0-birth_date": "05-17-1980", "m-0-sex": "L",
         "village": LAPPARA},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 200
    assert "Moh. Rahman" in response.content.decode()
    assert twins_of_one[0].nik not in response.content.decode()


@pytest.fixture
def stored_model(db):
    """A stored model, so runs in these tests score without training (training is tested once)."""
    from pandu.dedup import spec
    from pandu.dedup.models import LinkageModel

    return LinkageModel.objects.create(settings_json=spec.settings_dict(prior=1e-3), records=6)


def _run(personas):
    return actions.find_duplicates(personas["admin_maros"], threshold=0.5)


def test_review_queue_is_scoped_to_the_area_of_both_people(twins_of_one, personas, stored_model):
    _run(personas)
    pair = _pair(*twins_of_one)
    url = reverse("dedup:pair_detail", args=[pair.uid])
    tksk = Client()
    tksk.force_login(personas["tksk_moncongloe"])
    assert tksk.get(reverse("dedup:pair_list")).status_code == 200
    page = tksk.get(url)
    assert page.status_code == 200 and "Moh. Rahman" in page.content.decode()
    # The operator of Lappara sees one of the two people only; Makassar sees neither.
    for who in ("operator_lappara", "admin_makassar", "operator_bulu"):
        client = Client()
        client.force_login(personas[who])
        assert client.get(url).status_code == 404, who
        assert AccessLog.objects.filter(
            user=personas[who], kind=AccessLog.Kind.DENIED, path=url
        ).exists(), who
        before = DuplicatePair.objects.get(pk=pair.pk).status
        client.post(url, {"decision": "dismiss", "reason": "bukan"})
        assert DuplicatePair.objects.get(pk=pair.pk).status == before


def test_api_lists_pairs_only_inside_the_area(twins_of_one, personas, stored_model):
    _run(personas)
    pair = _pair(*twins_of_one)

    def api(who):
        client = APIClient()
        token = api_token(personas[who])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    listed = api("admin_maros").get("/api/v1/dedup/pairs/").json()["results"]
    assert str(pair.uid) in [p["uid"] for p in listed]
    assert api("admin_makassar").get("/api/v1/dedup/pairs/").json()["results"] == []
    assert api("admin_makassar").get(f"/api/v1/dedup/pairs/{pair.uid}/").status_code == 404
    refused = api("admin_makassar").post(
        f"/api/v1/dedup/pairs/{pair.uid}/dismiss/", {"reason": "x"}, format="json"
    )
    assert refused.status_code == 404
    done = api("social_worker").post(
        f"/api/v1/dedup/pairs/{pair.uid}/dismiss/", {"reason": "kembar"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "dismissed"


def _links(*people):
    """Every link that points at these people, as comparable tuples."""
    ids = [p.pk for p in people]
    return (
        sorted(
            PPKSAssignment.objects.filter(person_id__in=ids).values_list(
                "pk", "person_id", "area_code", "active"
            )
        ),
        sorted(PSKSPerson.objects.filter(person_id__in=ids).values_list("pk", "person_id")),
        sorted(
            Membership.objects.filter(person_id__in=ids).values_list(
                "pk", "person_id", "household_id", "ended", "reason"
            )
        ),
        sorted(
            Person.objects.filter(pk__in=ids).values_list(
                "pk", "status", "status_date", "status_reason", "merged_into_id", "household_id"
            )
        ),
    )


def test_merge_moves_every_link_keeps_history_and_undo_restores_it_exactly(
    twins_of_one, personas, stored_model
):
    first, again = twins_of_one
    admin = personas["admin_maros"]
    category = PPKSCategory.objects.get(number=24)  # Fakir Miskin
    ppks = registry_actions.assign_ppks(
        admin, category=category, person=again, identified_on=date(2025, 1, 6), source="visit"
    )
    role = registry_actions.register_psks_person(
        admin,
        psks_type=PSKSType.objects.get(number=2),
        person=again,
        area=Area.objects.get(code=BULU),
    )
    _run(personas)
    pair = _pair(first, again)
    before = _links(first, again)
    history_before = again.history.count()

    merge = actions.confirm_pair(admin, pair, reason="KK asli diperiksa", survivor=first)
    assert merge.survivor == first and merge.merged == again
    ppks.refresh_from_db()
    role.refresh_from_db()
    again.refresh_from_db()
    assert ppks.person == first and ppks.area_code == first.area_code
    assert role.person == first
    assert again.status == "merged" and again.merged_into == first
    assert Membership.objects.filter(person=again).count() == 0
    moved = Membership.objects.filter(person=first, household=again.household).get()
    assert moved.ended == date.today()  # the survivor's own household stays current
    assert Membership.objects.filter(person=first, ended__isnull=True).count() == 1
    assert again.history.count() == history_before + 1
    assert "Penggabungan data ganda" in again.history.first().history_change_reason
    assert ppks.history.first().history_change_reason.startswith("Penggabungan")
    assert DuplicatePair.objects.get(pk=pair.pk).status == PairStatus.CONFIRMED
    # The merged person is no longer active anywhere.
    assert not Person.objects.active().filter(pk=again.pk).exists()
    assert not DuplicatePair.objects.reviewable().filter(pk=pair.pk).exists()
    data = {"full_name": "Muhammad Rachman", "birth_date": date(1980, 5, 17), "sex": "L"}
    suggested = [p for p, _prob, _ev in possible_duplicates(data, user=admin)]
    assert again not in suggested and first in suggested

    actions.undo_merge(admin, merge, reason="salah gabung")
    assert _links(first, again) == before
    again.refresh_from_db()
    assert again.status == "active" and again.merged_into is None
    assert again.history.count() == history_before + 2
    assert Merge.objects.get(pk=merge.pk).undone_at is not None
    assert DuplicatePair.objects.get(pk=pair.pk).status == PairStatus.OPEN


def test_merge_through_the_page_and_undo_through_the_api(twins_of_one, personas, stored_model):
    first, again = twins_of_one
    _run(personas)
    pair = _pair(first, again)
    client = Client()
    client.force_login(personas["social_worker"])
    response = client.post(
        reverse("dedup:pair_detail", args=[pair.uid]),
        {"decision": "merge", "survivor": "a" if pair.person_a == first else "b",
         "reason": "sama"},
    )  # fmt: skip
    assert response.status_code == 302
    merge = Merge.objects.get()
    assert merge.survivor == first
    api = APIClient()
    token = api_token(personas["admin_makassar"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post(f"/api/v1/dedup/merges/{merge.uid}/undo/", {"reason": "x"}).status_code == 404
    token = api_token(personas["admin_maros"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    undone = api.post(f"/api/v1/dedup/merges/{merge.uid}/undo/", {"reason": "keliru"})
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert Person.objects.get(pk=again.pk).status == "active"


def test_roles_without_review_get_404_and_a_log_row(personas):
    for who in ("operator_lappara", "front_office", "partner", "auditor"):
        client = Client()
        client.force_login(personas[who])
        assert client.get(reverse("dedup:pair_list")).status_code == 404, who
        assert AccessLog.objects.filter(user=personas[who], kind="denied").exists()


def test_run_page_queues_a_job_for_administrators(personas, stored_model):
    client = Client()
    client.force_login(personas["admin_maros"])
    response = client.post(reverse("dedup:run_start"), {"area": "73.09", "threshold": "0.8"})
    assert response.status_code == 302
    from pandu.core.jobs import run_pending
    from pandu.core.models import Job

    job = Job.objects.get(kind="dedup.find")
    assert job.area_code == "73.09"
    run_pending()
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    other = Client()
    other.force_login(personas["admin_maros"])
    assert Client().get(reverse("dedup:run_start")).status_code == 302  # login first
    refused = Client()
    refused.force_login(personas["tksk_moncongloe"])
    assert refused.get(reverse("dedup:run_start")).status_code == 404
    outside = client.post(
        reverse("dedup:run_start"), {"area": MAKASSAR_VILLAGE, "threshold": "0.8"}
    )
    assert outside.status_code == 200 and Job.objects.filter(kind="dedup.find").count() == 1
