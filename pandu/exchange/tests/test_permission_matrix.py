"""Who may use each import/export URL: every ``exchange:`` and ``exchange-api:`` URL has a rule.

Imports belong to admins (their area) and village operators (their village); exports to every
registry reader, scoped by area. Partner agencies and the head of office get nothing. Every refusal,
on a page or through the API, is exactly what the core matrix demands: a 404 (never a 403 that
confirms the thing exists) and a "denied" row in the access log, and it changes nothing.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.conftest import api_token
from pandu.core import jobs
from pandu.core.models import AccessLog, Job
from pandu.exchange.models import ImportBatch

from .conftest import family, write_csv

pytestmark = pytest.mark.django_db

EVERYONE = [
    "admin_maros",
    "operator_lappara",
    "operator_bulu",
    "tksk_moncongloe",
    "social_worker",
    "front_office",
    "partner",
    "head",
    "auditor",
    "admin_makassar",
]
READERS = {n for n in EVERYONE if n not in {"partner", "head"}}
IMPORTERS = {"admin_maros", "operator_lappara", "operator_bulu", "admin_makassar"}
# An import made by operator_lappara is seen by her and by the Maros administrator only.
SEES_LAPPARA_IMPORT = {"operator_lappara", "admin_maros"}

WEB = {
    "exchange:index": "registry readers; the upload form only for importers",
    "exchange:import_upload": "POST by importers",
    "exchange:import_template": "importers",
    "exchange:import_detail": "the importer and the admin of the area",
    "exchange:import_resume": "POST by the importer and the admin of the area",
    "exchange:import_report": "the importer and the admin of the area",
    "exchange:export_persons": "registry readers, scoped",
    "exchange:export_households": "registry readers, scoped",
}
API = {
    "exchange-api:import-list": "POST (upload) by importers",
    "exchange-api:import-detail": "the importer and the admin of the area",
    "exchange-api:export-create": "registry readers",
    "exchange-api:export-persons": "registry readers, scoped",
    "exchange-api:export-households": "registry readers, scoped",
}


def _file(tmp_path, name="desa.csv") -> SimpleUploadedFile:
    path = write_csv(tmp_path / name, family(1, 10) + family(2, 20))
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def _web(personas, who) -> Client:
    client = Client()
    client.force_login(personas[who])
    return client


def _api(personas, who) -> APIClient:
    client = APIClient()
    token = api_token(personas[who])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def lappara_import(personas, tmp_path):
    """An import by operator_lappara, run to the end (so its report exists)."""
    client = _web(personas, "operator_lappara")
    client.post(reverse("exchange:import_upload"), {"file": _file(tmp_path)})
    batch = ImportBatch.objects.get()
    mapping = {f"col_{name}": str(i) for name, i in batch.mapping.items()}
    client.post(reverse("exchange:import_detail", args=[batch.uid]), mapping)
    jobs.run_pending()
    batch.refresh_from_db()
    return batch


def _refused(response, user, url: str) -> str | None:
    """None when the answer is a 404 with a ``denied`` access-log row for this user and path."""
    if response.status_code != 404:
        return f"expected 404, got {response.status_code}"
    path = url.split("?", 1)[0]
    if not AccessLog.objects.filter(user=user, kind=AccessLog.Kind.DENIED, path=path).exists():
        return "404 without an access-log row of kind 'denied'"
    return None


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_every_exchange_url_name_has_a_rule():
    from pandu.core.tests.test_permission_matrix import url_patterns

    names = {n for n in url_patterns()[0] if n.split(":")[0] in {"exchange", "exchange-api"}}
    assert names == set(WEB) | set(API)


def test_anonymous_users_are_sent_to_login_or_refused(client, lappara_import):
    for name in ("exchange:index", "exchange:export_persons", "exchange:export_households"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    for name in ("exchange:import_detail", "exchange:import_report"):
        response = client.get(reverse(name, args=[lappara_import.uid]))
        assert response.status_code == 302
    for name in ("exchange-api:import-list", "exchange-api:export-persons"):
        assert APIClient().get(reverse(name)).status_code in (401, 403)


def test_index_page_shows_the_upload_form_only_to_importers(personas):
    url = reverse("exchange:index")
    for who in EVERYONE:
        response = _web(personas, who).get(url)
        if who in READERS:
            assert response.status_code == 200, who
            assert (b"multipart/form-data" in response.content) == (who in IMPORTERS), who
        else:
            assert _refused(response, personas[who], url) is None, who


def test_only_importers_can_upload_and_refusals_create_nothing(personas, tmp_path):
    for who in EVERYONE:
        before = ImportBatch.objects.count()
        response = _web(personas, who).post(
            reverse("exchange:import_upload"), {"file": _file(tmp_path, f"{who}.csv")}
        )
        if who in IMPORTERS:
            assert response.status_code == 302, who
            assert ImportBatch.objects.count() == before + 1, who
        else:
            assert _refused(response, personas[who], reverse("exchange:import_upload")) is None, who
            assert ImportBatch.objects.count() == before, who
        assert _web(personas, who).get(reverse("exchange:import_upload")).status_code == 405


@pytest.mark.parametrize("name", ["exchange:import_detail", "exchange:import_report"])
def test_an_import_is_seen_by_its_importer_and_area_admin_only(personas, lappara_import, name):
    url = reverse(name, args=[lappara_import.uid])
    for who in EVERYONE:
        response = _web(personas, who).get(url)
        if who in SEES_LAPPARA_IMPORT:
            assert response.status_code == 200, who
        else:
            assert _refused(response, personas[who], url) is None, who
            assert AccessLog.objects.filter(
                user=personas[who], kind=AccessLog.Kind.DENIED, object_uid=str(lappara_import.uid)
            ).exists(), f"{who}: the refusal names the import"


def test_resume_is_post_only_and_refused_outside_the_import(personas, lappara_import):
    url = reverse("exchange:import_resume", args=[lappara_import.uid])
    jobs_before = Job.objects.count()
    for who in EVERYONE:
        if who in SEES_LAPPARA_IMPORT:
            continue
        assert _refused(_web(personas, who).post(url), personas[who], url) is None, who
    assert Job.objects.count() == jobs_before
    assert _web(personas, "operator_lappara").get(url).status_code == 405


@pytest.mark.parametrize("name", ["exchange:export_persons", "exchange:export_households"])
def test_exports_are_for_registry_readers_and_logged(personas, household_factory, name):
    household_factory()  # a family in Lappara
    for who in EVERYONE:
        response = _web(personas, who).get(reverse(name) + "?format=csv")
        if who in READERS:
            assert response.status_code == 200, who
            text = _body(response).decode("utf-8-sig")
            assert ("7309" in text) == (who != "admin_makassar" and who != "operator_bulu"), who
            assert AccessLog.objects.filter(user=personas[who], kind="export").exists(), who
        else:
            assert _refused(response, personas[who], reverse(name)) is None, who


def test_api_upload_is_for_importers_and_detail_for_the_import_owner(
    personas, lappara_import, tmp_path
):
    detail = reverse("exchange-api:import-detail", args=[lappara_import.uid])
    for who in EVERYONE:
        client = _api(personas, who)
        before = ImportBatch.objects.count()
        upload = client.post(
            reverse("exchange-api:import-list"),
            {"file": _file(tmp_path, f"api-{who}.csv")},
            format="multipart",
        )
        if who in IMPORTERS:
            assert upload.status_code in (200, 201, 202), who
            assert ImportBatch.objects.count() == before + 1, who
        else:
            refusal = _refused(upload, personas[who], reverse("exchange-api:import-list"))
            assert refusal is None, f"{who}: {refusal}"
            assert ImportBatch.objects.count() == before, who
        response = client.get(detail)
        if who in SEES_LAPPARA_IMPORT:
            assert response.status_code == 200, who
        else:
            assert _refused(response, personas[who], detail) is None, who


@pytest.mark.parametrize("name", ["exchange-api:export-persons", "exchange-api:export-households"])
def test_api_exports_are_for_registry_readers(personas, household_factory, name):
    household_factory()
    for who in EVERYONE:
        response = _api(personas, who).get(reverse(name))
        if who in READERS:
            assert response.status_code == 200, who
        else:
            assert _refused(response, personas[who], reverse(name)) is None, who


def test_api_export_jobs_are_refused_to_partner_and_head(personas):
    for who in ("partner", "head"):
        before = Job.objects.count()
        url = reverse("exchange-api:export-create")
        response = _api(personas, who).post(url, {}, format="json")
        assert _refused(response, personas[who], url) is None, who
        assert Job.objects.count() == before
