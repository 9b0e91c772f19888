"""Who may use each personal-data page and API endpoint: every ``privacy`` URL has a rule here.

The records are about Muhammad Rahman of Moncongloe Lappara (73.09.13.2003): his consent (with
its signed form), an access request in progress, a restriction, a retention review and a breach
of the Dinas of Maros. Their twins in Kota Makassar are outside every Maros persona's area. A
role that may not use a page, or a record outside the user's area, is a 404 written to the
access log; a POST-only step answers 405 to a GET from every role that may take it, whatever the
record (the method is refused before any record is read). A refused POST changes nothing.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.conftest import PERSONAS, api_token
from pandu.core.models import AccessLog
from pandu.privacy import actions
from pandu.privacy.models import Breach, ConsentRecord, RetentionReview, SubjectRequest

from .test_consents import PDF

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(PERSONAS)
# Read Rahman's registry record (his village's area) and hold privacy.view.
SEE_PERSON = frozenset(
    {
        "admin_maros",
        "operator_lappara",
        "tksk_moncongloe",
        "social_worker",
        "front_office",
        "auditor",
    }
)
CONSENTERS = SEE_PERSON - {"auditor"}
HANDLERS = frozenset({"admin_maros", "front_office", "auditor"})
REVIEWERS = frozenset({"admin_maros", "auditor"})
BREACH_READERS = frozenset({"admin_maros", "auditor", "head"})
BREACH_KEEPERS = frozenset({"admin_maros", "auditor"})
POST = "post"
HANDLER_LISTS = HANDLERS | {"admin_makassar"}
REVIEWER_LISTS = REVIEWERS | {"admin_makassar"}
BREACH_LISTS = BREACH_READERS | {"admin_makassar"}
BREACH_OFFICES = BREACH_KEEPERS | {"admin_makassar"}


def _records(personas, household_factory, village=None):
    from pandu.conftest import MAKASSAR_VILLAGE
    from pandu.registry import actions as registry

    makassar = village == MAKASSAR_VILLAGE
    admin = personas["admin_makassar" if makassar else "admin_maros"]
    family = household_factory(village=village) if village else household_factory()
    person = family.members.get(relationship=1)
    spouse = family.members.get(relationship=2)
    consent = actions.record_consent(
        admin, person, purpose="registration", scope="Pendaftaran", given_by="self",
        method="signed", given_on=date(2026, 3, 2),
        document=SimpleUploadedFile("f.pdf", PDF, content_type="application/pdf"),
    )  # fmt: skip
    req = actions.receive_request(
        admin, person, kind="access", channel="walk_in", requester="self",
        description="Salinan data", identity_method="ktp",
    )  # fmt: skip
    req = actions.acknowledge_request(admin, req, note="Tanda terima")
    restricted = actions.receive_request(
        admin, spouse, kind="restriction", channel="letter", requester="self",
        description="Batasi", identity_method="ktp",
    )  # fmt: skip
    restricted = actions.acknowledge_request(admin, restricted, note="Surat")
    restricted = actions.propose_outcome(admin, restricted, outcome="restrict", reason="Diminta")
    if not makassar:  # a second person approves: Maros's data protection officer
        actions.decide_proposal(personas["auditor"], restricted, approve=True)
    registry.change_person_status(
        admin, spouse, status="moved", on=date(2016, 1, 1), reason="Pindah"
    )
    actions.open_reviews()
    breach = actions.record_breach(
        admin, area_code=admin.area_id, discovered_at=req.received_at,
        title="Surel salah kirim", description="Daftar terkirim ke alamat salah",
        categories=["identity"], people_affected=3,
    )  # fmt: skip
    return {
        "person": person,
        "consent": consent,
        "request": req,
        "restriction": restricted.restrictions.first(),
        "review": RetentionReview.objects.filter(record_id=spouse.pk).first(),
        "breach": breach,
    }


@pytest.fixture
def records(personas, household_factory):
    return _records(personas, household_factory)


def _at(name):
    return lambda r: reverse(f"privacy:{name}")


def _u(name, key, *extra):
    return lambda r: reverse(f"privacy:{name}", args=[r[key].uid, *extra])


WEB = {
    "privacy:person": (_u("person", "person"), SEE_PERSON),
    "privacy:consent_create": (_u("consent_create", "person"), CONSENTERS),
    "privacy:request_create": (_u("request_create", "person"), HANDLERS),
    "privacy:consent_withdraw": (_u("consent_withdraw", "consent"), CONSENTERS),
    "privacy:consent_document": (_u("consent_document", "consent"), SEE_PERSON),
    "privacy:restriction_lift": (_u("restriction_lift", "restriction"), (POST, HANDLER_LISTS)),
    "privacy:request_list": (_at("request_list"), HANDLER_LISTS),
    "privacy:request_detail": (_u("request_detail", "request"), HANDLERS),
    "privacy:request_acknowledge": (_u("request_acknowledge", "request"), (POST, HANDLER_LISTS)),
    "privacy:request_identity": (_u("request_identity", "request"), (POST, HANDLER_LISTS)),
    "privacy:request_assign": (_u("request_assign", "request"), (POST, HANDLER_LISTS)),
    "privacy:request_export": (_u("request_export", "request", "json"), HANDLERS),
    "privacy:request_correct": (_u("request_correct", "request"), (POST, HANDLER_LISTS)),
    "privacy:request_review": (_u("request_review", "request"), (POST, HANDLER_LISTS)),
    "privacy:request_propose": (_u("request_propose", "request"), (POST, HANDLER_LISTS)),
    "privacy:request_decide": (_u("request_decide", "request"), (POST, REVIEWER_LISTS)),
    "privacy:request_complete": (_u("request_complete", "request"), (POST, HANDLER_LISTS)),
    "privacy:request_refuse": (_u("request_refuse", "request"), (POST, HANDLER_LISTS)),
    "privacy:request_withdraw": (_u("request_withdraw", "request"), (POST, HANDLER_LISTS)),
    "privacy:review_list": (_at("review_list"), REVIEWER_LISTS),
    "privacy:review_scan": (_at("review_scan"), (POST, REVIEWER_LISTS)),
    "privacy:review_detail": (_u("review_detail", "review"), REVIEWERS),
    "privacy:rule_list": (_at("rule_list"), REVIEWER_LISTS),
    "privacy:rule_create": (_at("rule_create"), REVIEWER_LISTS),
    "privacy:breach_list": (_at("breach_list"), BREACH_LISTS),
    "privacy:breach_create": (_at("breach_create"), BREACH_OFFICES),
    "privacy:breach_detail": (_u("breach_detail", "breach"), BREACH_READERS),
    "privacy:breach_edit": (_u("breach_edit", "breach"), BREACH_KEEPERS),
    "privacy:breach_notice": (_u("breach_notice", "breach"), (POST, BREACH_OFFICES)),
    "privacy:breach_close": (_u("breach_close", "breach"), (POST, BREACH_OFFICES)),
}  # fmt: skip

API = {
    # Lists answer everyone signed in, with rows only for those who see them.
    "privacy-api:consent-list": ("/api/v1/privacy/consents/", EVERYONE, "consent", SEE_PERSON),
    "privacy-api:consent-detail": ("/api/v1/privacy/consents/{consent}/", SEE_PERSON, None, None),
    "privacy-api:request-list": ("/api/v1/privacy/requests/", EVERYONE, "request", HANDLERS),
    "privacy-api:request-detail": ("/api/v1/privacy/requests/{request}/", HANDLERS, None, None),
    "privacy-api:breach-list": ("/api/v1/privacy/breaches/", EVERYONE, "breach", BREACH_READERS),
    "privacy-api:breach-detail": ("/api/v1/privacy/breaches/{breach}/", BREACH_READERS, None, None),
    "privacy-api:consent-check": (
        "/api/v1/privacy/consent-check/?person={person}&purpose=registration",
        SEE_PERSON, None, None,
    ),
}  # fmt: skip


def test_every_privacy_url_has_a_rule():
    from pandu.core.tests.test_permission_matrix import url_patterns

    names = {n for n in url_patterns()[0] if n.split(":")[0] in ("privacy", "privacy-api")}
    assert names == set(WEB) | set(API)


def _denied_logged(user) -> bool:
    return AccessLog.objects.filter(user=user, kind="denied").exists()


@pytest.mark.parametrize("name", sorted(WEB))
def test_who_opens_each_privacy_page(name, records, personas):
    make_url, rule = WEB[name]
    post_only = isinstance(rule, tuple)
    see = rule[1] if post_only else rule
    url = make_url(records)
    failures = []
    if Client().get(url).status_code != 302:
        failures.append("anonymous: not redirected to the login")
    for who in PERSONAS:
        client = Client()
        client.force_login(personas[who])
        code = client.get(url).status_code
        expected = (405 if post_only else 200) if who in see else 404
        if code != expected:
            failures.append(f"{who}: expected {expected}, got {code}")
        elif code == 404 and not _denied_logged(personas[who]):
            failures.append(f"{who}: 404 without an access-log row")
    assert not failures, f"GET {url}\n" + "\n".join(failures)


@pytest.mark.parametrize("name", sorted(API))
def test_who_reads_each_privacy_api_endpoint(name, records, personas):
    template, see, key, listed_for = API[name]
    url = template.format(**{k: v.uid for k, v in records.items() if v is not None})
    failures = []
    if APIClient().get(url).status_code != 401:
        failures.append("anonymous: not 401")
    for who in PERSONAS:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(personas[who])}")
        response = client.get(url)
        code = response.status_code
        if who in see:
            if code != 200:
                failures.append(f"{who}: expected 200, got {code}")
            elif key is not None:
                shown = str(records[key].uid) in response.content.decode()
                if shown != (who in listed_for):
                    failures.append(
                        f"{who}: the list {'lacks' if who in listed_for else 'shows'} it"
                    )
        elif code != 404:
            failures.append(f"{who}: expected 404, got {code}")
        elif not _denied_logged(personas[who]):
            failures.append(f"{who}: 404 without an access-log row")
    assert not failures, f"GET {url}\n" + "\n".join(failures)


def _state():
    return (
        tuple(
            SubjectRequest.objects.order_by("id").values_list(
                "status", "acknowledged_at", "assignee_id", "outcome"
            )
        ),
        tuple(ConsentRecord.objects.order_by("id").values_list("withdrawn_on", flat=True)),
        tuple(Breach.objects.order_by("id").values_list("status", "subjects_notified_at")),
        tuple(RetentionReview.objects.order_by("id").values_list("status", flat=True)),
        SubjectRequest.history.count(),
    )  # fmt: skip


def test_refused_posts_change_nothing(records, personas):
    req, breach = records["request"], records["breach"]
    posts = [
        ("privacy:request_complete", req, {"ok-outcome": "Selesai"}, EVERYONE - HANDLERS),
        ("privacy:request_refuse", req, {"rf-reason": "Tidak"}, EVERYONE - HANDLERS),
        ("privacy:request_assign", req, {"as-assignee": personas["auditor"].pk},
         EVERYONE - HANDLERS),
        ("privacy:consent_withdraw", records["consent"],
         {"on": "2026-03-05", "by": "self", "reason": "x"}, EVERYONE - CONSENTERS),
        ("privacy:breach_notice", breach,
         {"nt-recipient": "subjects", "nt-method": "letter", "nt-sent_at": "2026-03-02T10:00",
          "nt-summary": "x"}, EVERYONE - BREACH_KEEPERS),
        ("privacy:review_detail", records["review"],
         {"decision": "anonymise", "reason": "x"}, EVERYONE - REVIEWERS),
    ]  # fmt: skip
    before = _state()
    for name, obj, data, outsiders in posts:
        for who in outsiders:
            client = Client()
            client.force_login(personas[who])
            code = client.post(reverse(name, args=[obj.uid]), data).status_code
            assert code == 404, (name, who, code)
    assert _state() == before


def test_a_request_about_someone_outside_the_area_is_a_404(records, personas, household_factory):
    from pandu.conftest import MAKASSAR_VILLAGE

    theirs = _records(personas, household_factory, MAKASSAR_VILLAGE)
    maros = Client()
    maros.force_login(personas["admin_maros"])
    for name in ("request_detail", "person"):
        key = "request" if name == "request_detail" else "person"
        url = reverse(f"privacy:{name}", args=[theirs[key].uid])
        assert maros.get(url).status_code == 404
    assert (
        maros.get(
            reverse("privacy:request_export", args=[theirs["request"].uid, "pdf"])
        ).status_code
        == 404
    )
    assert (
        maros.get(reverse("privacy:request_create", args=[theirs["person"].uid])).status_code == 404
    )
    logged = AccessLog.objects.filter(user=personas["admin_maros"], kind="denied")
    assert logged.filter(object_uid=str(theirs["request"].uid)).exists()
    makassar = Client()
    makassar.force_login(personas["admin_makassar"])
    assert (
        makassar.get(reverse("privacy:request_detail", args=[records["request"].uid])).status_code
        == 404
    )
    listing = makassar.get(reverse("privacy:request_list")).content.decode()
    assert theirs["request"].number in listing and records["request"].number not in listing
    assert not AccessLog.objects.filter(kind="export").exists()
