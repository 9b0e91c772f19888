import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_catalogue_lists_programmes_with_their_amounts(personas):
    client = _api(personas["operator_lappara"])
    rows = client.get("/api/v1/programmes/", {"page_size": 50}).json()["results"]
    assert {"PKH", "BPNT", "PBI-JK", "PKSA", "ASKESOS"} <= {r["code"] for r in rows}
    pkh = client.get("/api/v1/programmes/PKH/").json()
    assert pkh["owner"]["short_name"] == "Kemensos"
    child = next(a for a in pkh["amounts"] if a["component"] == "ANAK_USIA_DINI")
    assert child["amount"] == "3000000" and child["valid_from"] == "2022-01-01"
    assert (
        client.get("/api/v1/programmes/", {"benefit_type": "nontunai"}).json()["results"][0]["code"]
        == "BPNT"
    )
    assert client.get("/api/v1/programmes/NOPE/").status_code == 404


def test_the_head_reads_the_whole_programme_with_the_dipa_warning(personas, moncongloe):
    client = _api(personas["head"])
    listing = client.get("/api/v1/programmes/integrated/").json()["results"]
    assert [r["uid"] for r in listing] == [str(moncongloe.uid)]
    detail = client.get(f"/api/v1/programmes/integrated/{moncongloe.uid}/").json()
    assert len(detail["implementers"]) == 6
    dipa = next(line for line in detail["funding_lines"] if line["source"] == "apbn")
    assert dipa["document_date"] == "2012-12-09" and dipa["warnings"]
    pksa = next(i for i in detail["implementers"] if i["catalogue_programme"] == "PKSA")
    assert pksa["activities"][0]["target_quantity"] == 70
    assert detail["progress_by_area"][0]["activities"] == 8


def test_a_focal_point_reads_only_its_own_part(personas, moncongloe):
    detail = (
        _api(personas["partner"]).get(f"/api/v1/programmes/integrated/{moncongloe.uid}/").json()
    )
    assert [i["organisation"]["short_name"] for i in detail["implementers"]] == ["IPSI Makassar"]
    assert {line["implementer"] for line in detail["funding_lines"]} == {
        detail["implementers"][0]["uid"]
    }
    assert all("participants" in a and "name" in a for a in detail["implementers"][0]["activities"])
    assert "person" not in detail["implementers"][0]["activities"][0]


def test_a_programme_outside_the_area_is_a_404(personas, moncongloe, makassar_programme):
    client = _api(personas["admin_maros"])
    assert client.get(f"/api/v1/programmes/integrated/{makassar_programme.uid}/").status_code == 404
    other = _api(personas["admin_makassar"])
    assert other.get(f"/api/v1/programmes/integrated/{moncongloe.uid}/").status_code == 404


def test_the_programme_detail_costs_the_same_queries_whatever_its_size(personas, moncongloe):
    client = _api(personas["admin_maros"])
    url = f"/api/v1/programmes/integrated/{moncongloe.uid}/"
    client.get(url)
    with CaptureQueriesContext(connection) as six:
        client.get(url)
    from pandu.demo import programmes as demo
    from pandu.programs import actions
    from pandu.programs.models import Implementer

    bbppks = Implementer.objects.get(organisation__short_name="BBPPKS Makassar")
    for n in range(5):
        actions.save_activity(personas["admin_maros"], bbppks, name=f"Pelatihan {n}")
    assert demo.TITLE
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(six)
