from datetime import date

import pytest

from pandu.conftest import LAPPARA, make_kk, make_nik


@pytest.fixture
def person_factory(personas, household_factory):
    """One-person (or two-person) households in a village, registered through the real action."""
    counter = {"n": 500}

    def make(name, born, *, sex="L", village=LAPPARA, birth_place="Maros", spouse=None):
        counter["n"] += 1
        n = counter["n"]
        district = village[:8]
        members = [
            {
                "nik": make_nik(district, born, sex, n),
                "full_name": name,
                "sex": sex,
                "birth_date": born,
                "birth_place": birth_place,
                "relationship": 1,
                "marital_status": 2 if spouse else 1,
            }
        ]
        if spouse:
            members.append(
                {
                    "nik": make_nik(district, date(1985, 3, 3), "P", n + 1000),
                    "full_name": spouse,
                    "sex": "P",
                    "birth_date": date(1985, 3, 3),
                    "relationship": 2,
                    "marital_status": 2,
                }
            )
        hh = household_factory(
            village, members=members, kk_number=make_kk(district, date(2016, 1, 2), n)
        )
        return hh.members.get(relationship=1)

    return make
