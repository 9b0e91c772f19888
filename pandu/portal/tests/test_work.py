"""Each person's front page shows their own work first: the desk today's queue, the worker their
cases by urgency, the supervisor what waits for approval, the TKSK the visits of his district,
the partner the referrals to answer and the overdue ones, the head the trends. Nobody sees the
work of others, and the page costs the same number of queries for a few rows as for many."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pandu.conftest import LAPPARA, MANDAI_VILLAGE
from pandu.proposals import actions as proposals
from pandu.proposals.tests.conftest import minutes_pdf, new_family
from pandu.services import actions
from pandu.services.models import Referral
from pandu.services.tests.conftest import unregistered

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home(user):
    response = client_for(user).get(reverse("portal:home"))
    assert response.status_code == 200
    return response


def section(response, key: str):
    found = [s for s in response.context["sections"] if s.key == key]
    return found[0] if found else None


def keys(response) -> list[str]:
    return [s.key for s in response.context["sections"]]


# --- front office ---------------------------------------------------------------------------------


def test_the_desk_sees_todays_queue_with_the_waiting_visitors_first(world, make_intake):
    served = make_intake(subject=unregistered("Orang Dilayani"), channel="phone")
    waiting = make_intake(subject=unregistered("Orang Menunggu"))

    response = home(world.users["front_office"])

    assert keys(response)[0] == "queue"
    rows = section(response, "queue").rows
    assert [r.pk for r in rows] == [waiting.pk, served.pk]
    html = response.content.decode()
    assert waiting.ticket_number in html and "Orang Menunggu" in html


def test_the_desk_does_not_see_another_points_visitors_or_yesterdays(world, make_intake):
    elsewhere = make_intake(
        subject=unregistered("Orang Puskesos"),
        user=world.users["tksk_moncongloe"],
        point=world.puskesos,
    )
    old = make_intake(subject=unregistered("Orang Kemarin"))
    type(old).objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=1))

    rows = section(home(world.users["front_office"]), "queue").rows

    assert elsewhere.pk not in [r.pk for r in rows]
    assert old.pk not in [r.pk for r in rows]


# --- social worker --------------------------------------------------------------------------------


def test_the_worker_sees_own_cases_urgent_first_and_not_a_colleagues(world, make_case):
    andi = world.users["social_worker"]
    normal = make_case(subject=unregistered("Orang Biasa"))
    emergency = make_case(subject=unregistered("Orang Darurat"), urgency="emergency")
    colleagues = make_case(subject=unregistered("Orang Rekan"), worker=world.users["worker2"])

    response = home(andi)

    assert keys(response)[0] == "my_cases"
    rows = section(response, "my_cases").rows
    assert [r.pk for r in rows] == [emergency.pk, normal.pk]
    html = response.content.decode()
    assert colleagues.number not in html
    assert 'data-urgency="emergency"' in html
    assert "queue" not in keys(response) and "visits" not in keys(response)


def test_the_worker_sees_the_nearest_due_date_first_among_equally_urgent_cases(world, make_case):
    andi = world.users["social_worker"]
    later = make_case(subject=unregistered("Orang Nanti"))
    sooner = make_case(subject=unregistered("Orang Segera"))
    today = timezone.localdate()
    actions.add_task(andi, later, title="Kunjungan", due_on=today + timedelta(days=10))
    actions.add_task(andi, sooner, title="Kunjungan", due_on=today + timedelta(days=1))

    rows = section(home(andi), "my_cases").rows
    assert [r.pk for r in rows] == [sooner.pk, later.pk]


def test_a_long_caseload_shows_ten_and_links_to_the_whole_list(world, make_case):
    for i in range(12):
        make_case(subject=unregistered(f"Orang Ke {i}"))

    mine = section(home(world.users["social_worker"]), "my_cases")

    assert len(mine.rows) == 10 and mine.more
    assert mine.see_all == reverse("services:case_list") + "?lingkup=saya&status=aktif"


# --- supervisor -----------------------------------------------------------------------------------


def test_the_supervisor_sees_plans_and_closures_waiting_for_approval(world, make_case):
    andi, admin = world.users["social_worker"], world.users["admin_maros"]
    planned = make_case(subject=unregistered("Orang Rencana"))
    actions.add_goal(andi, planned, description="Berobat rutin", need_area="health")
    actions.submit_plan(andi, planned)
    closing = make_case(subject=unregistered("Orang Tutup"))
    actions.request_closure(andi, closing, outcome="resolved", summary="Sudah selesai")
    quiet = make_case(subject=unregistered("Orang Biasa"))

    response = home(admin)

    waiting = section(response, "approvals")
    assert {r.pk for r in waiting.rows} == {planned.pk, closing.pk}
    assert quiet.pk not in {r.pk for r in waiting.rows}
    assert "Penutupan kasus" in response.content.decode()


def test_a_worker_who_supervises_nobody_has_no_approvals(world, make_case):
    andi = world.users["social_worker"]
    case = make_case(worker=world.users["worker2"])
    actions.add_goal(world.users["worker2"], case, description="Berobat", need_area="health")
    actions.submit_plan(world.users["worker2"], case)

    assert section(home(andi), "approvals") is None


# --- TKSK -----------------------------------------------------------------------------------------


def _submitted_item(user, village: str, serial: int):
    batch = proposals.create_batch(
        user, village=village, meeting_date=date.today() - timedelta(days=2), minutes=minutes_pdf()
    )
    item = proposals.add_household_item(user, batch, **new_family(serial, village=village))
    proposals.submit_batch(user, batch)
    return item


def test_the_tksk_sees_the_visits_waiting_in_his_district_only(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    mine = _submitted_item(world.users["operator_lappara"], LAPPARA, 50)
    from pandu.accounts.models import User

    admin = world.users["admin_maros"]
    operator_mandai = User.objects.create_user("op_mandai", role="operator", area_id=MANDAI_VILLAGE)
    elsewhere = _submitted_item(operator_mandai, MANDAI_VILLAGE, 70)

    response = home(world.users["tksk_moncongloe"])

    visits = section(response, "visits")
    assert [i.pk for i in visits.rows] == [mine.pk]
    assert "Daeng Sikki" in response.content.decode()
    assert elsewhere.pk not in [i.pk for i in visits.rows]
    # The administrator decides; the regency's verification queue is not his own work.
    assert section(home(admin), "visits") is None


def test_the_administrator_sees_the_proposals_waiting_for_a_decision(world, settings, tmp_path):
    from pandu.proposals.tests.conftest import confirm_all

    settings.MEDIA_ROOT = tmp_path / "media"
    item = _submitted_item(world.users["operator_lappara"], LAPPARA, 50)
    proposals.verify_item(world.users["tksk_moncongloe"], item, results=confirm_all(item))

    decisions = section(home(world.users["admin_maros"]), "decisions")
    assert [i.pk for i in decisions.rows] == [item.pk]
    assert section(home(world.users["tksk_moncongloe"]), "decisions") is None


# --- partner --------------------------------------------------------------------------------------


def _sent_referral(world, make_case, service, name: str) -> Referral:
    andi = world.users["social_worker"]
    need = service.need_areas[0] if hasattr(service, "need_areas") else "health"
    case = make_case(subject=unregistered(name), needs=(need,))
    referral = actions.create_referral(
        andi, case, service, need_area=need, need="Perlu layanan", request="Mohon dilayani"
    )
    actions.record_consent(andi, referral, consent_by="self", method="signed")
    return actions.send_referral(andi, referral)


def test_the_partner_sees_referrals_to_answer_and_overdue_ones_of_her_agency_only(world, make_case):
    fresh = _sent_referral(world, make_case, world.health, "Orang Baru")
    late = _sent_referral(world, make_case, world.health, "Orang Lama")
    Referral.objects.filter(pk=late.pk).update(respond_due=timezone.localdate() - timedelta(days=2))
    other_agency = _sent_referral(world, make_case, world.civil, "Orang Dukcapil")

    response = home(world.users["partner"])

    assert keys(response)[:2] == ["to_answer", "overdue_referrals"]
    assert {r.pk for r in section(response, "to_answer").rows} == {fresh.pk, late.pk}
    assert [r.pk for r in section(response, "overdue_referrals").rows] == [late.pk]
    html = response.content.decode()
    assert other_agency.number not in html
    assert fresh.number in html


# --- head of office -------------------------------------------------------------------------------


def test_the_head_sees_figures_and_intake_trends_by_month_and_district(world, make_intake):
    make_intake(subject=unregistered("Orang Lappara"))
    make_intake(subject=unregistered("Orang Mandai", village=MANDAI_VILLAGE))

    response = home(world.users["head"])

    trends = response.context["trends"]
    assert len(trends["months"]) == 12
    assert trends["months"][-1]["month"] == timezone.localdate().replace(day=1)
    assert trends["months"][-1]["n"] == 2 and trends["total"] == 2
    by_district = {d["code"]: d["n"] for d in trends["districts"]}
    assert by_district == {"73.09.13": 1, "73.09.01": 1}
    assert response.context["figures"] is not None
    assert response.context["sections"] == []
    assert 'data-home="trends"' in response.content.decode()


def test_trends_stay_inside_the_users_regency(world, make_intake):
    make_intake(subject=unregistered("Orang Lappara"))

    makassar = home(world.users["admin_makassar"]).context["trends"]

    assert makassar["total"] == 0
    assert {d["code"] for d in makassar["districts"]} == {"73.71.01"}


def test_a_caseworker_gets_no_trends(world):
    assert home(world.users["social_worker"]).context["trends"] is None
    assert home(world.users["partner"]).context["trends"] is None


# --- cost -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["front_office", "social_worker", "admin_maros", "partner", "head"])
def test_the_home_page_costs_the_same_queries_for_few_or_many_rows(world, make_case, who):
    def queries() -> int:
        client = client_for(world.users[who])
        client.get(reverse("portal:home"))  # warm the figures' cache and the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("portal:home")).status_code == 200
        return len(captured)

    make_case(subject=unregistered("Orang Pertama"))
    _sent_referral(world, make_case, world.health, "Orang Rujukan")
    few = queries()
    for i in range(12):
        case = make_case(subject=unregistered(f"Orang Ke {i}"))
        actions.add_task(
            world.users["social_worker"], case, title="Kunjungan", due_on=timezone.localdate()
        )
        _sent_referral(world, make_case, world.health, f"Orang Rujukan {i}")
    many = queries()

    assert many == few
    assert many <= 20
