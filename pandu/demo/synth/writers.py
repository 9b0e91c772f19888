"""Generated households written out in the CSV import format."""

from __future__ import annotations

from collections.abc import Iterator

from .records import HEAD, GenHousehold

# The CSV import format: one row per person; codes as in choices.py, empty = unknown;
# birth_date DD-MM-YYYY; pregnant 1/0; ppks = PPKS numbers separated by ";" (the household-level
# ones on the head's row).
CSV_COLUMNS = [
    "kk_number", "nik", "full_name", "sex", "birth_place", "birth_date", "relationship",
    "marital_status", "village_code", "rt", "rw", "address", "education", "work_status",
    "work_sector", "disability_type", "disability_severity", "chronic_illness", "pregnant", "ppks",
]  # fmt: skip


def csv_rows(household: GenHousehold) -> Iterator[list[str]]:
    """One CSV row per person in the import format (see ``CSV_COLUMNS``)."""
    household_ppks = [str(p.category) for p in household.ppks if p.member is None]
    for person in household.members:
        ppks = [str(n) for n in person.ppks]
        if person.relationship == HEAD:
            ppks += household_ppks
        yield [
            household.kk_number,
            person.nik,
            person.full_name,
            person.sex,
            person.birth_place,
            person.birth_date.strftime("%d-%m-%Y"),
            str(person.relationship),
            str(person.marital_status),
            household.village_code,
            str(household.rt),
            str(household.rw),
            household.address,
            _blank(person.education),
            _blank(person.work_status),
            _blank(person.work_sector),
            str(person.disability_type),
            str(person.disability_severity),
            str(person.chronic_illness),
            "1" if person.pregnant else "0",
            ";".join(ppks),
        ]


def _blank(value: int | None) -> str:
    return "" if value is None else str(value)
