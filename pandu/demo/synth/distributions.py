"""Shares of household composition, housing, assets, cards and person attributes by poverty."""

from __future__ import annotations

from .randomness import Pick

# --- Household attributes by poverty --------------------------------------------------------

POOR_DESIL = Pick({1: 35, 2: 35, 3: 30})
OTHER_DESIL = Pick({4: 30, 5: 22, 6: 16, 7: 12, 8: 9, 9: 6, 10: 5})
FAKIR_MISKIN_BY_DESIL = {1: 0.45, 2: 0.2, 3: 0.08}

HOUSING: dict[str, tuple[Pick, Pick]] = {
    # field: (poor, not poor)
    "ownership": (Pick({1: 70, 2: 8, 3: 18, 5: 4}), Pick({1: 82, 2: 12, 3: 4, 4: 1, 5: 1})),
    "land_ownership": (Pick({1: 60, 2: 30, 3: 5, 4: 5}), Pick({1: 85, 2: 10, 3: 3, 4: 2})),
    "floor_material": (
        Pick({9: 15, 7: 5, 8: 25, 6: 35, 4: 10, 2: 9, 10: 1}),
        Pick({2: 50, 4: 15, 6: 15, 5: 12, 1: 3, 3: 2, 8: 3}),
    ),
    "wall_material": (
        Pick({3: 45, 4: 20, 1: 25, 2: 5, 5: 3, 6: 2}),
        Pick({1: 70, 3: 25, 2: 3, 6: 2}),
    ),
    "roof_material": (
        Pick({4: 75, 7: 10, 3: 8, 2: 5, 5: 2}),
        Pick({4: 65, 2: 20, 3: 8, 1: 5, 5: 2}),
    ),
    "water_source": (
        Pick({6: 15, 5: 25, 4: 15, 2: 20, 7: 5, 8: 5, 9: 10, 10: 5}),
        Pick({2: 40, 4: 20, 3: 15, 1: 5, 5: 15, 7: 5}),
    ),
    "lighting": (Pick({1: 70, 2: 20, 3: 6, 4: 4}), Pick({1: 97, 2: 3})),
    "cooking_fuel": (
        Pick({3: 60, 8: 35, 5: 3, 7: 2}),
        Pick({3: 75, 2: 12, 1: 5, 8: 8}),
    ),
    "toilet_use": (Pick({1: 55, 2: 20, 3: 10, 4: 15}), Pick({1: 95, 2: 5})),
}
WATTAGE = (Pick({450: 70, 900: 30}), Pick({450: 15, 900: 45, 1300: 25, 2200: 10, 2201: 5}))
TOILET_TYPE = (Pick({1: 60, 2: 20, 3: 20}), Pick({1: 97, 2: 2, 3: 1}))
WASTE = (Pick({1: 45, 3: 30, 4: 15, 5: 10}), Pick({1: 90, 2: 2, 3: 8}))
NO_TOILET_WASTE = Pick({4: 60, 5: 35, 6: 5})
# asset code: (share among poor, share among others)
ASSETS = [
    ("gas5", 0.02, 0.2), ("fridge", 0.15, 0.55), ("ac", 0.0, 0.08), ("heater", 0.0, 0.02),
    ("phone", 0.0, 0.02), ("tv", 0.45, 0.75), ("gold", 0.03, 0.25), ("computer", 0.01, 0.15),
    ("bicycle", 0.2, 0.2), ("motorcycle", 0.5, 0.8), ("car", 0.005, 0.1), ("boat", 0.05, 0.04),
    ("motorboat", 0.02, 0.03), ("smartphone", 0.7, 0.88), ("land", 0.05, 0.25),
    ("house", 0.0, 0.08),
]  # fmt: skip
# card code: (share among poor, share among others)
CARDS = [
    ("kks", 0.55, 0.03), ("kip", 0.3, 0.02), ("kis", 0.85, 0.2), ("pkh", 0.45, 0.02),
    ("bpnt", 0.6, 0.03), ("bpjs", 0.05, 0.45), ("jamsostek", 0.02, 0.15), ("kur", 0.01, 0.05),
    ("rastra", 0.05, 0.0),
]  # fmt: skip
# livestock: (share of households, max head)
LIVESTOCK = [("unggas", 0.35, 30), ("kambing", 0.1, 8), ("sapi", 0.08, 5), ("kerbau", 0.01, 3)]

COMPOSITION = Pick(
    {"couple_kids": 56, "couple": 6, "single_parent": 9, "single": 5, "extended": 11,
     "three_gen": 10, "skipped": 3}
)  # fmt: skip

# --- Person attributes ----------------------------------------------------------------------

EDUCATION_BY_COHORT = {
    # birth year from: codes none, SD, SMP, SMA, Diploma, S1, S2
    1990: Pick({0: 2, 1: 15, 2: 22, 3: 40, 4: 6, 5: 14, 6: 1}),
    1970: Pick({0: 5, 1: 30, 2: 22, 3: 28, 4: 4, 5: 10, 6: 1}),
    1955: Pick({0: 15, 1: 45, 2: 15, 3: 17, 4: 2, 5: 5, 6: 1}),
    0: Pick({0: 35, 1: 45, 2: 8, 3: 8, 4: 1, 5: 3}),
}
# Youngest age at which a level can have been reached (attended).
EDUCATION_MIN_AGE = {0: 0, 1: 6, 2: 12, 3: 15, 4: 18, 5: 19, 6: 23}
SECTOR_RURAL = Pick({1: 40, 2: 4, 3: 6, 4: 1, 5: 2, 6: 5, 7: 8, 8: 15, 9: 6, 10: 10, 11: 3})
SECTOR_URBAN = Pick({1: 8, 2: 2, 3: 3, 6: 10, 7: 10, 8: 28, 9: 10, 10: 25, 5: 1, 11: 3})
WORK_STATUS = Pick({1: 35, 2: 10, 3: 2, 4: 25, 5: 15, 6: 13})
WORK_STATUS_POOR = Pick({1: 30, 2: 5, 4: 15, 5: 35, 6: 15})
DISABILITY_TYPE = Pick({1: 40, 4: 25, 2: 12, 3: 13, 5: 10})
SEVERITY = Pick({1: 40, 2: 35, 3: 25})
CHRONIC_ADULT = Pick({1: 35, 2: 15, 5: 12, 3: 8, 4: 8, 6: 5, 7: 5, 8: 2, 9: 2, 10: 8})
CHRONIC_CHILD = Pick({3: 60, 6: 15, 4: 5, 10: 20})
PPKS_SOURCE = Pick({"dtks": 40, "musdes": 25, "visit": 20, "referral": 8, "self": 7})
# Rare person-level PPKS: (number, weight, min age, max age, sex or "").
RARE_PPKS = [
    (13, 40, 15, 75, ""), (15, 25, 19, 65, "L"), (19, 15, 18, 70, "P"), (20, 15, 20, 50, ""),
    (17, 12, 15, 45, ""), (12, 8, 30, 90, ""), (4, 6, 8, 17, ""), (7, 5, 6, 17, ""),
    (14, 5, 0, 90, ""), (11, 3, 20, 80, ""), (3, 4, 12, 17, ""), (6, 6, 3, 17, ""),
    (18, 3, 15, 35, "P"), (16, 2, 20, 50, ""), (10, 2, 18, 40, "P"),
]  # fmt: skip
RARE_PPKS_SHARE = 0.006
