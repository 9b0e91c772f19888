"""Loading the official area list from the idn-area-data CSV files (ODbL)."""

import csv
from collections.abc import Iterator
from pathlib import Path

from django.db import transaction

from .models import Area, Level

FILES = [
    (Level.PROVINCE, "provinces.csv", None),
    (Level.REGENCY, "regencies.csv", "province_code"),
    (Level.DISTRICT, "districts.csv", "regency_code"),
    (Level.VILLAGE, "villages.csv", "district_code"),
]


class AreaDataMissing(Exception):
    pass


def _rows(path: Path, parent_column: str | None) -> Iterator[tuple[str, str, str | None]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            yield (
                row["code"].strip(),
                row["name"].strip(),
                (row[parent_column].strip() if parent_column else None),
            )


@transaction.atomic
def load_areas(data_dir: Path, batch_size: int = 5000) -> dict[int, int]:
    """Insert or update every area; returns the number of areas per level afterwards."""
    if not (data_dir / "villages.csv").exists():
        raise AreaDataMissing(str(data_dir))
    for level, filename, parent_column in FILES:
        batch: list[Area] = []
        for code, name, parent in _rows(data_dir / filename, parent_column):
            batch.append(Area(code=code, name=name, level=level, parent_id=parent))
            if len(batch) >= batch_size:
                _upsert(batch)
                batch = []
        if batch:
            _upsert(batch)
    from .queries import forget_cached_codes

    forget_cached_codes()
    return {level: Area.objects.filter(level=level).count() for level in Level.values}


def _upsert(batch: list[Area]) -> None:
    Area.objects.bulk_create(
        batch,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "level", "parent"],
    )
