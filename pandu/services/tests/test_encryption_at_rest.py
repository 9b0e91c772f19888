"""Sensitive free text encrypted at rest (decision 0019): a child-protection case's intake,
assessment, plan, notes, K3 session, referral and the PPKS note of a violence victim are
nowhere in the database as plain text, yet read as before on the pages and API answers of
those who may see them; the list pages never show them; a missing key is a clear 503."""

from __future__ import annotations

import importlib
import json
import logging
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from pandu.core import crypto
from pandu.registry import actions as registry_actions
from pandu.registry.models import PPKSAssignment, PPKSCategory
from pandu.services import actions
from pandu.services.models import Assessment, CaseNote, CounsellingSession, Intake, Referral

from .conftest import unregistered
from .test_api import api
from .test_views import client_for

pytestmark = pytest.mark.django_db

#: Every secret below carries this mark, so one search finds any plain copy of any of them.
MARK = "Zq7Rahasia"
SECRETS = {
    "description": f"Anak dipukul ayah tiri {MARK}-uraian",
    "need_detail": f"lebam di lengan {MARK}-need",
    "caregiver": f"Nenek dari ibu {MARK}-care",
    "safety_plan": f"Tinggal di rumah aman {MARK}-plan",
    "plan_summary": f"Pendampingan psikososial {MARK}-ringkasan",
    "note": f"Anak bercerita tentang malam itu {MARK}-catatan",
    "participants": f"Ibu, nenek, anak {MARK}-peserta",
    "issues": f"Kekerasan fisik di rumah {MARK}-masalah",
    "agreed_steps": f"Ayah tiri keluar rumah {MARK}-langkah",
    "need": f"Visum dan perawatan luka {MARK}-kebutuhan",
    "request": f"Pemeriksaan dokter {MARK}-permintaan",
    "done_so_far": f"Asesmen di rumah aman {MARK}-dilakukan",
    "partner_note": f"Visum sudah dijadwalkan {MARK}-mitra",
    "ppks_note": f"Korban kekerasan dalam rumah tangga {MARK}-ppks",
}


@pytest.fixture
def child_case(world):
    """A child-protection case (sensitive) with everything that holds free text."""
    worker = world.users["social_worker"]
    intake = actions.create_intake(
        world.users["front_office"],
        service_point=world.slrt,
        kind="pengaduan",
        channel="walk_in",
        subject=unregistered("Anak Rahasia", date(2014, 5, 1)),
        needs=[("child_protection", SECRETS["need_detail"])],
        description=SECRETS["description"],
        confirm_duplicate=True,
    )
    case = actions.open_case(world.users["front_office"], intake, assign_to=worker)
    actions.save_assessment(
        worker,
        case,
        "child_protection",
        {
            "safety": "high",
            "caregiver": SECRETS["caregiver"],
            "safety_plan": SECRETS["safety_plan"],
        },
    )
    actions.save_plan_summary(worker, case, SECRETS["plan_summary"])
    actions.add_note(worker, case, SECRETS["note"])
    actions.record_counselling(
        worker,
        case,
        held_on=timezone.localdate(),
        participants=SECRETS["participants"],
        issues=SECRETS["issues"],
        agreed_steps=SECRETS["agreed_steps"],
    )
    referral = actions.create_referral(
        worker,
        case,
        world.health,
        need_area="health",
        need=SECRETS["need"],
        request=SECRETS["request"],
        done_so_far=SECRETS["done_so_far"],
    )
    actions.record_consent(
        worker,
        referral,
        consent_by="guardian",
        method="signed",
        guardian_name="Nenek",
        guardian_relationship="nenek",
    )
    actions.send_referral(worker, referral)
    actions.partner_move(world.users["partner"], referral, "accept", SECRETS["partner_note"])
    case.refresh_from_db()
    return case


@pytest.fixture
def violence_ppks(personas, household_factory):
    person = household_factory().members.get(relationship=1)
    category = PPKSCategory.objects.get(number=19)
    assert category.sensitive
    return registry_actions.assign_ppks(
        personas["social_worker"],
        category=category,
        person=person,
        identified_on=date(2025, 1, 6),
        source="visit",
        note=SECRETS["ppks_note"],
    )


def _plain_copies(mark: str) -> list[str]:
    """Every cell of every table that holds ``mark``, read with raw SQL."""
    found = []
    with connection.cursor() as cursor:
        for info in connection.introspection.get_table_list(cursor):
            if info.type != "t":
                continue
            table = connection.ops.quote_name(info.name)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            names = [d[0] for d in cursor.description]
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    if isinstance(value, memoryview | bytes):
                        value = bytes(value).decode("utf-8", "replace")
                    elif not isinstance(value, str):
                        value = json.dumps(value, default=str)
                    if mark in value:
                        found.append(f"{info.name}.{name}")
    return found


def test_no_sensitive_text_is_in_any_table_as_plain_text(child_case, violence_ppks):
    assert _plain_copies(MARK) == []
    # Every value of every encrypted column (history tables too) is ciphertext of the ring.
    ring = crypto.load_ring()
    for model, fields in crypto.encrypted_models():
        held = crypto.values_by_key(model, fields)
        assert set(held) <= set(ring.keys), model._meta.db_table
    assert sum(
        crypto.values_by_key(m, f)[ring.primary] for m, f in crypto.encrypted_models()
    ) >= len(SECRETS)


def test_the_models_read_back_the_plain_text(child_case, violence_ppks):
    intake = Intake.objects.get(pk=child_case.intake_id)
    assert intake.description == SECRETS["description"]
    assert intake.needs.get().detail == SECRETS["need_detail"]
    assessment = Assessment.objects.get(case=child_case)
    assert assessment.data["safety_plan"] == SECRETS["safety_plan"]
    assert assessment.data["safety"] == "high"
    assert child_case.plan_summary == SECRETS["plan_summary"]
    assert CaseNote.objects.get(case=child_case).text == SECRETS["note"]
    session = CounsellingSession.objects.get(case=child_case)
    assert (session.participants, session.issues, session.agreed_steps) == (
        SECRETS["participants"],
        SECRETS["issues"],
        SECRETS["agreed_steps"],
    )
    referral = Referral.objects.get(case=child_case)
    assert (referral.need, referral.partner_note) == (SECRETS["need"], SECRETS["partner_note"])
    assert referral.history.earliest().need == SECRETS["need"]
    assert PPKSAssignment.objects.get(pk=violence_ppks.pk).note == SECRETS["ppks_note"]


def test_the_worker_of_the_case_reads_it_on_the_page_and_the_api(world, child_case):
    worker = world.users["social_worker"]
    client = client_for(worker)
    url = reverse("services:case_detail", args=[child_case.uid])
    client.post(
        reverse("services:case_reason", args=[child_case.uid]),
        {"reason": "Kunjungan rumah", "next": url},
    )
    page = client.get(url).content.decode()
    for name in ("description", "plan_summary", "note", "issues", "participants"):
        assert SECRETS[name] in page, name
    answers = client.get(
        reverse("services:case_assessment", args=[child_case.uid, "child_protection"])
    ).content.decode()
    assert SECRETS["safety_plan"] in answers
    data = (
        api(worker).get(f"/api/v1/services/cases/{child_case.uid}/?reason=Kunjungan+rumah").json()
    )
    assert data["plan_summary"] == SECRETS["plan_summary"]


def test_lists_and_other_workers_never_see_the_text(world, child_case):
    for who in ("social_worker", "worker2", "front_office", "admin_maros"):
        client = client_for(world.users[who])
        for name in ("case_list", "intake_list", "queue"):
            html = client.get(reverse(f"services:{name}")).content.decode()
            assert MARK not in html, (who, name)
    other = client_for(world.users["worker2"])
    assert other.get(reverse("services:case_detail", args=[child_case.uid])).status_code == 404
    listed = json.dumps(api(world.users["front_office"]).get("/api/v1/services/intakes/").json())
    assert MARK not in listed


def test_the_partner_reads_what_was_sent_to_it(world, child_case):
    referral = Referral.objects.get(case=child_case)
    page = client_for(world.users["partner"]).get(
        reverse("services:inbox_detail", args=[referral.uid])
    )
    assert SECRETS["need"] in page.content.decode()


def test_the_sql_that_is_logged_carries_ciphertext_only(world, child_case, caplog):
    worker = world.users["social_worker"]
    logger = logging.getLogger("django.db.backends")
    connection.force_debug_cursor = True
    try:
        with caplog.at_level(logging.DEBUG, logger="django.db.backends"):
            logger.disabled = False
            actions.add_note(worker, child_case, f"Catatan kedua {MARK}-log")
            list(CaseNote.objects.filter(case=child_case))
    finally:
        connection.force_debug_cursor = False
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "services_casenote" in logged and "enc1:" in logged
    assert MARK not in logged


def test_a_missing_key_is_a_clear_503_that_names_no_key(world, child_case, data_ring, caplog):
    worker = world.users["social_worker"]
    client = client_for(worker)
    url = reverse("services:case_detail", args=[child_case.uid])
    client.post(
        reverse("services:case_reason", args=[child_case.uid]),
        {"reason": "Kunjungan rumah", "next": url},
    )
    secrets = [k["key"] for k in json.loads(data_ring.read_text())["keys"]]
    lost = crypto.load_ring().primary
    crypto.add_key()
    data = json.loads(data_ring.read_text())
    data["keys"] = [k for k in data["keys"] if k["kid"] != lost]
    data_ring.write_text(json.dumps(data))

    with caplog.at_level(logging.ERROR, logger="pandu.crypto"):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 503
    assert "Data terenkripsi tidak dapat dibaca" in body
    assert not any(secret in body for secret in secrets) and lost not in body
    assert MARK not in body
    assert any(lost in r.getMessage() for r in caplog.records)
    answer = api(worker).get(f"/api/v1/services/cases/{child_case.uid}/?reason=Kunjungan+rumah")
    assert answer.status_code == 503 and "kunci" in answer.json()["detail"]
    # Nothing was written back over the unreadable notes.
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM services_casenote WHERE case_id = %s", [child_case.pk])
        (raw,) = cursor.fetchone()
    assert crypto.key_id(raw) == lost


def _migration(app: str, name: str):
    return importlib.import_module(f"pandu.{app}.migrations.{name}")


def test_the_migration_encrypts_plain_rows_and_plain_rows_read_before_it(child_case, violence_ppks):
    """Rows written before encryption hold plain text (and the assessment plain JSON): they
    read as they are, and the data migrations encrypt them; reversed, they are plain again."""
    note = CaseNote.objects.get(case=child_case)
    assessment = Assessment.objects.get(case=child_case)
    plain_answers = json.dumps({"safety": "low", "caregiver": "Bibi", "safety_plan": "Aman"})
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE services_casenote SET text = %s WHERE id = %s", ["Catatan lama", note.pk]
        )
        cursor.execute(
            "UPDATE services_assessment SET data = %s WHERE id = %s",
            [plain_answers, assessment.pk],
        )
        cursor.execute(
            "UPDATE registry_ppksassignment SET note = %s WHERE id = %s",
            ["Catatan PPKS lama", violence_ppks.pk],
        )
    assert CaseNote.objects.get(pk=note.pk).text == "Catatan lama"
    assert Assessment.objects.get(pk=assessment.pk).data["caregiver"] == "Bibi"
    assert PPKSAssignment.objects.get(pk=violence_ppks.pk).note == "Catatan PPKS lama"

    from django.apps import apps

    editor = SimpleNamespace(connection=connection)
    services = _migration("services", "0012_encrypt_sensitive_text")
    registry = _migration("registry", "0012_encrypt_ppks_note")
    services.encrypt_existing(apps, editor)
    registry.encrypt_existing(apps, editor)

    def raw(table: str, column: str, pk: int) -> str:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
            return cursor.fetchone()[0]

    for table, column, pk in (
        ("services_casenote", "text", note.pk),
        ("services_assessment", "data", assessment.pk),
        ("registry_ppksassignment", "note", violence_ppks.pk),
    ):
        assert raw(table, column, pk).startswith("enc1:"), table
    assert CaseNote.objects.get(pk=note.pk).text == "Catatan lama"
    assert Assessment.objects.get(pk=assessment.pk).data["caregiver"] == "Bibi"
    assert PPKSAssignment.objects.get(pk=violence_ppks.pk).note == "Catatan PPKS lama"
    assert not any(
        held.get("") for m, f in crypto.encrypted_models() if (held := crypto.values_by_key(m, f))
    )

    services.decrypt_existing(apps, editor)
    registry.decrypt_existing(apps, editor)
    assert raw("services_casenote", "text", note.pk) == "Catatan lama"
    assert json.loads(raw("services_assessment", "data", assessment.pk))["caregiver"] == "Bibi"
    assert raw("registry_ppksassignment", "note", violence_ppks.pk) == "Catatan PPKS lama"


def test_the_ppks_note_reads_on_the_api_for_those_who_may_see_it(personas, violence_ppks):
    from pandu.registry.tests.test_api import client_for as registry_client

    listed = registry_client(personas["social_worker"]).get("/api/v1/ppks/").json()["results"]
    (seen,) = [p for p in listed if p["uid"] == str(violence_ppks.uid)]
    assert seen["note"] == SECRETS["ppks_note"]
    hidden = registry_client(personas["operator_lappara"]).get("/api/v1/ppks/")
    assert MARK not in hidden.content.decode()
