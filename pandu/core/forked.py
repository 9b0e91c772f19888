"""Work in forked processes: receiving what a producer sends, and reading under a memory cap.

The import's parser and the registry generator run in forked processes that put
``(kind, payload)`` messages on a queue. :func:`messages` yields them and notices when the
producer died or went silent, instead of waiting forever.

A spreadsheet reader allocates what the file declares, and one written in Rust aborts the
whole process when an allocation fails. :func:`limit_memory` caps a child's address space
(``RLIMIT_AS``) so that such a file ends that child, not the worker; :func:`run_limited` runs
one function that way and hands back its result, or raises :class:`ChildFailed`.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import queue
import resource
from collections.abc import Callable, Iterator
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


# --- Memory-capped children -------------------------------------------------------------------


class ChildFailed(RuntimeError):
    """The child ended without an answer: killed, out of memory, or past its time."""

    def __init__(self, exit_code: int | None, timed_out: bool = False) -> None:
        self.exit_code = exit_code
        self.timed_out = timed_out
        super().__init__("timed out" if timed_out else f"ended with exit code {exit_code}")


def address_space() -> int:
    """Bytes of address space this process holds now (``VmSize``)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def limit_memory(extra_bytes: int) -> None:
    """Cap this process's address space at what it holds now plus ``extra_bytes``: an
    allocation past it fails here instead of taking the machine's memory."""
    if extra_bytes <= 0:
        return
    faulthandler.disable()  # an abort here is reported by the parent; no stack dump
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = address_space() + extra_bytes
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _run_child(fn: Callable[..., Any], args: tuple, extra_bytes: int, answer: Any) -> None:
    try:
        limit_memory(extra_bytes)
        result: tuple[str, Any] = ("ok", fn(*args))
    except BaseException as exc:  # every failure goes back to the parent as an answer
        result = ("raised", exc)
    try:
        answer.send(result)
    except Exception as exc:  # the exception itself would not pickle
        answer.send(("raised", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        answer.close()


def run_limited(
    fn: Callable[..., Any], *args: Any, memory_bytes: int, timeout: float = 3600.0
) -> Any:
    """``fn(*args)`` in a forked child whose address space may grow by ``memory_bytes``.

    Returns its result or raises what it raised; raises :class:`ChildFailed` when the child
    died without answering (an aborted allocation: exit code -6) or ran past ``timeout``."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_run_child, args=(fn, args, memory_bytes, send), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise ChildFailed(None, timed_out=True)
        try:
            status, value = receive.recv()
        except EOFError:
            proc.join(timeout=10)
            raise ChildFailed(proc.exitcode) from None
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=10)
    if status == "raised":
        raise value
    return value
