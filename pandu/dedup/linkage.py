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
from .features import phonetic_key, place_key

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
        ("birth_date", pa.date32()),
        ("birth_place", pa.string()),
        ("area_code", pa.string()),
        ("household_id", pa.int64()),
        ("relationship", pa.int32()),
    ]
)
CHUNK = 100_000
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
            "birth_date DATE, birth_place VARCHAR, area_code VARCHAR, household_id BIGINT, "
            "relationship INTEGER)"
        )
        done = 0
        for rows in chunks:
            if not rows:
                continue
            columns = list(zip(*rows, strict=True))
            table = pa.Table.from_arrays(
                [pa.array(col, type=f.type) for col, f in zip(columns, RAW_SCHEMA, strict=True)],
                schema=RAW_SCHEMA,
            )
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
        # Python keys, once per distinct value.
        compacts = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT replace(name_key, ' ', '') FROM raw "
                "WHERE name_key IS NOT NULL AND name_key <> ''"
            ).fetchall()
        ]
        phon = pa.table(
            {"compact": pa.array(compacts, pa.string()), "phon": [phonetic_key(c) for c in compacts]}
        )
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
        con.register("phon_map", phon)
        con.register("place_map", place)
        con.execute(
            """
            CREATE TABLE people AS
            WITH base AS (
                SELECT r.*, nullif(trim(r.name_key), '') AS nk,
                       CASE WHEN length(r.nik) = 16 AND r.nik <> '0000000000000000'
                            THEN r.nik END AS nik16
                FROM raw r
            ),
            hh AS (
                SELECT household_id,
                  list(DISTINCT nk) FILTER (WHERE relationship IN (1, 2) AND nk IS NOT NULL)
                    AS parent_names,
                  list(DISTINCT nk) FILTER (WHERE relationship = 2 AND nk IS NOT NULL) AS wives,
                  list(DISTINCT nk) FILTER (WHERE relationship = 1 AND nk IS NOT NULL) AS heads
                FROM base WHERE household_id IS NOT NULL GROUP BY household_id
            ),
            fam AS (
                SELECT b.*,
                  CASE WHEN b.relationship = 3 THEN hh.parent_names END AS p_list,
                  CASE WHEN b.relationship = 1 THEN hh.wives
                       WHEN b.relationship = 2 THEN hh.heads END AS s_list
                FROM base b LEFT JOIN hh USING (household_id)
            )
            SELECT
              f.unique_id,
              f.nik16 AS nik,
              f.nk AS name_key,
              replace(f.nk, ' ', '') AS name_compact,
              array_to_string(list_sort(string_split(f.nk, ' ')), ' ') AS name_sorted,
              string_split(f.nk, ' ')[1] AS name_first,
              string_split(f.nk, ' ')[-1] AS name_last,
              list_distinct(string_split(f.nk, ' ')) AS name_tokens,
              pm.phon AS name_phon,
              f.birth_date,
              strftime(f.birth_date, '%Y%m%d') AS dob,
              year(f.birth_date) AS dob_year,
              CASE WHEN f.birth_date IS NOT NULL THEN
                lpad(CAST(year(f.birth_date) AS VARCHAR), 4, '0')
                || lpad(CAST(least(day(f.birth_date), month(f.birth_date)) AS VARCHAR), 2, '0')
                || lpad(CAST(greatest(day(f.birth_date), month(f.birth_date)) AS VARCHAR), 2, '0')
              END AS dob_key,
              nullif(f.sex, '') AS sex,
              plm.place AS birth_place,
              CASE WHEN length(f.area_code) >= 13 THEN f.area_code END AS village,
              CASE WHEN length(f.area_code) >= 8 THEN substr(f.area_code, 1, 8) END AS district,
              CASE WHEN length(f.area_code) >= 5 THEN substr(f.area_code, 1, 5) END AS regency,
              CASE WHEN len(list_filter(f.p_list, x -> x <> f.nk)) > 0
                   THEN list_sort(list_filter(f.p_list, x -> x <> f.nk)) END AS parents,
              CASE WHEN len(f.s_list) > 0 THEN list_sort(f.s_list) END AS spouse
            FROM fam f
            LEFT JOIN phon_map pm ON pm.compact = replace(f.nk, ' ', '')
            LEFT JOIN place_map plm ON plm.raw_place = f.birth_place
            """
        )
        con.unregister("phon_map")
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
        u_pairs: float = 3e6,
        em_pairs: float = 2e6,
        seed: int = 42,
        progress: Progress = _no_progress,
    ) -> dict[str, Any]:
        """u from random pairs, m by expectation maximisation on two blocks, prior from EM."""
        started = time.monotonic()
        people = max(self.people, 2)
        settings = spec.settings_dict(prior=spec.prior_for(people))
        linker = self._make_linker(settings)
        progress("train", 0, 3)
        linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
        progress("train", 1, 3)
        for i, block in enumerate(spec.TRAINING_BLOCKS):
            linker.training.estimate_parameters_using_expectation_maximisation(
                block,
                estimate_without_term_frequencies=True,
                max_pairs=em_pairs,
                populate_probability_two_random_records_match_from_trained_values=(i == 0),
            )
            progress("train", 2 + i, 1 + len(spec.TRAINING_BLOCKS))
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
        settings["retain_intermediate_calculation_columns"] = False
        settings["retain_matching_columns"] = False
        linker = self._make_linker(settings)
        progress("predict", 0, 1)
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        self.timings["predict"] = time.monotonic() - started
        started = time.monotonic()
        model = spec.Model.from_settings(settings)
        gamma_cols = [f"gamma_{c.name}" for c in spec.COMPARISONS]
        rel = self.con.sql(
            f"SELECT unique_id_l, unique_id_r, match_probability, match_weight, "
            f"{', '.join(gamma_cols)} FROM {predictions.physical_name}"
        )
        candidates = []
        for row in rel.fetchall():
            gammas = {c.name: row[4 + i] for i, c in enumerate(spec.COMPARISONS)}
            a, b = int(row[0]), int(row[1])
            if a > b:
                a, b = b, a
            candidates.append(
                Candidate(a, b, float(row[2]), float(row[3]), model.levels_from_gammas(gammas))
            )
        self.timings["collect"] = time.monotonic() - started
        progress("predict", 1, 1)
        return LinkageResult(
            people=self.people,
            candidates=candidates,
            settings=self._settings,
            timings=dict(self.timings),
        )

    def count_blocked_pairs(self) -> int:
        """How many pairs the blocking rules produce (each pair once)."""
        from splink.blocking_analysis import cumulative_comparisons_to_be_scored_from_blocking_rules_data

        from splink import DuckDBAPI

        db_api = DuckDBAPI(connection=self.con)
        table = cumulative_comparisons_to_be_scored_from_blocking_rules_data(
            table_or_tables="people",
            blocking_rules=list(spec.BLOCKING_RULES),
            link_type="dedupe_only",
            db_api=db_api,
            unique_id_column_name="unique_id",
        )
        rows = table.as_record_list() if hasattr(table, "as_record_list") else list(table)
        return int(sum(r["row_count"] for r in rows))


def chunked(rows: Iterable[tuple], size: int = CHUNK) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
