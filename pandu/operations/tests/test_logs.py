"""Log lines are JSON when asked and never carry a NIK or KK number."""

from __future__ import annotations

import io
import json
import logging
from datetime import date

import pytest

from pandu.conftest import make_kk, make_nik
from pandu.operations.logs import JsonFormatter, MaskNumbersFilter, mask_numbers

NIK = make_nik("73.09.13", date(1980, 8, 17), "P", 1)  # 7309135708800001
KK = make_kk("73.09.13", date(2015, 3, 1), 7)


@pytest.fixture
def captured():
    """A logger whose one handler is set up as the site's console handler is."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(MaskNumbersFilter())
    logger = logging.getLogger("pandu.test-logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def _lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_log_line_with_a_nik_comes_out_masked(captured):
    logger, stream = captured
    logger.warning("NIK %s ditolak untuk KK %s", NIK, KK)
    logger.info(f"pencarian {NIK} oleh operator")  # already formatted by the caller
    logger.info("dari tabel: %(nik)s", {"nik": NIK})
    text = stream.getvalue()
    assert NIK not in text and KK not in text
    first, second, third = _lines(stream)
    assert first["message"] == "NIK 7309************ ditolak untuk KK 7309************"
    assert first["level"] == "WARNING" and first["logger"] == "pandu.test-logs"
    assert "7309************" in second["message"] and "7309************" in third["message"]


def test_numbers_written_in_groups_and_in_tracebacks_and_extras_are_masked(captured):
    logger, stream = captured
    grouped = f"{NIK[:4]} {NIK[4:8]} {NIK[8:12]} {NIK[12:]}"
    dotted = f"{NIK[:2]}.{NIK[2:4]}.{NIK[4:6]}.{NIK[6:12]}.{NIK[12:]}"
    try:
        raise ValueError(f"NIK tidak valid: {NIK}")
    except ValueError:
        logger.exception("gagal %s / %s", grouped, dotted, extra={"nik": int(NIK), "kk": KK})
    text = stream.getvalue()
    assert NIK not in text and grouped not in text and dotted not in text and KK not in text
    (line,) = _lines(stream)
    assert "ValueError: NIK tidak valid: 7309************" in line["exception"]
    assert line["nik"] == "7309************" and line["kk"] == "7309************"


def test_other_numbers_are_left_alone():
    for text in (
        "job 42 done in 1.5 s",
        "telepon 081234567890",  # 12 digits
        "rekening 12345678901234567",  # 17 digits: not a NIK
        "2026-07-05 12:30:00",
        "uid 3f2a9c1e-5b7d-4e2a-9f00-1c2d3e4f5a6b",
    ):
        assert mask_numbers(text) == text


def test_the_site_logs_json_with_the_mask_on_its_console_handler(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert "mask_numbers" in handler["filters"]
    assert settings.LOGGING["formatters"][handler["formatter"]]
    assert settings.PANDU_LOG_FORMAT in ("plain", "json")
    root = logging.getLogger()
    assert any(
        isinstance(f, MaskNumbersFilter) for h in root.handlers for f in getattr(h, "filters", [])
    )


def test_the_site_console_masks_a_nik():
    """Through the real root handler the settings installed, whatever its format."""
    (handler,) = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, MaskNumbersFilter) for f in h.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("pandu.test-console").warning("NIK %s", NIK)
    finally:
        handler.setStream(previous)
    assert "NIK 7309************" in stream.getvalue() and NIK not in stream.getvalue()
