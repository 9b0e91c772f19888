"""After an import: "this may be the same person as ..." for the people the import registered.

The same record-linkage check that runs when a person is typed in at a form
(``pandu.dedup.online.possible_duplicates``) runs for each person an import created, against
the whole registry of the import's area (people the file brought and people already there).
Pairs at or above the review threshold go to the duplicate review queue, marked as found by the
import; the import's summary says how many.

A large import (more new people than ``ONLINE_LIMIT``) is better served by one registry-wide
linkage run than by a million single checks: it queues the ``dedup.find`` job over the import's
area instead, and says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pandu.core import jobs
from pandu.dedup.models import DuplicatePair
from pandu.dedup.online import possible_duplicates
from pandu.dedup.pipeline import DEFAULT_THRESHOLD
from pandu.registry.models import Person

from .models import ImportBatch, ImportChange

ONLINE_LIMIT = 500
SOURCE = "import"
DEDUP_JOB = "dedup.find"


def created_people(batch: ImportBatch) -> list[int]:
    ids: list[int] = []
    runs = ImportChange.objects.filter(
        batch=batch, model=ImportChange.Model.PERSON, action=ImportChange.Action.CREATED
    ).values_list("object_id", "last_object_id")
    for first, last in runs:
        ids.extend(range(first, (last or first) + 1))
    return ids


def check_import(batch: ImportBatch, on_progress: Callable[[int, int], None] | None = None) -> str:
    """Look for duplicates of the people ``batch`` created; returns a sentence for its summary."""
    ids = created_people(batch)
    if not ids:
        return ""
    scope = (batch.user.scope_code or "") if batch.user is not None else ""
    if len(ids) > ONLINE_LIMIT:
        job = jobs.enqueue(
            DEDUP_JOB,
            user=None,
            params={"area": scope, "threshold": DEFAULT_THRESHOLD},
            area_code=scope,
            title=_("Pencarian data ganda setelah impor %(batch)s") % {"batch": batch.short_id},
        )
        return _(
            "Pencarian data ganda untuk %(n)s penduduk baru dijalankan sebagai tugas terpisah "
            "(tugas %(job)s); pasangan yang ditemukan masuk antrean pemeriksaan data ganda."
        ) % {"n": f"{len(ids):,}".replace(",", "."), "job": str(job.uid)[:8]}
    # The import's own area, as the import itself may read it: whoever started it, the check
    # looks at every person there (no role of theirs narrows or widens it).
    among = Person.objects.in_area(scope) if scope else Person.objects.all()
    found = 0
    people = Person.objects.filter(pk__in=ids, status="active").select_related("household")
    for number, person in enumerate(people.iterator(chunk_size=500), start=1):
        data = {
            "full_name": person.full_name,
            "birth_date": person.birth_date,
            "sex": person.sex,
            "birth_place": person.birth_place,
            "nik": person.nik,
            "area_code": person.area_code,
            "household": person.household,
            "relationship": person.relationship,
        }
        for other, probability, evidence in possible_duplicates(
            data, among=among, exclude=person, limit=3
        ):
            if probability >= DEFAULT_THRESHOLD and _store(person, other, probability, evidence):
                found += 1
        if on_progress is not None and not number % 50:
            on_progress(number, len(ids))
    if not found:
        return _("Tidak ada penduduk baru yang mirip dengan data lain di registri.")
    return ngettext(
        "%(n)s pasangan mungkin data ganda (penduduk baru dari impor ini) masuk antrean "
        "pemeriksaan data ganda.",
        "%(n)s pasangan mungkin data ganda (penduduk baru dari impor ini) masuk antrean "
        "pemeriksaan data ganda.",
        found,
    ) % {"n": found}


def _store(person: Person, other: Person, probability: float, evidence) -> bool:
    a, b = sorted((person.pk, other.pk))
    if DuplicatePair.objects.filter(person_a_id=a, person_b_id=b).exists():
        return False
    clipped = min(max(probability, 1e-12), 1 - 1e-12)
    try:
        with transaction.atomic():
            DuplicatePair.objects.create(
                person_a_id=a,
                person_b_id=b,
                probability=probability,
                match_weight=math.log2(clipped / (1 - clipped)),
                evidence=evidence,
                source=SOURCE,
            )
    except IntegrityError:  # the pair was stored meanwhile
        return False
    return True
