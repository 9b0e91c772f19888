"""Aid-use visits: what the TKSK records, what is refused and why, who sees the visits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pandu.conftest import MAKASSAR_VILLAGE
from pandu.empowerment import actions
from pandu.empowerment.models import UseVisit
from pandu.notifications.models import Notification

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def visit(user, enrolment, **answers):
    answers.setdefault("visited_on", TODAY())
    return actions.record_visit(user, enrolment, **answers)


def errors(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


def test_tksk_records_what_the_aid_was_used_for_and_the_problems(personas, kpm):
    tksk = personas["tksk_moncongloe"]
    row = visit(
        tksk,
        kpm,
        use_food=True,
        use_school=True,
        problem_card=True,
        problem_card_note="Kartu KKS rusak, belum diganti bank",
        follow_up_needed=True,
        follow_up_note="Antar ke bank untuk ganti kartu",
    )
    row.refresh_from_db()
    assert row.area_code == kpm.area_code and row.visitor == tksk
    assert row.uses == ["Pangan", "Sekolah anak"]
    assert row.problems == [("Masalah kartu KKS", "Kartu KKS rusak, belum diganti bank")]
    assert row.history.get().history_user == tksk


def test_a_visit_asking_for_follow_up_tells_the_dinas_of_the_area(personas, kpm):
    visit(
        personas["tksk_moncongloe"],
        kpm,
        use_food=True,
        follow_up_needed=True,
        follow_up_note="PIN terblokir",
    )
    told = Notification.objects.filter(kind="empowerment.follow_up")
    assert {n.user.username for n in told} == {"admin_maros"}
    assert "PIN" not in told.get().body  # the field note stays on the visit page


def test_a_received_aid_needs_at_least_one_use(personas, kpm):
    with pytest.raises(ValidationError) as exc:
        visit(personas["tksk_moncongloe"], kpm)
    assert "Pilih paling sedikit satu penggunaan bantuan." in errors(exc)["uses"]
    assert not UseVisit.objects.exists()


def test_aid_not_received_takes_no_uses(personas, kpm):
    tksk = personas["tksk_moncongloe"]
    with pytest.raises(ValidationError) as exc:
        visit(tksk, kpm, aid_received=False, use_food=True)
    assert "uses" in errors(exc)
    row = visit(
        tksk, kpm, aid_received=False, problem_pin=True, problem_pin_note="PIN lupa, terblokir"
    )
    assert row.uses == [] and not row.aid_received


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"use_other": True}, "use_note", "Tuliskan penggunaan lainnya."),
        ({"use_food": True, "problem_ewarong": True}, "problem_ewarong_note", "Jelaskan"),
        (
            {"use_food": True, "problem_card_note": "kartu hilang"},
            "problem_card",
            "Centang 'Masalah kartu KKS'",
        ),
        ({"use_food": True, "follow_up_needed": True}, "follow_up_note", "Tuliskan tindak"),
        ({"use_food": True, "follow_up_note": "ke bank"}, "follow_up_needed", "Centang"),
        ({"use_food": True, "visited_on": None}, "visited_on", "wajib diisi"),
        (
            {"use_food": True, "visited_on": date.today() + timedelta(days=2)},
            "visited_on",
            "tidak boleh di masa depan",
        ),
        (
            {"use_food": True, "visited_on": date(2024, 12, 31)},
            "visited_on",
            "sebelum keluarga menjadi KPM",
        ),
    ],
)
def test_bad_answers_are_refused_with_a_message_on_the_field(
    personas, kpm, answers, field, message
):
    answers.setdefault("visited_on", TODAY())
    with pytest.raises(ValidationError) as exc:
        actions.record_visit(personas["tksk_moncongloe"], kpm, **answers)
    assert any(message in m for m in errors(exc)[field]), errors(exc)
    assert not UseVisit.objects.exists()


def test_the_same_visitor_records_a_family_once_a_day(personas, kpm):
    tksk = personas["tksk_moncongloe"]
    visit(tksk, kpm, use_food=True)
    with pytest.raises(ValidationError) as exc:
        visit(tksk, kpm, use_health=True)
    assert "sudah tercatat" in errors(exc)["visited_on"][0]
    visit(personas["social_worker"], kpm, use_health=True)  # a facilitator on the same day
    assert UseVisit.objects.count() == 2


def test_a_location_is_checked_like_the_field_visits(personas, kpm):
    tksk = personas["tksk_moncongloe"]
    bad = actions.VisitLocation(latitude="95", longitude="119.5")
    with pytest.raises(ValidationError) as exc:
        visit(tksk, kpm, use_food=True, location=bad)
    assert "latitude" in errors(exc)
    good = actions.VisitLocation(
        latitude="-5.123456", longitude="119.512345", accuracy="12", taken_at=timezone.now()
    )
    row = visit(tksk, kpm, use_food=True, location=good)
    assert str(row.visit_latitude) == "-5.123456"


def test_only_active_or_suspended_kpm_are_visited(personas, make_kpm):
    graduated = make_kpm(status="graduasi")
    with pytest.raises(ValidationError, match="hanya untuk KPM aktif atau ditangguhkan"):
        visit(personas["tksk_moncongloe"], graduated, use_food=True)
    suspended = make_kpm(status="ditangguhkan")
    assert visit(personas["tksk_moncongloe"], suspended, use_food=True).pk


@pytest.mark.parametrize("who", ["admin_maros", "head", "auditor", "operator_lappara"])
def test_roles_that_do_not_go_into_the_field_record_no_visit(personas, kpm, who):
    with pytest.raises(PermissionDenied):
        visit(personas[who], kpm, use_food=True)
    assert not UseVisit.objects.exists()


def test_a_tksk_records_nothing_outside_their_district(personas, make_kpm):
    makassar = make_kpm(MAKASSAR_VILLAGE)
    with pytest.raises(PermissionDenied):
        visit(personas["tksk_moncongloe"], makassar, use_food=True)


def test_visits_are_seen_inside_the_area_only(personas, make_kpm, kpm):
    visit(personas["tksk_moncongloe"], kpm, use_food=True)
    seen = {who: UseVisit.objects.visible_to(u).count() for who, u in personas.items()}
    assert seen == {
        "admin_maros": 1,
        "operator_lappara": 0,
        "operator_bulu": 0,
        "tksk_moncongloe": 1,
        "social_worker": 1,
        "front_office": 0,
        "partner": 0,
        "head": 1,
        "auditor": 1,
        "admin_makassar": 0,
    }
