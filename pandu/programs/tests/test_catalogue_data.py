from datetime import date

import pytest

from pandu.programs.models import Programme

pytestmark = pytest.mark.django_db


def test_the_catalogue_starts_with_the_national_programmes_owned_by_the_ministry():
    codes = set(Programme.objects.values_list("code", flat=True))
    assert {"PKH", "BPNT", "PBI-JK", "PKSA", "UEP", "KUBE", "KESERASIAN", "RTLH", "ATENSI"} <= codes
    assert "ASKESOS" in codes
    pkh = Programme.objects.get(code="PKH")
    assert pkh.owner.short_name == "Kemensos"
    assert pkh.benefit_type == "tunai"
    assert any("Nomor 1 Tahun 2018" in law for law in pkh.legal_basis)


def test_pkh_amounts_are_configuration_in_force_from_2022():
    pkh = Programme.objects.get(code="PKH")
    amounts = {a.component: a for a in pkh.amounts_on(date(2024, 5, 1))}
    assert amounts["ANAK_USIA_DINI"].amount == 3_000_000
    assert amounts["ANAK_USIA_DINI"].max_count == 2
    assert amounts["SD"].amount == 900_000
    assert amounts["LANSIA_70"].amount == 2_400_000
    assert not pkh.amounts_on(date(2021, 12, 31)).exists()


def test_unconfirmed_amounts_are_marked_and_bounded_in_time():
    sembako = Programme.objects.get(code="BPNT").amounts.get()
    assert sembako.unconfirmed and sembako.amount == 200_000 and sembako.per == "bulan"
    askesos = Programme.objects.get(code="ASKESOS")
    assert askesos.amounts_on(date(2012, 6, 1)).count() == 2
    assert not askesos.amounts_on(date(2013, 1, 1)).exists()
