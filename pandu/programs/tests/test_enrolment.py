"""Candidates to KPM: the list from a committed run, the TKSK's visit, the Dinas's and the head's
approval with the decree and its printed list, quotas per area, statuses with their history,
the families that cannot be enrolled, one place per family, the area scope and the pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pandu.conftest import BULU, LAPPARA, MAKASSAR_VILLAGE, make_nik
from pandu.core.models import AccessLog
from pandu.programs import actions
from pandu.programs.models import Enrolment, EnrolmentQuota, Programme
from pandu.regions.models import Area
from pandu.registry import actions as registry_actions
from pandu.registry.models import Household
from pandu.targeting import actions as targeting
from pandu.targeting import rules

pytestmark = pytest.mark.django_db

EVERY_FAMILY = {"field": "household_size", "op": "gte", "value": 2}


@pytest.fixture
def programme(db):
    return Programme.objects.create(code="PKH-UJI", name="PKH uji", benefit_type="tunai")


def committed_run(user, programme, area, rule=EVERY_FAMILY):
    ruleset = targeting.save_ruleset(user, name=f"aturan {programme.code}", rule=rule)
    run = targeting.start_run(
        user, ruleset=ruleset, area=area, programme=programme, background=False
    )
    return targeting.commit_run(user, run)


@pytest.fixture
def families(household_factory):
    return [household_factory(LAPPARA), household_factory(LAPPARA), household_factory(BULU)]


@pytest.fixture
def candidates(personas, programme, families):
    run = committed_run(personas["admin_maros"], programme, "73.09.13")
    actions.create_candidates(personas["admin_maros"], run)
    return {e.household_id: e for e in Enrolment.objects.filter(programme=programme)}


def visit(personas, enrolment, result="ditemukan", note=""):
    return actions.verify_candidate(
        personas["tksk_moncongloe"], enrolment, result=result, note=note
    )


def to_dinas(personas, enrolment):
    visit(personas, enrolment)
    return actions.approve_by_dinas(personas["admin_maros"], enrolment)


# --- the list ---------------------------------------------------------------------------------


def test_candidates_are_the_eligible_families_of_a_committed_run(
    personas, programme, families, household_factory
):
    alone = {
        "nik": make_nik("73.09.13", date(1950, 1, 5), "P", 99),
        "full_name": "Hasnah",
        "sex": "P",
        "birth_date": date(1950, 1, 5),
        "relationship": 1,
        "marital_status": 4,
    }
    outside = household_factory(LAPPARA, members=[alone])  # one member: not selected
    run = committed_run(personas["admin_maros"], programme, "73.09.13")
    assert actions.create_candidates(personas["admin_maros"], run) == 3
    made = Enrolment.objects.filter(programme=programme)
    assert {e.household_id for e in made} == {f.pk for f in families}
    assert outside.pk not in {e.household_id for e in made}
    first = made.get(household=families[0])
    assert first.status == "calon" and first.step == "menunggu_verifikasi"
    assert first.area_code == LAPPARA and first.run == run
    assert first.recipient.relationship == 1
    assert first.history.first().history_user == personas["admin_maros"]
    # Made again: nobody is listed twice.
    assert actions.create_candidates(personas["admin_maros"], run) == 0


def test_a_dry_run_gives_no_candidates(personas, programme, families):
    ruleset = targeting.save_ruleset(personas["admin_maros"], name="x", rule=EVERY_FAMILY)
    run = targeting.start_run(
        personas["admin_maros"],
        ruleset=ruleset,
        area="73.09.13",
        programme=programme,
        background=False,
    )
    with pytest.raises(ValidationError, match="sudah ditetapkan"):
        actions.create_candidates(personas["admin_maros"], run)
    assert not Enrolment.objects.exists()


def test_only_the_administrator_of_the_area_makes_the_list(personas, programme, families):
    run = committed_run(personas["admin_maros"], programme, "73.09.13")
    for who in ("admin_makassar", "tksk_moncongloe", "head"):
        with pytest.raises(PermissionDenied):
            actions.create_candidates(personas[who], run)
    assert not Enrolment.objects.exists()


# --- the visit ----------------------------------------------------------------------------------


def test_tksk_records_the_visit_with_location(personas, candidates, families):
    enrolment = candidates[families[0].pk]
    taken = timezone.now()
    done = actions.verify_candidate(
        personas["tksk_moncongloe"],
        enrolment,
        result="ditemukan",
        note="Rumah panggung, ibu di rumah",
        location=actions.VisitLocation(-5.1, 119.6, 12, taken),
    )
    assert done.step == "terverifikasi" and done.visit_result == "ditemukan"
    assert done.verified_by == personas["tksk_moncongloe"]
    assert float(done.visit_latitude) == -5.1 and float(done.visit_accuracy) == 12
    assert done.history.first().history_change_reason == "Rumah panggung, ibu di rumah"


def test_a_visit_that_did_not_find_the_family_needs_a_note(personas, candidates, families):
    enrolment = candidates[families[0].pk]
    with pytest.raises(ValidationError, match="catatan"):
        visit(personas, enrolment, result="pindah")
    with pytest.raises(ValidationError, match="Lintang"):
        actions.verify_candidate(
            personas["tksk_moncongloe"],
            enrolment,
            result="ditemukan",
            location=actions.VisitLocation(95, 119.6, 5, timezone.now()),
        )
    enrolment.refresh_from_db()
    assert enrolment.step == "menunggu_verifikasi"


def test_visit_outside_the_tksk_district_is_refused(personas, household_factory, programme):
    household_factory("73.09.01.1001")
    run = committed_run(personas["admin_maros"], programme, "73.09.01")
    actions.create_candidates(personas["admin_maros"], run)
    with pytest.raises(PermissionDenied):
        visit(personas, Enrolment.objects.get())


# --- approval -----------------------------------------------------------------------------------


def test_dinas_then_head_make_the_family_an_active_kpm(personas, candidates, families):
    enrolment = to_dinas(personas, candidates[families[0].pk])
    assert enrolment.step == "disetujui_dinas" and enrolment.status == "calon"
    decree = actions.approve_by_head(
        personas["head"],
        [enrolment],
        area_code="73.09",
        number="460/12/DINSOS/2026",
        decreed_on=date.today(),
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "aktif" and enrolment.step == "ditetapkan"
    assert enrolment.decree == decree and enrolment.enrolled_on == date.today()
    reasons = [h.history_change_reason for h in enrolment.history.order_by("history_id")]
    assert reasons[-1].startswith("Ditetapkan dengan SK 460/12/DINSOS/2026")
    assert "Disetujui Dinas" in reasons
    # The rules now know the family is in the programme.
    in_pkh = rules.compile_rule(
        {"field": "programme", "op": "eq", "value": "PKH-UJI"}, date.today()
    )
    assert set(Household.objects.filter(in_pkh.q).values_list("pk", flat=True)) == {families[0].pk}


def test_dinas_approves_only_a_family_found_at_home(personas, candidates, families):
    enrolment = candidates[families[0].pk]
    with pytest.raises(ValidationError, match="diverifikasi"):
        actions.approve_by_dinas(personas["admin_maros"], enrolment)
    visit(personas, enrolment, result="tidak_ditemukan", note="Rumah kosong")
    with pytest.raises(ValidationError, match="tidak ditemukan"):
        actions.approve_by_dinas(personas["admin_maros"], enrolment)


def test_head_cannot_decree_before_the_dinas(personas, candidates, families):
    enrolment = candidates[families[0].pk]
    visit(personas, enrolment)
    with pytest.raises(ValidationError, match="belum disetujui Dinas"):
        actions.approve_by_head(
            personas["head"], [enrolment], area_code="73.09", number="1", decreed_on=date.today()
        )
    with pytest.raises(PermissionDenied):
        actions.approve_by_head(
            personas["admin_maros"],
            [enrolment],
            area_code="73.09",
            number="1",
            decreed_on=date.today(),
        )


def test_decree_needs_number_and_a_date_not_in_the_future(personas, candidates, families):
    enrolment = to_dinas(personas, candidates[families[0].pk])
    with pytest.raises(ValidationError) as exc:
        actions.approve_by_head(
            personas["head"],
            [enrolment],
            area_code="73.09",
            number=" ",
            decreed_on=date.today() + timedelta(days=3),
        )
    assert set(exc.value.message_dict) == {"number", "decreed_on"}


def test_rejected_candidate_exits_with_the_reason(personas, candidates, families):
    enrolment = candidates[families[0].pk]
    with pytest.raises(ValidationError):
        actions.reject_candidate(personas["admin_maros"], enrolment, "")
    done = actions.reject_candidate(personas["admin_maros"], enrolment, "Sudah mampu")
    assert done.status == "keluar" and done.step == "ditolak"
    assert done.status_reason == "Sudah mampu"


def test_head_turns_down_a_dinas_approved_candidate_on_its_page(personas, candidates, families):
    enrolment = to_dinas(personas, candidates[families[0].pk])
    head = Client()
    head.force_login(personas["head"])
    page = head.get(reverse("programs:enrolment_detail", args=[enrolment.uid]))
    assert b'id="head-reject-form"' in page.content
    url = reverse("programs:enrolment_reject", args=[enrolment.uid])
    head.post(url, {"reason": " "})
    enrolment.refresh_from_db()
    assert enrolment.status == "calon"  # no reason, nothing changed
    head.post(url, {"reason": "Penerima PKH dari kabupaten lain"})
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.step) == ("keluar", "ditolak")
    assert enrolment.status_reason == "Penerima PKH dari kabupaten lain"
    # the Dinas's own page has no head's form; a rejected candidate shows none either
    admin = Client()
    admin.force_login(personas["admin_maros"])
    page = admin.get(reverse("programs:enrolment_detail", args=[enrolment.uid]))
    assert b'id="head-reject-form"' not in page.content


# --- who cannot be enrolled ---------------------------------------------------------------------


def test_a_recipient_who_died_cannot_be_enrolled(personas, candidates, families):
    enrolment = candidates[families[0].pk]
    visit(personas, enrolment)
    registry_actions.change_person_status(
        personas["admin_maros"],
        enrolment.recipient,
        status="deceased",
        on=date.today(),
        reason="Meninggal dunia",
    )
    with pytest.raises(ValidationError, match="meninggal"):
        actions.approve_by_dinas(personas["admin_maros"], enrolment)


def test_a_family_that_moved_out_of_the_area_cannot_be_enrolled(personas, candidates, families):
    enrolment = to_dinas(personas, candidates[families[0].pk])
    household = families[0]
    household.village_id = "73.09.01.1001"
    household.save(update_fields=["village"])
    with pytest.raises(ValidationError, match="luar wilayah"):
        actions.approve_by_head(
            personas["head"], [enrolment], area_code="73.09", number="9", decreed_on=date.today()
        )
    enrolment.refresh_from_db()
    assert enrolment.status == "calon"


def test_one_open_enrolment_per_family_per_programme(personas, candidates, families, programme):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            programme=programme,
            household=families[0],
            area_code=LAPPARA,
            status="aktif",
            status_since=date.today(),
        )


# --- quotas -------------------------------------------------------------------------------------


def test_approving_beyond_the_quota_names_the_area_and_numbers(
    personas, candidates, families, programme
):
    actions.set_quota(personas["admin_maros"], programme, Area.objects.get(code=LAPPARA), 1)
    to_dinas(personas, candidates[families[0].pk])
    second = candidates[families[1].pk]
    visit(personas, second)
    with pytest.raises(ValidationError) as exc:
        actions.approve_by_dinas(personas["admin_maros"], second)
    text = exc.value.messages[0]
    assert "Moncongloe Lappara" in text and "1 keluarga" in text and "sudah terisi 1" in text
    # Bulu has no quota of its own.
    to_dinas(personas, candidates[families[2].pk])


def test_quota_below_what_is_taken_is_refused(personas, candidates, families, programme):
    to_dinas(personas, candidates[families[0].pk])
    with pytest.raises(ValidationError, match="tidak dapat kurang"):
        actions.set_quota(personas["admin_maros"], programme, Area.objects.get(code=LAPPARA), 0)
    with pytest.raises(PermissionDenied):
        actions.set_quota(personas["admin_makassar"], programme, Area.objects.get(code=LAPPARA), 5)
    assert not EnrolmentQuota.objects.exists()


# --- statuses -----------------------------------------------------------------------------------


def test_kpm_is_suspended_resumed_and_graduates_with_dates_and_reasons(
    personas, candidates, families
):
    enrolment = to_dinas(personas, candidates[families[0].pk])
    actions.approve_by_head(
        personas["head"], [enrolment], area_code="73.09", number="5", decreed_on=date.today()
    )
    admin = personas["admin_maros"]
    enrolment = actions.change_enrolment_status(
        admin, enrolment, status="ditangguhkan", on=date.today(), reason="Tidak hadir P2K2"
    )
    assert enrolment.status == "ditangguhkan" and enrolment.status_reason == "Tidak hadir P2K2"
    with pytest.raises(ValidationError, match="alasan"):
        actions.change_enrolment_status(admin, enrolment, status="aktif", on=None, reason="")
    with pytest.raises(ValidationError, match="masa depan"):
        actions.change_enrolment_status(
            admin, enrolment, status="aktif", on=date.today() + timedelta(days=1), reason="x"
        )
    actions.change_enrolment_status(admin, enrolment, status="aktif", on=None, reason="Hadir")
    done = actions.change_enrolment_status(
        admin, enrolment, status="graduasi", on=None, reason="Usaha mandiri"
    )
    assert done.status == "graduasi"
    with pytest.raises(ValidationError):
        actions.change_enrolment_status(admin, done, status="aktif", on=None, reason="x")
    statuses = [h.status for h in done.history.order_by("history_id")]
    assert statuses[-4:] == ["aktif", "ditangguhkan", "aktif", "graduasi"]


# --- scope and pages ----------------------------------------------------------------------------


def test_enrolments_are_seen_only_inside_the_area(personas, candidates, families):
    assert Enrolment.objects.visible_to(personas["admin_makassar"]).count() == 0
    assert Enrolment.objects.visible_to(personas["operator_bulu"]).count() == 1
    assert Enrolment.objects.visible_to(personas["tksk_moncongloe"]).count() == 3
    assert Enrolment.objects.visible_to(personas["partner"]).count() == 0


def test_enrolment_outside_the_area_is_a_logged_404(personas, candidates, families):
    enrolment = candidates[families[0].pk]
    for name in ("programs:enrolment_detail", "programs:enrolment_verify"):
        url = reverse(name, args=[enrolment.uid])
        client = Client()
        client.force_login(personas["admin_makassar"])
        assert client.get(url).status_code == 404
        assert AccessLog.objects.filter(
            user=personas["admin_makassar"], kind="denied", path=url
        ).exists()
    api = Client()
    api.force_login(personas["admin_makassar"])
    assert api.get(f"/api/v1/programmes/enrolments/{enrolment.uid}/").status_code == 404


def test_the_pages_carry_the_journey(personas, candidates, families, programme):
    enrolment = candidates[families[0].pk]
    tksk = Client()
    tksk.force_login(personas["tksk_moncongloe"])
    page = tksk.get(reverse("programs:enrolment_verify", args=[enrolment.uid]))
    assert page.status_code == 200 and "geolocation=(self)" in page["Permissions-Policy"]
    response = tksk.post(
        reverse("programs:enrolment_verify", args=[enrolment.uid]),
        {"result": "ditemukan", "note": "Ada di rumah"},
    )
    assert response.status_code == 302
    admin = Client()
    admin.force_login(personas["admin_maros"])
    admin.post(reverse("programs:enrolment_dinas", args=[enrolment.uid]), {"decision": "setuju"})
    enrolment.refresh_from_db()
    assert enrolment.step == "disetujui_dinas"
    head = Client()
    head.force_login(personas["head"])
    pdf = head.get(reverse("programs:enrolment_print", args=["PKH-UJI"]), {"wilayah": "73.09"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    response = head.post(
        reverse("programs:enrolment_decree"),
        {
            "programme": programme.pk,
            "area": "73.09",
            "number": "460/7/2026",
            "decreed_on": date.today().isoformat(),
            "enrolments": [str(enrolment.uid)],
        },
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "aktif"
    api = head.get("/api/v1/programmes/enrolments/", {"programme": "PKH-UJI"})
    rows = api.json()["results"]
    assert {r["status"] for r in rows} == {"aktif", "calon"}
    detail = head.get(f"/api/v1/programmes/enrolments/{enrolment.uid}/").json()
    assert detail["decree"]["number"] == "460/7/2026"


def test_bad_decree_input_is_a_message_not_an_error(personas, candidates, families, programme):
    head = Client()
    head.force_login(personas["head"])
    response = head.post(
        reverse("programs:enrolment_decree"),
        {"programme": programme.pk, "area": "73.09", "number": "", "decreed_on": "kemarin"},
    )
    assert response.status_code == 200
    assert Enrolment.objects.filter(status="aktif").count() == 0


def test_makassar_family_is_not_a_candidate_of_maros(personas, programme, household_factory):
    household_factory(MAKASSAR_VILLAGE)
    run = committed_run(personas["admin_makassar"], programme, "73.71")
    actions.create_candidates(personas["admin_makassar"], run)
    assert Enrolment.objects.visible_to(personas["admin_maros"]).count() == 0
