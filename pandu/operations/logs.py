"""Log lines a machine can read and that never carry a NIK.

``JsonFormatter`` writes one JSON object per line (time in UTC, level, logger, message, the
exception); ``PANDU_LOG_FORMAT=plain`` keeps the text lines. ``MaskNumbersFilter`` sits on every
handler and masks any 16-digit number (a NIK or KK number, also written in groups with spaces,
dots or dashes) in the message, its arguments, the exception and the stack: the province and
regency digits stay, the rest become ``*`` (``7309************``), so a line still says where a
record is from and never whose it is.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

#: Sixteen digits, maybe grouped by single spaces, dots or dashes, not inside a longer number.
SIXTEEN_DIGITS = re.compile(r"(?<![\d])\d(?:[ .\-]?\d){15}(?![\d])")


def mask_numbers(text: str) -> str:
    """``"NIK 7309135708800001 ditolak"`` → ``"NIK 7309************ ditolak"``."""
    if not text or not any(ch.isdigit() for ch in text):
        return text

    def masked(match: re.Match[str]) -> str:
        digits = [ch for ch in match.group(0) if ch.isdigit()]
        return "".join(digits[:4]) + "*" * 12

    return SIXTEEN_DIGITS.sub(masked, text)


class MaskNumbersFilter(logging.Filter):
    """Masks NIK/KK-like numbers in each record before any formatter sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what there is, masked
            message = f"{record.msg} {record.args!r}"
        record.msg = mask_numbers(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_numbers(record.stack_info)
        return True


#: Attributes every LogRecord has; anything else was passed in ``extra=``.
_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {
    "message",
    "asctime",
    "request",  # django.request's HttpRequest: its address and body stay out of the log
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line. ``extra=`` values that are plain data are kept (masked)."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_numbers(record.getMessage()),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_") or key in data:
                continue
            if isinstance(value, str):
                data[key] = mask_numbers(value)
            elif isinstance(value, bool) or value is None:
                data[key] = value
            elif isinstance(value, int | float):
                shown = mask_numbers(str(value))
                data[key] = value if shown == str(value) else shown
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exception"] = mask_numbers(record.exc_text)
        if record.stack_info:
            data["stack"] = mask_numbers(self.formatStack(record.stack_info))
        return json.dumps(data, ensure_ascii=False, default=str)
