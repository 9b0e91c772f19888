"""The copy of one person's data for an access request: JSON with their own record and nothing
of anybody else's, a PDF that opens and says the same, logged as an export; a copy with
sensitive records only by someone who may read them."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from pandu.core.models import AccessLog
from pandu.core.tests.pdf import body, pdf_text
from pandu.privacy import actions
from pandu.registry import actions as registry
from pandu.registry.models import PPKSCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(personas, person, spouse):
    """Rahman with a PPKS, a consent; his wife with her own consent and a sensitive PPKS."""
    admin = personas["admin_maros"]
    poor = PPKSCategory.objects.get(number=13)
    registry.assign_ppks(admin, person=person, category=poor, identified_on=date(2026, 1, 10),
                         source="visit", note="Rumah tidak layak huni")  # fmt: skip
    victim = PPKSCategory.objects.get(number=19)
    registry.assign_ppks(admin, person=spouse, category=victim, identified_on=date(2026, 1, 11),
                         source="visit", note="Rahasia istri")  # fmt: skip
    for who in (person, spouse):
        actions.record_consent(
            admin, who, purpose="registration", scope=f"Pendaftaran {who.full_name}",
            given_by="self", method="verbal", witness_name="Saksi Desa",
            given_on=date(2026, 1, 5),
        )  # fmt: skip
    return person


def _export(client, req, fmt):
    return client.get(reverse("privacy:request_export", args=[req.uid, fmt]))


def test_the_json_holds_the_persons_data_and_nothing_outside_their_record(
    personas, recorded, spouse, receive
):
    req = receive(recorded)
    client = Client()
    client.force_login(personas["front_office"])
    answer = _export(client, req, "json")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    assert answer["Cache-Control"] == "private, no-store"
    data = json.loads(body(answer))
    assert data["person"]["nik"] == recorded.nik
    assert data["person"]["full_name"] == recorded.full_name
    assert data["person"]["sex"] == "Laki-laki"
    assert data["household"]["kk_number"] == recorded.household.kk_number
    assert [p["category"] for p in data["ppks"]] == ["13. Pemulung"]
    assert data["consents"][0]["scope"] == f"Pendaftaran {recorded.full_name}"
    assert data["requests"][0]["number"] == req.number
    assert data["about"]["request"] == req.number
    text = json.dumps(data, ensure_ascii=False)
    for other in (spouse.full_name, spouse.nik, "Rahasia istri", "Korban Tindak Kekerasan",
                  "front_office", "admin_maros", "Saksi Desa"):  # fmt: skip
        assert other not in text, other
    log = AccessLog.objects.get(kind="export")
    assert log.object_uid == str(recorded.uid) and req.number in log.detail
    assert recorded.nik not in log.detail + log.path


def test_the_pdf_opens_and_names_the_person(personas, recorded, spouse, receive):
    req = receive(recorded)
    client = Client()
    client.force_login(personas["front_office"])
    answer = _export(client, req, "pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = pdf_text(body(answer))
    assert "SALINAN DATA PRIBADI" in text and req.number in text
    assert recorded.full_name in text and recorded.nik in text and "Pemulung" in text
    assert spouse.full_name not in text and "Rahasia istri" not in text


def test_a_copy_with_sensitive_records_needs_someone_who_may_read_them(personas, spouse, receive):
    admin = personas["admin_maros"]
    registry.assign_ppks(admin, person=spouse, category=PPKSCategory.objects.get(number=19),
                         identified_on=date(2026, 1, 11), source="visit")  # fmt: skip
    req = receive(spouse)
    with pytest.raises(PermissionDenied):
        actions.record_export(personas["front_office"], req, "json")
    client = Client()
    client.force_login(personas["front_office"])
    page = client.get(reverse("privacy:request_detail", args=[req.uid])).content.decode()
    assert "catatan sensitif" in page
    assert _export(client, req, "json").status_code == 302
    assert not AccessLog.objects.filter(kind="export").exists()
    data = actions.record_export(personas["auditor"], req, "json")
    assert [p["category"] for p in data["ppks"]] == ["19. Korban Tindak Kekerasan"]


def test_services_records_are_shown_as_the_person_may_see_them(personas, person, receive):
    from pandu.services import actions as services
    from pandu.services.actions import Subject

    admin = personas["admin_maros"]
    point = services.create_service_point(
        admin, name="Puskesos Moncongloe", kind="puskesos", area=person.household.village
    )
    services.create_intake(
        admin, service_point=point, kind="permohonan", channel="walk_in",
        subject=Subject(person=person), needs=[("empowerment", "Modal usaha")],
        description="Minta bantuan modal usaha warung",
    )  # fmt: skip
    req = receive(person, by=admin)
    data = actions.record_export(admin, req, "json")
    (intake,) = data["services"]
    assert intake["description"] == "Minta bantuan modal usaha warung"
    assert intake["service_point"] == "Puskesos Moncongloe"
    assert "sensitive" not in intake


def test_an_export_is_only_for_an_access_request_in_progress(personas, person, receive):
    from django.core.exceptions import ValidationError

    early = receive(person, ready=False)
    with pytest.raises(ValidationError):
        actions.record_export(personas["front_office"], early, "pdf")
    correction = receive(person, "correction", changes={"birth_place": "Maros"})
    with pytest.raises(ValidationError):
        actions.record_export(personas["front_office"], correction, "pdf")
