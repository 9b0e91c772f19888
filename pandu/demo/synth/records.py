"""What the generator takes and gives: the region, the PPKS rules and the generated records.

Every date is derived from the fixed :data:`REFERENCE_DATE`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

REFERENCE_DATE = date(2026, 7, 1)
# PPKS age rules must still hold on this date, so records do not go stale the day after loading.
RULES_VALID_UNTIL = REFERENCE_DATE + timedelta(days=365)
REF_ORD = REFERENCE_DATE.toordinal()
YEAR = 365.2425

MAX_MEMBERS = 9
MOVER_SHARE = 0.01  # NIK first registered in another district of the same regency
MISMATCH_SHARE = 0.005  # NIK birth date disagrees with the recorded one (a quality flag)
MISMATCH_FLAG = "nik_birth_date_mismatch"

# Relationship codes (choices.Relationship)
HEAD, SPOUSE, CHILD, CHILD_IN_LAW, GRANDCHILD, PARENT, HELP, OTHER = 1, 2, 3, 4, 5, 6, 7, 8
# Marital status codes (choices.MaritalStatus)
SINGLE, MARRIED, DIVORCED, WIDOWED = 1, 2, 3, 4


class GenerationError(Exception):
    """The request cannot be generated (e.g. no villages, serial numbers exhausted)."""


# --- Inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Village:
    code: str  # "73.09.13.2001"
    name: str


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """What the generator needs to know about the region; built from the area table."""

    code: str
    villages: Sequence[Village]
    district_names: dict[str, str]  # "73.09.13" -> "Moncongloe"
    regency_names: dict[str, str]  # "73.09" -> "Kabupaten Maros"
    # "73.09" -> ["730901", "730902", ...]: every district of the regency, for people who moved.
    districts_by_regency: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class CategoryRule:
    """The age/sex rule of one PPKS category (a copy of the PPKSCategory row)."""

    number: int
    min_age: int | None = None
    max_age: int | None = None
    min_age_exclusive: bool = False
    max_age_exclusive: bool = False
    sex: str = ""
    sensitive: bool = False
    household_level: bool = False

    def accepts_age(self, age: int) -> bool:
        """Same rule as ``PPKSCategory.accepts_age``."""
        lo, hi = self.min_age, self.max_age
        if lo is not None and (age <= lo if self.min_age_exclusive else age < lo):
            return False
        return not (hi is not None and (age >= hi if self.max_age_exclusive else age > hi))

    def accepts(self, birth_date: date, sex: str, when: Sequence[date]) -> bool:
        if self.sex and sex != self.sex:
            return False
        return all(self.accepts_age(age_on(birth_date, d)) for d in when)


# --- Outputs --------------------------------------------------------------------------------


@dataclass(slots=True)
class GenPerson:
    uid: str  # 32 hex digits
    nik: str
    full_name: str
    name_key: str
    sex: str
    birth_place: str
    birth_date: date
    relationship: int
    marital_status: int
    has_marriage_certificate: bool | None
    has_id_card: bool | None
    school_participation: int | None
    education: int | None
    worked_last_week: bool | None
    work_status: int | None
    work_sector: int | None
    disability_type: int
    disability_severity: int
    chronic_illness: int
    pregnant: bool
    flagged: bool
    membership_started: date
    ppks: list[int] = field(default_factory=list)

    @property
    def quality_flags(self) -> list[str]:
        return [MISMATCH_FLAG] if self.flagged else []


@dataclass(slots=True)
class GenPPKS:
    uid: str
    category: int  # PPKS number
    member: int | None  # index into GenHousehold.members; None for a household-level record
    identified_on: date
    source: str
    verified_on: date | None


@dataclass(slots=True)
class GenHousehold:
    uid: str
    kk_number: str
    kk_issued: date
    village_code: str
    rt: int
    rw: int
    address: str
    desil: int | None
    ownership: int
    land_ownership: int
    floor_area: int
    floor_material: int
    wall_material: int
    wall_condition: int
    roof_material: int
    roof_condition: int
    bedrooms: int
    water_source: int
    lighting: int
    wattage: int
    cooking_fuel: int
    toilet_use: int
    toilet_type: int
    waste_disposal: int
    assets: list[str]
    livestock: dict[str, int]
    has_business: bool
    cards: list[str]
    members: list[GenPerson]
    ppks: list[GenPPKS]


def age_on(birth_date: date, when: date) -> int:
    return (
        when.year - birth_date.year - ((when.month, when.day) < (birth_date.month, birth_date.day))
    )


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)
