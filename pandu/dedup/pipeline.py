"""The batch run over the registry: read people in chunks, link them, store the candidate pairs.

Called by ``actions.find_duplicates`` (command and background job) and by ``bench/dedup.py``.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from pandu.core.spreadsheets import safe_row
from pandu.registry.models import Person

from . import spec
from .linkage import CHUNK, Candidate, Linkage, Progress, _no_progress
from .models import DedupRun, DuplicatePair, LinkageModel, PairStatus

EXPORT_HEADER = ["nik_a", "nik_b", "probability"]
DEFAULT_THRESHOLD = 0.8
STORE_BATCH = 5_000


def registry_chunks(area: str = "", chunk: int = CHUNK) -> Iterator[list[tuple]]:
    """Active people as raw rows (``linkage.RAW_COLUMNS``), by id ranges so memory stays flat."""
    table = Person._meta.db_table
    qn = connection.ops.quote_name
    where = [f"{qn('status')} = %s"]
    params: list[Any] = ["active"]
    if area:
        # A range on the indexed area code (see regions.lookups.Prefix).
        where.append(f"{qn('area_code')} >= %s AND {qn('area_code')} < %s")
        params += [area, area + "\x7f"]
    # Identifiers are quoted by the backend; every value is a query parameter.
    sql = (
        f"SELECT {qn('id')}, {qn('nik')}, {qn('name_key')}, {qn('sex')}, "  # noqa: S608
        # As text: no per-row date parsing in Python; DuckDB reads ISO dates fast.
        f"CAST({qn('birth_date')} AS TEXT), "
        f"{qn('birth_place')}, {qn('area_code')}, {qn('household_id')}, {qn('relationship')} "
        f"FROM {qn(table)} WHERE {' AND '.join(where)} AND {qn('id')} > %s "
        f"ORDER BY {qn('id')} LIMIT {int(chunk)}"
    )
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, last])
            rows = cursor.fetchall()
        if not rows:
            return
        yield [(r[0], r[1], r[2], r[3], r[4], r[5] or None, r[6], r[7], r[8]) for r in rows]
        last = rows[-1][0]


def count_people(area: str = "") -> int:
    return Person.objects.in_area(area).filter(status="active").count()


def current_model() -> LinkageModel | None:
    return LinkageModel.objects.order_by("-id").first()


@dataclass
class RunOutcome:
    run: DedupRun
    candidates: list[Candidate]
    seconds: float


def run(
    *,
    area: str = "",
    threshold: float = DEFAULT_THRESHOLD,
    user=None,
    train: bool | None = None,
    export: Path | None = None,
    progress: Progress = _no_progress,
) -> RunOutcome:
    """Link every active person (in ``area``), store pairs at or above ``threshold``.

    ``train=None`` trains only when no model is stored yet; a trained model is stored.
    Decided pairs (confirmed/dismissed) keep their decision; open ones get the new score.
    """
    started = time.monotonic()
    model_row = current_model()
    total = count_people(area)
    with Linkage() as linkage:
        linkage.load(registry_chunks(area), total=total, progress=progress)
        if train or (train is None and model_row is None):
            settings = linkage.train(progress=progress)
            model_row = LinkageModel.objects.create(
                created_by=user, records=linkage.people, area_code=area, settings_json=settings
            )
            from .online import forget_cached_model

            forget_cached_model()
        else:
            assert model_row is not None
            linkage.use(model_row.settings_json)
        result = linkage.predict(threshold, progress=progress)
    candidates = result.candidates
    progress("store", 0, len(candidates))
    store_started = time.monotonic()
    dedup_run = DedupRun.objects.create(
        area_code=area, threshold=threshold, started_by=user, model=model_row,
        people=result.people,
    )  # fmt: skip
    new = _store(dedup_run, candidates, model_row.settings_json, progress)
    timings = dict(result.timings)
    timings["store"] = time.monotonic() - store_started
    if export is not None:
        export_started = time.monotonic()
        write_export(export, candidates)
        timings["export"] = time.monotonic() - export_started
    seconds = time.monotonic() - started
    DedupRun.objects.filter(pk=dedup_run.pk).update(
        finished_at=timezone.now(),
        pairs=len(candidates),
        new_pairs=new,
        seconds=seconds,
        timings={k: round(v, 2) for k, v in timings.items()},
    )
    dedup_run.refresh_from_db()
    return RunOutcome(dedup_run, candidates, seconds)


def _store(
    dedup_run: DedupRun, candidates: list[Candidate], settings: dict, progress: Progress
) -> int:
    """Insert new pairs, refresh the score of open ones; decided pairs are left as they are."""
    model = spec.Model.from_settings(settings)
    new = 0
    for start in range(0, len(candidates), STORE_BATCH):
        batch = candidates[start : start + STORE_BATCH]
        keys = {(c.id_l, c.id_r): c for c in batch}
        with transaction.atomic():
            # One IN list on the leading column of the (person_a, person_b) unique index; two IN
            # lists make SQLite scan the table.
            existing = {
                (p.person_a_id, p.person_b_id): p
                for p in DuplicatePair.objects.filter(person_a_id__in={a for a, _b in keys})
                if (p.person_a_id, p.person_b_id) in keys
            }
            to_create, to_update = [], []
            unchanged: list[int] = []
            for key, cand in keys.items():
                _p, _w, evidence = model.score_levels(cand.levels, cand.adjust)
                pair = existing.get(key)
                if pair is None:
                    to_create.append(
                        DuplicatePair(
                            person_a_id=key[0],
                            person_b_id=key[1],
                            probability=cand.probability,
                            match_weight=cand.match_weight,
                            evidence=evidence,
                            run=dedup_run,
                        )
                    )
                elif pair.status == PairStatus.OPEN:
                    if (
                        abs(pair.probability - cand.probability) < 1e-9
                        and pair.evidence == evidence
                    ):
                        unchanged.append(pair.pk)  # the usual case on a re-run: no rewrite
                        continue
                    pair.probability, pair.match_weight = cand.probability, cand.match_weight
                    pair.evidence, pair.run = evidence, dedup_run
                    to_update.append(pair)
            DuplicatePair.objects.bulk_create(to_create, batch_size=1000)
            DuplicatePair.objects.bulk_update(
                to_update, ["probability", "match_weight", "evidence", "run"], batch_size=500
            )
            DuplicatePair.objects.filter(pk__in=unchanged).update(run=dedup_run)
        new += len(to_create)
        progress("store", start + len(batch), len(candidates))
    return new


def write_export(path: Path, candidates: list[Candidate]) -> None:
    """``nik_a,nik_b,probability`` per pair (a = the lower person id), highest first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = {i for c in candidates for i in (c.id_l, c.id_r)}
    niks: dict[int, str] = {}
    id_list = sorted(ids)
    for start in range(0, len(id_list), 5000):
        part = id_list[start : start + 5000]
        niks.update(Person.objects.filter(pk__in=part).values_list("pk", "nik"))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(EXPORT_HEADER)
        for c in sorted(candidates, key=lambda c: (-c.probability, c.id_l, c.id_r)):
            row = [niks.get(c.id_l, ""), niks.get(c.id_r, ""), f"{c.probability:.6f}"]
            writer.writerow(safe_row(row))
