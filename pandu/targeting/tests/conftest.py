from datetime import date

import pytest

from pandu.conftest import BULU, LAPPARA

PKH_RULE = {
    "all": [
        {"field": "desil", "op": "lte", "value": 4},
        {
            "any": [
                {"field": "has_child_0_6", "op": "eq", "value": True},
                {"field": "has_pregnant_member", "op": "eq", "value": True},
                {"field": "has_member_70_plus", "op": "eq", "value": True},
            ]
        },
    ]
}

PMT_MODEL = {
    "name": "PMT uji",
    "version": "1",
    "intercept": 13.0,
    "variables": [
        {"name": "ln_size", "source": "household_size", "transform": "ln", "weight": -0.4},
        {"name": "floor_pc", "source": "floor_area", "per_capita": True, "weight": 0.01},
        {"name": "earth_floor", "source": "floor_material", "in": [9], "weight": -0.2},
        {"name": "business", "source": "has_business", "weight": 0.15},
        {
            "name": "children",
            "source": "members",
            "where": {"field": "age", "op": "lte", "value": 14},
            "weight": -0.05,
        },
        {
            "name": "head_female",
            "source": "head",
            "where": {"field": "sex", "op": "eq", "value": "P"},
            "weight": -0.1,
        },
    ],
}


@pytest.fixture
def bulk_households(areas):
    """Families written straight into the tables (fast, for many random families): each spec is
    ``{"village", "desil", "floor_area", "floor_material", "has_business", "members": [...]}``."""
    from pandu.registry.models import Household, Person

    counter = {"n": 0}

    def make(specs: list[dict]) -> list:
        made = []
        for spec in specs:
            counter["n"] += 1
            n = counter["n"]
            hh = Household.objects.create(
                kk_number=f"7309{n:012d}",
                village_id=spec.get("village", LAPPARA),
                rt=1,
                rw=1,
                desil=spec.get("desil"),
                floor_area=spec.get("floor_area"),
                floor_material=spec.get("floor_material"),
                has_business=spec.get("has_business", False),
                status=spec.get("status", "active"),
            )
            people = []
            for j, m in enumerate(spec.get("members", [])):
                people.append(
                    Person(
                        nik=f"73{n:09d}{j:05d}",
                        household=hh,
                        area_code=hh.village_id,
                        full_name=f"Orang {n}-{j}",
                        sex=m.get("sex", "L"),
                        birth_date=m.get("birth_date", date(1980, 1, 1)),
                        relationship=m.get("relationship", 1 if j == 0 else 3),
                        pregnant=m.get("pregnant", False),
                        disability_type=m.get("disability_type", 0),
                        education=m.get("education"),
                        worked_last_week=m.get("worked_last_week"),
                        status=m.get("status", "active"),
                    )
                )
            Person.objects.bulk_create(people)
            made.append(hh)
        return made

    return make


@pytest.fixture
def pkh(db):
    from pandu.programs.models import Programme

    return Programme.objects.create(code="PKH-UJI", name="PKH uji", benefit_type="tunai")


__all__ = ["BULU", "LAPPARA"]
