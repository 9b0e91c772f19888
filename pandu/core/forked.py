"""Receiving what a forked producer process sends through a multiprocessing queue.

The import's parser and the registry generator run in forked processes that put
``(kind, payload)`` messages on a queue. :func:`messages` yields them and notices when the
producer died or went silent, instead of waiting forever.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from typing import Any

#: Seconds between liveness checks of the producer while nothing arrives.
POLL_SECONDS = 5.0
#: Give up when the producer, still alive, has sent nothing for this long.
STALL_SECONDS = 600.0


class ProducerStopped(RuntimeError):
    """The producer process died (``exit_code`` set) or stopped sending (``exit_code`` None)."""

    def __init__(self, exit_code: int | None) -> None:
        self.exit_code = exit_code
        super().__init__(
            f"stopped unexpectedly (exit code {exit_code})"
            if exit_code is not None
            else "stopped sending"
        )


def messages(
    proc: Any, channel: Any, *, poll: float = POLL_SECONDS, stall: float = STALL_SECONDS
) -> Iterator[tuple[str, Any]]:
    """``(kind, payload)`` messages from ``channel`` as ``proc`` sends them, for ever: the
    caller stops at its own end message. Raises :class:`ProducerStopped`."""
    waited = 0.0
    while True:
        try:
            message = channel.get(timeout=poll)
        except queue.Empty:
            waited += poll
            if not proc.is_alive():
                raise ProducerStopped(proc.exitcode) from None
            if waited > stall:
                raise ProducerStopped(None) from None
            continue
        waited = 0.0
        yield message
