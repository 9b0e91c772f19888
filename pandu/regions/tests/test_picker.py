"""Area pickers search the user's own area first, say where a village lies, and offer nothing
outside the area where the form cannot use it."""

import pytest
from django.test import Client
from django.urls import reverse

from pandu.regions.models import Area, Level

pytestmark = pytest.mark.django_db

GOWA_VILLAGE = "73.06.01.2001"


@pytest.fixture
def gowa(areas):
    """A village called Moncongloe in Kabupaten Gowa, outside every Maros user's area."""
    Area.objects.create(code="73.06", name="Kabupaten Gowa", level=Level.REGENCY, parent_id="73")
    Area.objects.create(code="73.06.01", name="Bontonompo", level=Level.DISTRICT, parent_id="73.06")
    Area.objects.create(
        code=GOWA_VILLAGE, name="Moncongloe", level=Level.VILLAGE, parent_id="73.06.01"
    )


def _results(user, **params):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("regions:autocomplete"), params)
    assert response.status_code == 200
    return response.json()["results"]


def test_the_users_own_area_comes_first_and_each_village_names_its_regency(personas, gowa):
    results = _results(personas["front_office"], q="moncongloe", level=4)
    codes = [r["code"] for r in results]
    assert codes.index("73.09.13.2001") < codes.index(GOWA_VILLAGE)
    assert all(r["mine"] for r in results[:3]) and not results[-1]["mine"]
    labels = {r["code"]: r["label"] for r in results}
    assert labels["73.09.13.2001"] == "Moncongloe — Kec. Moncongloe, Kab. Maros"
    assert labels[GOWA_VILLAGE] == "Moncongloe — Kec. Bontonompo, Kab. Gowa"


def test_a_picker_for_the_users_own_area_offers_nothing_outside_it(personas, gowa):
    results = _results(personas["front_office"], q="moncongloe", level=4, scope="mine")
    assert GOWA_VILLAGE not in {r["code"] for r in results}
    assert {r["code"] for r in results} == {"73.09.13.2001", "73.09.13.2002", "73.09.13.2003"}
    # A village operator is offered her own village only.
    only = _results(personas["operator_lappara"], q="monc", level=4, scope="mine")
    assert [r["code"] for r in only] == ["73.09.13.2003"]


def test_the_forms_pickers_ask_for_the_users_own_area_except_a_move_elsewhere(personas):
    from pandu.proposals.forms import BatchForm, MoveForm
    from pandu.registry.forms import HouseholdForm
    from pandu.services.forms import IntakeForm

    assert 'data-scope="mine"' in str(HouseholdForm()["village"])
    assert 'data-scope="mine"' in str(BatchForm()["village"])
    assert 'data-scope="mine"' in str(IntakeForm(user=personas["front_office"])["village"])
    assert "data-scope" not in str(MoveForm()["village"])


def test_the_chosen_village_is_shown_with_its_district_and_regency(personas):
    from pandu.registry.forms import HouseholdForm

    html = str(HouseholdForm(initial={"village": "73.09.13.2003"})["village"])
    assert "Moncongloe Lappara — Kec. Moncongloe, Kab. Maros" in html
