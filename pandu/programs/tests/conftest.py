"""The Moncongloe integrated programme of seed 000, loaded through the actions by the demo
loader: the partner persona is IPSI's focal point, the district's TKSK Dinas Sosial's; a
programme of Kota Makassar lies outside every Maros persona's area."""

from datetime import date

import pytest

from pandu.demo import programmes as demo
from pandu.programs import actions
from pandu.programs.models import Implementer, IntegratedProgramme
from pandu.regions.models import Area


@pytest.fixture
def moncongloe(personas):
    demo.load(
        personas["admin_maros"],
        {
            "IPSI Makassar": personas["partner"],
            "Dinas Sosial Nakertrans Maros": personas["tksk_moncongloe"],
        },
    )
    return IntegratedProgramme.objects.get(title=demo.TITLE)


@pytest.fixture
def ipsi(moncongloe):
    return Implementer.objects.get(programme=moncongloe, organisation__short_name="IPSI Makassar")


@pytest.fixture
def stiks(moncongloe):
    return Implementer.objects.get(
        programme=moncongloe, organisation__short_name="STIKS Tamalanrea"
    )


@pytest.fixture
def makassar_programme(personas):
    return actions.save_integrated_programme(
        personas["admin_makassar"],
        title="Program Terpadu Mariso",
        area=Area.objects.get(code="73.71.01"),
        starts_on=date(2025, 1, 1),
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
