"""The batch linkage: people into an in-memory DuckDB, features in SQL, Splink to train and score.

Input is a stream of *raw rows* (:data:`RAW_COLUMNS`) read in chunks, from the registry or from
the labelled generator, so both go through exactly the same code. Name and place keys that need
Python (phonetic key, place key) are computed once per distinct value, not once per person.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from . import spec
from .features import name_features_from_key, place_key

log = logging.getLogger("pandu.dedup")

RAW_COLUMNS = [
    "unique_id",
    "nik",
    "name_key",
    "sex",
    "birth_date",
    "birth_place",
    "area_code",
    "household_id",
    "relationship",
]
RAW_SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("nik", pa.string()),
        ("name_key", pa.string()),
        ("sex", pa.string()),
        ("birth_date", pa.string()),  # ISO text or a date
        ("birth_place", pa.string()),
        ("area_code", pa.string()),
        ("household_id", pa.int64()),
        ("relationship", pa.int32()),
    ]
)
CHUNK = 100_000
NAME_MAP_COLUMNS = [
    "raw_key", "name_key", "name_compact", "name_sorted", "name_first", "name_last",
    "name_rest", "name_phon",
]  # fmt: skip
MEMORY_LIMIT = "2GB"
Progress = Callable[..., None]


def _no_progress(stage: str, done: int = 0, total: int | None = None) -> None:
    return None


@dataclass
class Candidate:
    """A scored pair from the batch run (ids are whatever ``unique_id`` was)."""

    id_l: int
    id_r: int
    probability: float
    match_weight: float
    levels: dict[str, str]
    adjust: dict[str, float] = field(default_factory=dict)  # term-frequency adjustments


@dataclass
class LinkageResult:
    people: int = 0
    compared: int = 0
    candidates: list[Candidate] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    trained: bool = False


class Linkage:
    """One DuckDB database holding one population; ``train`` then ``predict``."""

    def __init__(self, *, threads: int = 2, memory_limit: str = MEMORY_LIMIT) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="pandu-dedup-")
        self.con = duckdb.connect(":memory:")
        self.con.execute(f"SET threads = {int(threads)}")
        self.con.execute(f"SET memory_limit = '{memory_limit}'")
        self.con.execute(f"SET temp_directory = '{self._tmp.name}'")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET enable_progress_bar = false")
        for macro in spec.SQL_MACROS:
            self.con.execute(macro)
        self.timings: dict[str, float] = {}
        self.people = 0
        self._linker: Any = None
        self._settings: dict[str, Any] | None = None

    def close(self) -> None:
        self.con.close()
        self._tmp.cleanup()

    def __enter__(self) -> Linkage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- loading ----------------------------------------------------------------------------

    def load(
        self,
        chunks: Iterable[Sequence[tuple]],
        *,
        total: int | None = None,
        progress: Progress = _no_progress,
    ) -> int:
        """Raw rows (tuples in :data:`RAW_COLUMNS` order), chunk by chunk, then the features."""
        started = time.monotonic()
        self.con.execute(
            "CREATE TABLE raw (unique_id BIGINT, nik VARCHAR, name_key VARCHAR, sex VARCHAR, "
            "birth_date VARCHAR, birth_place VARCHAR, area_code VARCHAR, household_id BIGINT, "
            "relationship INTEGER)"
        )
        done = 0
        for rows in chunks:
            if not rows:
                continue
            columns = list(zip(*rows, strict=True))
            arrays = []
            for col, f in zip(columns, RAW_SCHEMA, strict=True):
                if f.name == "birth_date" and col and not isinstance(col[0], str | None):
                    col = tuple(d.isoformat() if d is not None else None for d in col)
                arrays.append(pa.array(col, type=f.type))
            table = pa.Table.from_arrays(arrays, schema=RAW_SCHEMA)
            self.con.register("chunk_in", table)
            self.con.execute("INSERT INTO raw SELECT * FROM chunk_in")
            self.con.unregister("chunk_in")
            done += len(rows)
            progress("load", done, total)
        self.people = done
        self.timings["load"] = time.monotonic() - started
        self._features()
        return done

    def _features(self) -> None:
        started = time.monotonic()
        con = self.con
        # Name and place features in Python (names.py rules), once per distinct value.
        keys = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT name_key FROM raw WHERE name_key IS NOT NULL AND name_key <> ''"
            ).fetchall()
        ]
        cols: dict[str, list] = {c: [] for c in NAME_MAP_COLUMNS}
        for key in keys:
            nf = name_features_from_key(key)
            if nf is None:
                continue
            cols["raw_key"].append(key)
            cols["name_key"].append(nf.key)
            cols["name_compact"].append(nf.compact)
            cols["name_sorted"].append(nf.sorted)
            cols["name_first"].append(nf.first)
            cols["name_last"].append(nf.last)
            cols["name_rest"].append(nf.rest or None)
            cols["name_phon"].append(nf.phon)
        names = pa.table({c: pa.array(v, pa.string()) for c, v in cols.items()})
        places = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT birth_place FROM raw WHERE birth_place IS NOT NULL"
            ).fetchall()
        ]
        place = pa.table(
            {
                "raw_place": pa.array(places, pa.string()),
                "place": pa.array([place_key(p) for p in places], pa.string()),
            }
        )
        con.register("name_map", names)
        con.register("place_map", place)
        con.execute(
            """
            CREATE TABLE people AS
            WITH hh AS (
                SELECT household_id,
                  list_sort(list(DISTINCT nk) FILTER (WHERE relationship IN (1, 2)))
                    AS parent_names,
                  list_sort(list(DISTINCT nk) FILTER (WHERE relationship = 2)) AS wives,
                  list_sort(list(DISTINCT nk) FILTER (WHERE relationship = 1)) AS heads
                FROM (SELECT household_id, relationship, n.name_key AS nk
                      FROM raw JOIN name_map n ON n.raw_key = raw.name_key
                      WHERE household_id IS NOT NULL AND relationship IN (1, 2))
                GROUP BY household_id
            )
            SELECT
              r.unique_id,
              CASE WHEN length(r.nik) = 16 AND r.nik <> '0000000000000000' THEN r.nik END
                AS nik,
              CASE WHEN regexp_full_match(r.nik, '[0-9]{16}')
                     AND substr(r.nik, 9, 2) BETWEEN '01' AND '12'
                     AND (substr(r.nik, 7, 2) BETWEEN '01' AND '31'
                          OR substr(r.nik, 7, 2) BETWEEN '41' AND '71')
                THEN substr(r.nik, 11, 2) || substr(r.nik, 9, 2)
                     || lpad(CAST(CAST(substr(r.nik, 7, 2) AS INTEGER) % 40 AS VARCHAR), 2, '0')
              END AS nik_date,
              n.name_key, n.name_compact, n.name_sorted, n.name_first, n.name_last, n.name_rest,
              n.name_phon,
              CAST(r.birth_date AS DATE) AS birth_date,
              strftime(CAST(r.birth_date AS DATE), '%Y%m%d') AS dob,
              year(CAST(r.birth_date AS DATE)) AS dob_year,
              CASE WHEN r.birth_date IS NOT NULL THEN
                substr(r.birth_date, 1, 4)
                || CASE WHEN substr(r.birth_date, 9, 2) < substr(r.birth_date, 6, 2)
                        THEN substr(r.birth_date, 9, 2) || substr(r.birth_date, 6, 2)
                        ELSE substr(r.birth_date, 6, 2) || substr(r.birth_date, 9, 2) END
              END AS dob_key,
              strftime(CAST(r.birth_date AS DATE), '%y%m%d') AS dob6,
              nullif(r.sex, '') AS sex,
              pl.place AS birth_place,
              CASE WHEN length(r.area_code) >= 13 THEN r.area_code END AS village,
              CASE WHEN length(r.area_code) >= 8 THEN substr(r.area_code, 1, 8) END AS district,
              CASE WHEN length(r.area_code) >= 5 THEN substr(r.area_code, 1, 5) END AS regency,
              CASE WHEN r.relationship = 3 THEN hh.parent_names[1] END AS parents_a,
              CASE WHEN r.relationship = 3 THEN hh.parent_names[2] END AS parents_b,
              CASE WHEN r.relationship = 1 THEN hh.wives[1]
                   WHEN r.relationship = 2 THEN hh.heads[1] END AS spouse_a,
              CASE WHEN r.relationship = 1 THEN hh.wives[2]
                   WHEN r.relationship = 2 THEN hh.heads[2] END AS spouse_b
            FROM raw r
            LEFT JOIN name_map n ON n.raw_key = r.name_key
            LEFT JOIN place_map pl ON pl.raw_place = r.birth_place
            LEFT JOIN hh ON hh.household_id = r.household_id
            """
        )
        con.unregister("name_map")
        con.unregister("place_map")
        con.execute("DROP TABLE raw")
        self.timings["features"] = time.monotonic() - started

    def feature_rows(self) -> list[dict[str, Any]]:
        """Every person's features (for tests: the same as :meth:`Record.features`)."""
        rel = self.con.sql("SELECT * FROM people ORDER BY unique_id")
        names = rel.columns
        return [dict(zip(names, row, strict=True)) for row in rel.fetchall()]

    # -- model ------------------------------------------------------------------------------

    def _make_linker(self, settings: dict[str, Any]):
        from splink import DuckDBAPI, Linker

        db_api = DuckDBAPI(connection=self.con)
        df = db_api.register("people", table_name="people_in")
        return Linker(df, settings, log_level=logging.WARNING)

    def train(
        self,
        *,
        u_pairs: float = 2e6,
        seed: int = 42,
        em: bool = False,
        em_pairs: float = 2e6,
        progress: Progress = _no_progress,
    ) -> dict[str, Any]:
        """u from random pairs of this population, the prior from exact agreement; m fixed.

        m comes from the labelled data (``spec.DEFAULT_MU``): expectation maximisation on the
        registry was tried and converged on namesakes rather than duplicates (docs/decisions/
        0006-dedup-splink.md); ``em=True`` still runs it, for comparison.
        """
        started = time.monotonic()
        people = max(self.people, 2)
        settings = spec.settings_dict(prior=spec.prior_for(people))
        linker = self._make_linker(settings)
        steps = 2 + (len(spec.TRAINING_BLOCKS) if em else 0)
        progress("train", 0, steps)
        linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
        progress("train", 1, steps)
        try:
            linker.training.estimate_probability_two_random_records_match(
                [spec.EXACT_RULE], recall=spec.EXACT_RULE_RECALL
            )
        except ValueError:  # more exact agreement than the recall allows: keep the default
            log.warning("prior estimate failed; keeping the default prior")
        progress("train", 2, steps)
        if em:
            for i, block in enumerate(spec.TRAINING_BLOCKS):
                linker.training.estimate_parameters_using_expectation_maximisation(
                    block, estimate_without_term_frequencies=True, max_pairs=em_pairs
                )
                progress("train", 3 + i, steps)
        model = linker.misc.save_model_to_json()
        self._fill_missing(model)
        self._linker, self._settings = None, model
        self.timings["train"] = time.monotonic() - started
        return model

    @staticmethod
    def _fill_missing(model: dict[str, Any]) -> None:
        """A level EM never saw keeps the default m/u, so scoring never hits a gap."""
        for comp in model.get("comparisons", []):
            defaults = spec.DEFAULT_MU.get(comp.get("output_column_name"), {})
            for level in comp.get("comparison_levels", []):
                if level.get("is_null_level"):
                    continue
                key = level.get("label_for_charts")
                for i, name in enumerate(("m_probability", "u_probability")):
                    value = level.get(name)
                    if (value is None or value != value or value <= 0) and key in defaults:
                        level[name] = defaults[key][i]

    def use(self, settings: dict[str, Any]) -> None:
        self._settings = settings
        self._linker = None

    # -- scoring ----------------------------------------------------------------------------

    def predict(self, threshold: float, *, progress: Progress = _no_progress) -> LinkageResult:
        started = time.monotonic()
        if self._settings is None:
            raise RuntimeError("train() or use() a model first")
        settings = dict(self._settings)
        settings["blocking_rules_to_generate_predictions"] = list(spec.BLOCKING_RULES)
        # Gamma (level) and TF columns are needed for the evidence; Splink keeps gamma columns
        # only with the matching columns. Only pairs above the threshold are materialised.
        settings["retain_intermediate_calculation_columns"] = True
        settings["retain_matching_columns"] = True
        linker = self._make_linker(settings)
        progress("predict", 0, 1)
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        self.timings["predict"] = time.monotonic() - started
        started = time.monotonic()
        gamma_cols = [f"gamma_{c.name}" for c in spec.COMPARISONS]
        # Table names are Splink's own, columns come from spec: nothing from outside.
        table = predictions.physical_name
        columns = set(self.con.sql(f"SELECT * FROM {table} LIMIT 0").columns)  # noqa: S608
        tf_cols = [
            (c.name, f"mw_tf_adj_{c.name}")
            for c in spec.COMPARISONS
            if f"mw_tf_adj_{c.name}" in columns
        ]
        select = ", ".join(gamma_cols + [col for _n, col in tf_cols])
        rel = self.con.sql(
            f"SELECT unique_id_l, unique_id_r, match_probability, match_weight, {select} "  # noqa: S608
            f"FROM {table}"
        )
        candidates = []
        n_gamma = len(gamma_cols)
        for row in rel.fetchall():
            gammas = {c.name: row[4 + i] for i, c in enumerate(spec.COMPARISONS)}
            adjust = {
                name: float(row[4 + n_gamma + i] or 0.0) for i, (name, _col) in enumerate(tf_cols)
            }
            a, b = int(row[0]), int(row[1])
            if a > b:
                a, b = b, a
            candidates.append(
                Candidate(
                    a,
                    b,
                    float(row[2]),
                    float(row[3]),
                    spec.levels_from_gammas(gammas),
                    {k: v for k, v in adjust.items() if v},
                )
            )
        self.timings["collect"] = time.monotonic() - started
        progress("predict", 1, 1)
        return LinkageResult(
            people=self.people,
            candidates=candidates,
            settings=self._settings,
            timings=dict(self.timings),
        )


def chunked(rows: Iterable[tuple], size: int = CHUNK) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
